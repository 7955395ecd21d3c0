"""Fixtures for the browser stories: a live Fanshelf, Debian's Chromium, and axe-core.

Nothing here downloads a browser. ``make test`` installs Chromium from Debian and
axe-core from npm; when either is missing the browser tests are skipped.
"""

import json
import os
from pathlib import Path

import pytest

from tests.factories import add_default_tags

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT_DIR = HERE.parents[1] / "test-output" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# axe-core rates a violation minor, moderate, serious or critical; the two worst fail.
FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, shared by the stories of one module."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop in this thread. Django sees
    # that loop and refuses ORM calls here (SynchronousOnlyOperation), including
    # pytest-django's own database flush after each test. The ORM is still used
    # synchronously, so allow it, and only while Playwright runs. (The loop also
    # makes asgiref's Local hand this thread fresh database connection objects;
    # the in-memory test database is shared, so they see the same data.)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def archive(live_server, transactional_db):
    """The address of a running Fanshelf with its default ratings, warnings, categories.

    A live server needs a transactional database, which pytest-django empties after
    each test, data-migration rows included. Django's ``serialized_rollback`` would
    reload them, but it keeps the saved rows on the connection object and, while
    Playwright runs, the test sees a different connection object (see ``browser``);
    so each story runs the data migration's function again. It is idempotent.

    The stylesheet needs nothing here: the suite-wide ``_test_settings`` fixture
    turns off the collectstatic manifest, and the live server serves static files
    from the source tree. ``assert_styled`` says so if that ever breaks.
    """
    add_default_tags()
    return live_server.url


@pytest.fixture
def new_page(browser, archive):
    """Open a page in a fresh browser context: one context is one visitor."""
    contexts = []

    def open_page(*, color_scheme="light"):
        context = browser.new_context(
            base_url=archive, color_scheme=color_scheme, viewport={"width": 1000, "height": 800}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def assert_styled(page):
    """Wait for the page to load and check that its stylesheet arrived and parsed.

    An unstyled page would make the screenshots useless and axe's contrast check
    meaningless, so say so plainly instead.
    """
    page.wait_for_load_state("load")
    sheets = page.evaluate(
        "() => [...document.styleSheets].map(s => ({href: s.href, rules: s.cssRules.length}))"
    )
    assert sheets and all(sheet["rules"] for sheet in sheets), (
        f"the stylesheet did not load on {page.url}: {sheets}"
    )


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture
def screenshot(output_dir):
    """Save the whole page as ``test-output/browser/<name>.png``."""

    def save(page, name):
        assert_styled(page)
        path = output_dir / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return save


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing; `make test` installs axe-core with npm")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def assert_accessible(axe_source):
    """Run axe-core on the page; fail on any serious or critical violation."""

    def check(page):
        assert_styled(page)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # The archive's Content-Security-Policy refuses inline scripts, so axe
            # arrives as a script file of the page's own origin, answered from here.
            page.route(
                "**/__axe.min.js",
                lambda route: route.fulfill(body=axe_source, content_type="text/javascript"),
            )
            page.add_script_tag(url="/__axe.min.js")
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        failures = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n"
            f"  {len(v['nodes'])} element(s), first {json.dumps(v['nodes'][0]['target'])}: "
            f"{v['nodes'][0]['failureSummary']}"
            for v in failures
        )
        assert not failures, f"axe-core found on {page.url}:\n{report}"

    return check
