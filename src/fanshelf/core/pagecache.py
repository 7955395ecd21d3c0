"""Whole pages for guests, kept in the cache per revision and served without rendering.

Most readers are guests, and a guest's work page or listing is the same for every
guest: it is rendered once and then served from the ``pages`` cache (Redis when
configured, else a folder of files every process on the machine shares).

- **What is cached**: a GET or HEAD answer of 200 to a visitor who is not signed in
  and has no messages waiting, keyed by host, scheme, path with query string,
  language, time zone and whatever else the view names in ``vary``.
- **Revisions**: each page belongs to scopes (``work:12``, ``listings``,
  ``display``). Each scope has a version number in the cache; a change bumps it
  after commit (``bump_after_commit``; the receivers are in
  ``fanshelf.core.invalidation``) and every page of the scope is out of date.
- **No miss storm**: an out-of-date page is rebuilt by one request (a short lock in
  the cache) while the others keep getting the previous copy; only a page that was
  never cached is rendered by everyone who asks at once. Pages are due again after
  ``settings.PAGE_CACHE_SECONDS`` (``LISTING_CACHE_SECONDS`` for listings, whose
  kudos and hit counts are not bumped), which bounds what a missed bump can leave;
  a due page is rebuilt the same way, one request at a time.
- **CSRF**: the page is rendered with a placeholder instead of the CSRF token, and
  each answer gets the visitor's own token in its place (and the cookie).

Views stay in charge of who may see what: they check visibility before asking here.
"""

import functools
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

CACHE_ALIAS = "pages"
# Rendered where each {% csrf_token %} goes; replaced by the visitor's token.
CSRF_PLACEHOLDER = "fanshelf-csrf-placeholder-5f0d9c1e"
PREFIX = "page"
# How long one request may rebuild an out-of-date page before another may try.
REBUILD_LOCK_SECONDS = 15
# The least time a page is kept after it is due, to be served while it is rebuilt.
STALE_SECONDS = 300
SESSION_MESSAGES_KEY = "_messages"

# Scopes every page of a kind belongs to.
DISPLAY = "display"  # names and tags shown on every page: tag, pseud and user renames
LISTINGS = "listings"  # any work posted, changed, hidden or deleted


def work_scope(work_id: int) -> str:
    return f"work:{work_id}"


def _cache():
    return caches[CACHE_ALIAS]


def _version_key(scope: str) -> str:
    return f"{PREFIX}:v:{scope}"


def bump(*scopes: str) -> None:
    """Mark every cached page of these scopes out of date, now."""
    cache = _cache()
    for scope in scopes:
        key = _version_key(scope)
        try:
            cache.incr(key)
        except ValueError:
            # Never set, or evicted: start from the clock so a number reused after
            # an eviction cannot match a page stored under the old count.
            cache.set(key, time.time_ns(), timeout=None)


def bump_after_commit(*scopes: str) -> None:
    """Bump once the current transaction commits (at once outside one).

    Bumping earlier would let a reader render the old rows under the new version.
    """
    transaction.on_commit(lambda: bump(*scopes))


def is_guest_request(request) -> bool:
    """A GET/HEAD from someone not signed in with no messages to show: the same for all."""
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    # Only a guest who has a session (kudos left, the adult notice answered) pays
    # for loading it here.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return SESSION_MESSAGES_KEY not in request.session
    return True


@dataclass
class CachedPage:
    """One guest page's place in the cache, found before the view renders anything."""

    key: str
    seconds: int
    versions: tuple = ()
    entry: dict | None = None

    @property
    def meta(self) -> dict:
        """What the view stored beside the page (e.g. whether the work is adult)."""
        return self.entry["meta"] if self.entry is not None else {}

    @property
    def fresh(self) -> bool:
        """Stored under the current versions and not older than its time allows."""
        return (
            self.entry is not None
            and self.entry["versions"] == self.versions
            and time.time() < self.entry.get("fresh_until", 0)
        )


