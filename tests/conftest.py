"""Fixtures shared by the whole suite: people and works built in code."""

import itertools
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_761434c73575d7c8.txt"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _test_settings(request, tmp_path):
    # fanshelf.text's tests also run without Django (`-p no:django`).
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"
    # Serve static files from the source tree: no collectstatic manifest in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # Test accounts only need to exist: a fast hasher, unless the test is about
    # passwords (@pytest.mark.argon2). Argon2 as configured (100 MB, 8 lanes) costs
    # each account a tenth of a second or more, and more again on every log-in.
    if not request.node.get_closest_marker("argon2"):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, inside the test, so their effects can be checked.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Each test starts with an empty cache: no rate-limit counts, hit buffers or
    # cached pages left by the one before.
    # Guest pages go to files when there is no Redis: a folder of this test's own,
    # so runs side by side never share them.
    pages = settings.CACHES["pages"]
    if pages["BACKEND"] == "fanshelf.core.filecache.FilePageCache":
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                **pages,
                "LOCATION": str(request.getfixturevalue("tmp_path_factory").mktemp("pages")),
            },
        }
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _commit_callbacks_run_at_once(request, monkeypatch):
    """Run ``transaction.on_commit`` callbacks (task enqueues) straight away.

    pytest-django wraps each test in a transaction that is rolled back, never
    committed, so callbacks waiting for a commit would never run. Transactional
    tests (the browser ones) commit for real and keep Django's behaviour.
    """
    if "db" not in request.fixturenames or "transactional_db" in request.fixturenames:
        return
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def make_user(db):
    from fanshelf.accounts.services import create_user

    def make(username=None, *, role="reader", password="correct horse battery", email=None):
        username = username or f"fan{next(_numbers)}"
        return create_user(
            username=username,
            email=email or f"{username}@example.org",
            password=password,
            role=role,
        )

    return make


@pytest.fixture
def author(make_user):
    return make_user("smolhux")


@pytest.fixture
def reader(make_user):
    return make_user("reader")


STANDARD_TAGS = {
    "rating": "Teen And Up Audiences",
    "warning": ["No Archive Warnings Apply"],
    "category": ["M/M"],
    "fandom": ["Star Wars Sequel Trilogy"],
    "relationship": ["Armitage Hux/Kylo Ren"],
    "character": ["Kylo Ren", "Armitage Hux"],
    "freeform": ["One Shot"],
}


@pytest.fixture
def make_work(author):
    from fanshelf.works.services import ChapterText, post_work

    def make(
        user=None,
        *,
        title="Perfect",
        chapters=("<p>Kylo had always seen Hux as perfect.</p>",),
        **kwargs,
    ):
        kwargs.setdefault("tags", STANDARD_TAGS)
        return post_work(
            user=user or author,
            title=title,
            chapters=[ChapterText(body=body, title="") for body in chapters],
            **kwargs,
        )

    return make


@pytest.fixture
def seed_text():
    if not SEED.exists():
        pytest.skip(f"seed work not found at {SEED} (it lives in ../shared/, outside the repo)")
    return SEED.read_text(encoding="utf-8")
