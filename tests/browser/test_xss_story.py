"""A troll types known XSS payloads into everything a fan can write; no script runs.

Every payload of ``xss_payloads`` goes into every user-writable field — work title,
summary, notes and end notes (as HTML, plain text and Markdown), chapter title,
summary, notes and body, free tags, series name, comments and replies, a guest's
name, bookmark notes and bookmark tags, and imported files — through the services
the forms call. Then the archive's pages that show them are opened in Chromium:

- each payload that runs calls ``__xss(N)``; ``alert``, ``prompt``, ``confirm`` and
  ``print`` are watched too, and a script error on the page counts as well;
- every Content-Security-Policy violation is collected (a surviving inline script,
  handler or ``style`` attribute would cause one), from the ``securitypolicyviolation``
  event and from the console's "Refused to …";
- each page's DOM is searched for armed markup that has not fired yet: a script that
  is not one of the archive's files, an ``on…`` attribute, ``srcdoc``, a
  ``javascript:``/``vbscript:``/``data:`` URL in a link, form or frame, an iframe,
  object, embed, ``<base>`` or meta refresh.

The watcher is a Playwright init script (not subject to the page's CSP) that reports
through an exposed binding, so nothing of it is in the page's markup. The first story
checks that the watcher sees a payload that does run.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import urljoin

import pytest
from django.conf import settings
from playwright.sync_api import expect

from fanshelf.core.security import HEADER
from tests.browser.test_posting_and_reading import log_in
from tests.browser.xss_payloads import payloads
from tests.factories import work_tags

# What this story tests, the sanitiser and the page policy seen by a real browser, is
# the same on every database; the PostgreSQL run of the suite skips its 45 seconds.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        "postgresql" in settings.DATABASES["default"]["ENGINE"],
        reason="sanitising and the page policy do not depend on the database; "
        "covered by the SQLite run",
    ),
]

SEARCH_WORD = "hyperspace"
PASSWORD = "correct horse battery"
TEXT_FORMATS = ("html", "plain", "markdown")
TITLE_LIMIT = 255
SUMMARY_LIMIT = 1250

WATCHER = """
(() => {
  const report = (kind, detail) => {
    try { window.__fanshelfReport(kind, String(detail)); } catch (error) {}
  };
  Object.defineProperty(window, "__xss", {value: (n) => report("xss", n)});
  for (const name of ["alert", "prompt", "confirm", "print"]) {
    Object.defineProperty(window, name, {value: (...args) => report(name, args.join(" "))});
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    report("csp", `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
      ` at line ${event.lineNumber}: ${event.sample}`);
  }, true);
})();
"""

# Markup that would run code if the policy let it, or once a reader clicks.
ARMED_MARKUP = """
() => {
  const found = [];
  const show = (element) => element.outerHTML.slice(0, 160);
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href",
                         "poster", "background", "srcset"];
  for (const script of document.scripts) {
    const src = script.getAttribute("src");
    const url = src && new URL(src, location.href);
    if (!url || url.origin !== location.origin || !url.pathname.startsWith("/static/")) {
      found.push("script: " + show(script));
    }
  }
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on") || name === "srcdoc") {
        found.push(`${name} attribute: ` + show(element));
      } else if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(value) &&
                 !(/^data:/.test(value) && element.matches("img, link[rel~=icon]"))) {
        found.push(`${name}=${value.slice(0, 40)}: ` + show(element));
      }
    }
    const tag = element.tagName.toLowerCase();
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag)) {
      found.push(`<${tag}>: ` + show(element));
    }
    if (tag === "meta" && element.hasAttribute("http-equiv")) {
      found.push("meta http-equiv: " + show(element));
    }
  }
  return found;
}
"""


@dataclass
class Watcher:
    """What the pages of one or more browser contexts did that they should not have."""

    ran: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    armed: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def watch(self, context, *, origin):
        def report(source, kind, detail):
            line = f"{source['frame'].url}: {kind} {detail}"
            (self.violations if kind == "csp" else self.ran).append(line)

        context.expose_binding("__fanshelfReport", report)
        context.add_init_script(WATCHER)
        # Nothing leaves the archive: a payload's image on another host is refused here.
        context.route(
            lambda url: not url.startswith(origin), lambda route: route.abort("blockedbyclient")
        )

    def open(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.ran.append(f"{page.url}: error {error}"))
        return page

    def _console(self, message):
        if message.text.startswith("Refused to"):
            self.violations.append(f"console: {message.text}")

    def visit(self, page, url, *, follow_next=False):
        """Open ``url`` (and its next pages), let it settle, look for armed markup."""
        while url:
            response = page.goto(url)
            assert response is not None and response.ok, f"{url} answered {response.status}"
            # One frame and one task: handlers fired by load, focus or toggle get to run.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r)))")
            self.armed += [f"{page.url}: {found}" for found in page.evaluate(ARMED_MARKUP)]
            self.pages.append(page.url)
            url = None
            if follow_next and page.locator("a[rel=next]").count():
                url = urljoin(page.url, page.locator("a[rel=next]").first.get_attribute("href"))

    def assert_clean(self):
        report = "\n".join(
            [f"RAN {line}" for line in self.ran]
            + [f"CSP {line}" for line in self.violations]
            + [f"ARMED {line}" for line in self.armed]
        )
        assert not report, f"on {len(self.pages)} pages:\n{report}"


def group_by_length(items: list[str], limit: int) -> list[list[str]]:
    """``items`` in as few groups as fit in ``limit`` characters when joined by spaces."""
    groups = [[]]
    for item in items:
        if groups[-1] and len(" ".join([*groups[-1], item])) > limit:
            groups.append([])
        groups[-1].append(item)
    return groups


def pack(items: list[str], limit: int) -> list[str]:
    """``items`` joined by spaces into as few strings of at most ``limit`` characters."""
    return [" ".join(group) for group in group_by_length(items, limit)]


def spread(items: list[str], count: int) -> list[list[str]]:
    """``items`` dealt round-robin into ``count`` piles."""
    return [items[start::count] for start in range(count)]


def serve(html: str, headers: dict):
    """A route handler answering every request with ``html`` and ``headers``."""
    return lambda route: route.fulfill(body=html, content_type="text/html", headers=headers)


def test_the_watcher_sees_a_payload_run_and_the_policy_block_it(browser):
    origin = "http://xss-check.invalid"
    page_html = "<!doctype html><title>t</title><img src=x onerror=__xss(0)><p onclick=x>p</p>"
    watchers = []
    for headers in ({}, {"Content-Security-Policy": HEADER}):
        watcher = Watcher()
        context = browser.new_context()
        watcher.watch(context, origin=origin)
        context.route(f"{origin}/**", serve(page_html, headers))
        watcher.visit(watcher.open(context.new_page()), f"{origin}/page")
        context.close()
        watchers.append(watcher)
    open_page, protected_page = watchers
    assert any("xss 0" in line for line in open_page.ran), open_page.ran
    assert any("onerror" in line for line in open_page.armed)
    assert any("onclick" in line for line in open_page.armed)
    assert not protected_page.ran
    assert any("script-src" in line for line in protected_page.violations)
    assert any("onerror" in line for line in protected_page.armed)


def post_payload_works(author, everything):
    """Works whose every field holds payloads, in each text format, with a series each."""
    from fanshelf.works.services import ChapterText, post_work

    titles = pack(everything, TITLE_LIMIT)
    count = len(titles)
    summaries = spread(everything, count)
    tags = spread([p for p in everything if "," not in p], count)
    assert max(len(pack(s, SUMMARY_LIMIT)) for s in summaries) == 1, "summaries too long"
    notes = " ".join(everything)
    works = []
    for index, title in enumerate(titles):
        works.append(
            post_work(
                user=author,
                title=title,
                summary=" ".join(summaries[index]),
                notes=notes,
                end_notes=notes,
                text_format=TEXT_FORMATS[index % 3],
                series=title,
                tags=work_tags(freeform=tags[index]),
                chapters=[
                    ChapterText(
                        title=title,
                        body=f"{SEARCH_WORD} {notes}\n\n{SEARCH_WORD} again: {notes}",
                        summary=" ".join(summaries[index]),
                        notes=notes,
                        end_notes=notes,
                        text_format=TEXT_FORMATS[index % 3],
                    )
                ],
            )
        )
    return works


def leave_feedback(works, everything, *, author, reader):
    """Comments, guest comments, replies and bookmarks holding every payload."""
    from fanshelf.bookmarks.services import bookmark
    from fanshelf.feedback.services import post_comment

    piles = spread(everything, len(works))
    for work, pile in zip(works, piles, strict=True):
        for number, payload in enumerate(pile):
            comment = post_comment(work=work, user=reader, body=f"{number}: {payload}")
            post_comment(
                work=work,
                guest_name=payload,
                guest_email=f"guest{number}@example.org",
                body=f"Guest {number}: {payload}",
            )
        post_comment(work=work, parent=comment, user=author, body="Thanks! " + " ".join(pile))
        bookmark(
            user=reader,
            work=work,
            notes=" ".join(everything),
            tags=[payload for payload in pile if "," not in payload],
        )


def import_file_for(group: list[str], everything: list[str]) -> bytes:
    """A ``fanshelf export`` JSON file whose every field holds payloads."""
    title, notes = " ".join(group), " ".join(everything)
    return json.dumps(
        {
            "format": "fanshelf-work",
            "title": title,
            "summary": title,
            "notes": notes,
            "end_notes": notes,
            "series": {"title": title},
            "tags": {
                "rating": ["Teen And Up Audiences"],
                "warning": ["No Archive Warnings Apply"],
                "fandom": ["Star Wars"],
                "freeform": [payload for payload in group if "," not in payload],
            },
            "chapters": [
                {
                    "title": title,
                    "body_html": f"<p>{SEARCH_WORD}</p>{notes}",
                    "summary": title,
                    "notes": notes,
                    "end_notes": notes,
                }
            ],
        }
    ).encode()


def test_no_payload_runs_anywhere_it_is_shown(browser, archive, settings, make_user):
    from fanshelf.imports import batches

    settings.RATE_LIMITS_ENABLED = False
    author = make_user("smolhux", password=PASSWORD)
    reader = make_user("reader", password=PASSWORD)
    make_user("wrangler", role="wrangler", password=PASSWORD)
    everything = payloads()
    assert len(everything) >= 50

    works = post_payload_works(author, everything)
    leave_feedback(works, everything, author=author, reader=reader)
    uploads = [
        (f"payloads-{index}.json", import_file_for(group, everything))
        for index, group in enumerate(group_by_length(everything, TITLE_LIMIT))
    ]
    batch = batches.read_into_batch(user=author, uploads=uploads)

    watcher = Watcher()

    def visitor(username, watcher=watcher):
        context = browser.new_context(base_url=archive)
        context.set_default_timeout(10_000)
        watcher.watch(context, origin=archive)
        page = watcher.open(context.new_page())
        if username:
            log_in(page, username, PASSWORD)
        return page

    # The watcher works on the archive's own pages, and so does the policy: a handler
    # slipped into the page is refused, and reported.
    probe = Watcher()
    probing = visitor(None, watcher=probe)
    probe.visit(probing, "/")
    probing.evaluate("() => __xss('probe')")
    probing.evaluate(
        "html => document.body.insertAdjacentHTML('beforeend', html)",
        "<img src=x onerror=__xss('slipped-in')>",
    )
    for _ in range(100):
        if probe.ran and probe.violations:
            break
        probing.wait_for_timeout(20)
    assert probe.ran == [f"{probing.url}: xss probe"]
    assert any("script-src" in line for line in probe.violations), probe.violations
    probing.context.close()

    guest, fan, writer, wrangler = (
        visitor(None),
        visitor("reader"),
        visitor("smolhux"),
        visitor("wrangler"),
    )

    # As a guest: the front page, the listing, a search that shows snippets
    for url in ("/", "/works/", f"/works/?q={SEARCH_WORD}", f"/works/search/?q={SEARCH_WORD}"):
        watcher.visit(guest, url, follow_next=True)
    watcher.visit(guest, works[0].get_absolute_url())

    # As the fan who commented and bookmarked: every work and series; pages that
    # differ only in which payloads they show, for one work in each text format
    for work in works:
        watcher.visit(fan, work.get_absolute_url())
        # (shown as typed)
        expect(fan.locator("h1.title")).to_have_text(work.title)
        watcher.visit(fan, work.series.get_absolute_url())
    one_of_each_format = works[:3]
    for work in one_of_each_format:
        watcher.visit(fan, f"/works/{work.pk}/bookmarks/")
        for tag in work.tags.filter(type="freeform"):
            watcher.visit(fan, tag.get_absolute_url())
    watcher.visit(fan, works[0].tags.filter(type="freeform").first().get_absolute_url() + "works/")
    for url in ("/users/reader/bookmarks/", "/inbox/", "/history/", "/users/smolhux/works/"):
        watcher.visit(fan, url, follow_next=True)
    comment = works[0].comments.filter(user=reader).first()
    watcher.visit(fan, f"/comments/{comment.pk}/edit/")

    # As the author: the forms that hold what was typed, the inbox, stats, the import
    for work in works:
        watcher.visit(writer, f"/works/{work.pk}/edit/")
    for work in one_of_each_format:
        watcher.visit(writer, f"/works/{work.pk}/chapters/{work.chapters.first().pk}/edit/")
    for url in ("/inbox/", "/stats/", f"/stats/works/{works[0].pk}/", "/works/new/"):
        watcher.visit(writer, url, follow_next=True)
    watcher.assert_clean()

    # And the import of files full of payloads: the form, the preview, the report
    watcher.visit(writer, "/works/import/")
    watcher.visit(writer, f"/works/import/{batch.pk}/")
    writer.get_by_role("button", name="Post", exact=True).click()
    writer.wait_for_url(f"**/works/import/{batch.pk}/")
    watcher.visit(writer, f"/works/import/{batch.pk}/")
    imported = [link.get_attribute("href") for link in writer.locator(".import-created a").all()]
    assert len(imported) == len(uploads), imported
    for href in imported[:2]:
        watcher.visit(writer, href)

    # As a wrangler: the unwrangled tags
    watcher.visit(wrangler, "/wrangling/", follow_next=True)

    watcher.assert_clean()
    assert len(watcher.pages) > 4 * len(works)
    # And the template-injection payload was shown as typed, not evaluated
    injected = next(work for work in works if "{{7*7}}" in work.title)
    guest.goto(injected.get_absolute_url())
    assert "{{7*7}}" in guest.locator("h1.title").inner_text()