def find(request, *, scopes: Iterable[str], seconds: int, vary: Iterable = ()) -> CachedPage | None:
    """The cache entry for this guest request (fresh, stale or missing), in one round trip.

    None when the page is not for caching (a signed-in reader, messages waiting,
    a POST, or caching turned off with ``seconds`` 0).
    """
    if seconds <= 0 or not is_guest_request(request):
        return None
    scopes = (DISPLAY, *scopes)
    parts = [
        request.get_host(),
        request.scheme,
        request.get_full_path(),
        get_language() or "",
        timezone.get_current_timezone_name(),
        *map(str, vary),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    key = f"{PREFIX}:{digest}"
    version_keys = [_version_key(scope) for scope in scopes]
    found = _cache().get_many([key, *version_keys])
    return CachedPage(
        key=key,
        seconds=seconds,
        versions=tuple(found.get(version_key, 0) for version_key in version_keys),
        entry=found.get(key),
    )


def _for_visitor(request, response: HttpResponse, body: bytes) -> HttpResponse:
    """``response`` with ``body``, the visitor's own CSRF token in the placeholder's place."""
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder in body:
        body = body.replace(placeholder, get_token(request).encode())
    response.content = body
    patch_vary_headers(response, ("Cookie",))
    return response


def cached_response(request, page: CachedPage | None) -> HttpResponse | None:
    """The stored answer when it is fresh, or stale while another request rebuilds it."""
    if page is None or page.entry is None:
        return None
    if not page.fresh and _cache().add(f"{page.key}:rebuilding", 1, REBUILD_LOCK_SECONDS):
        return None  # this request rebuilds it
    response = HttpResponse(content_type=page.entry["content_type"])
    response["X-Fanshelf-Cache"] = "hit" if page.fresh else "stale"
    return _for_visitor(request, response, page.entry["body"])


def store(request, page: CachedPage | None, build: Callable[[], HttpResponse], meta=None):
    """Render with ``build()`` and keep a plain 200 for the next guests.

    Any answer goes out with the visitor's own CSRF token in the placeholder's place.

    While ``build`` runs, templates get the CSRF placeholder instead of a token
    (``csrf_placeholder``, a context processor). A page whose rendering asked for a
    real CSRF token, set a cookie or left a message is answered but not kept: it was
    not the same for every guest.
    """
    if page is None:
        return build()
    request._fanshelf_csrf_placeholder = True
    try:
        response = build()
    finally:
        del request._fanshelf_csrf_placeholder
    if response.streaming:
        return response
    body = response.content
    if (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "_messages", None)
    ):
        entry = {
            "versions": page.versions,
            "body": body,
            "content_type": response["Content-Type"],
            "meta": meta or {},
            "fresh_until": time.time() + page.seconds,
        }
        cache = _cache()
        # Kept past its time, so that when it is due one request rebuilds it while the
        # others still get this copy, as after a change.
        cache.set(page.key, entry, page.seconds + max(page.seconds, STALE_SECONDS))
        cache.delete(f"{page.key}:rebuilding")
        response["X-Fanshelf-Cache"] = "miss"
    return _for_visitor(request, response, body)


def csrf_placeholder(request) -> dict:
    """Context processor: the placeholder as ``csrf_token`` while a guest page is built."""
    if getattr(request, "_fanshelf_csrf_placeholder", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def guest_cached(*scopes: str, seconds_setting: str = "LISTING_CACHE_SECONDS"):
    """Decorate a view whose whole page is the same for every guest (listings, home).

    The view checks nothing that depends on the visitor beyond what ``find`` keys
    on; the page belongs to ``scopes`` (default: the listings scope).
    """
    scopes = scopes or (LISTINGS,)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            page = find(request, scopes=scopes, seconds=getattr(settings, seconds_setting))
            if (response := cached_response(request, page)) is not None:
                return response
            return store(request, page, lambda: view(request, *args, **kwargs))

        return wrapped

    return decorator


def attach_versions(works) -> None:
    """Give each work ``page_version`` (its scope's and the display version), in one
    round trip: ``works/_blurb.html`` keeps a rendered blurb under it, for every
    reader with the same tag preferences, signed in or not."""
    works = list(works)
    keys = [_version_key(DISPLAY), *(_version_key(work_scope(work.pk)) for work in works)]
    found = _cache().get_many(keys)
    display = found.get(keys[0], 0)
    for work, key in zip(works, keys[1:], strict=True):
        work.page_version = f"{display}.{found.get(key, 0)}"
