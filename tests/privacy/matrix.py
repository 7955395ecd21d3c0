"""The authorization matrix: every URL of the site, every role, every work state.

``run(world)`` requests every classified page as every role and returns the list of
failures (leaks, wrong statuses, missing entries) as readable lines, so one run
shows every problem. ``unclassified()`` names the URL patterns the table lacks.

The table (``WORK_PAGES``, ``LISTINGS``, ``PAGES``, ``POSTS``) classifies every named
URL pattern of the resolver, the API's django-ninja routes included:

(a) ``WORK_PAGES``: a page about one work (its id, a chapter's, a comment's): asked
    for every role x state. Where the role may not read the work the answer must be
    the one a nonexistent id gets (same status, never 200), with none of the work's
    title, text or anonymous creator in it.
(b) ``LISTINGS``: listings, feeds, OPDS, search, sitemaps, user and tag pages, API
    lists: asked as every role; none of the unreadable works (nor an anonymous
    work's creator) may appear, and the works the listing shows must be there.
(c) ``PAGES``: pages without a work; the status each role gets.
(d) ``POSTS``: writes about a work (kudos, comments, bookmarks, subscriptions,
    later, API writes): on a work the role may not read, 404 and nothing written.
"""

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.privacy.table import (
    DOWNLOAD_FORMATS,
    ELSEWHERE,
    LISTED_STATES,
    LISTINGS,
    PAGES,
    PER_STATE,
    POST_ALIASES,
    POSTS,
    SAME_PATH,
    WORK_PAGES,
    W,
)
from tests.privacy.world import (
    ANONYMOUS_PSEUD,
    CREATORS,
    ROLES,
    STATES,
    may_know_creator,
    may_read,
    title_of,
    word_of,
)

MISSING = 999_999
# How a page, a feed, the API or a download would name the anonymous work's creators.
CREATOR_NAMES = [
    pattern % name
    for name in ("quill", "cowriter")
    for pattern in ("/users/%s/", '"%s"', ">%s<", "by %s")
]


def walk(patterns=None, prefix="", namespace=""):
    """(name, route) of every URL pattern, through includes and namespaces."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = namespace
            if pattern.namespace:
                space = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            full = f"{namespace}:{name}" if namespace and name else (name or namespace + ":?")
            yield full, prefix + str(pattern.pattern)


def classified() -> set[str]:
    names = set(WORK_PAGES) | set(SAME_PATH) | set(PAGES) | set(ELSEWHERE) | set(POSTS)
    names |= {name.split("?")[0] for name in LISTINGS} | set(POST_ALIASES)
    return names


def unclassified() -> list[str]:
    """'name route' of every resolver pattern the table does not classify."""
    known = classified()
    return [
        f"{name} {route}"
        for name, route in walk()
        if name not in known and not (name.startswith("admin:") and name != "admin:index")
    ]


class Requester:
    """One logged-in client per role; the API gets the role's bearer token."""

    def __init__(self, world):
        self.world = world
        self.clients = {}
        for role in ROLES:
            client = Client(raise_request_exception=False)
            if world.users[role] is not None:
                client.force_login(world.users[role])
            self.clients[role] = client
        self.count = 0

    def __call__(self, role, method, path, *, api=False, data=None):
        self.count += 1
        headers = {}
        if api and role != "guest":
            headers["Authorization"] = f"Bearer {self.world.tokens[role]}"
        client = Client(raise_request_exception=False) if api else self.clients[role]
        call = getattr(client, method)
        if api and method != "get":
            import json

            return call(
                path, json.dumps(data or {}), content_type="application/json", headers=headers
            )
        return call(path, data or {}, headers=headers)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    content = response.content
    if content[:2] == b"PK" or content[:4] == b"%PDF":
        return _binary_text(response)
    return content.decode("utf-8", "replace")


def _binary_text(response) -> str:
    """The text of a zip (EPUB) download, every member's, for leak checks."""
    import io
    import zipfile

    content = response.content
    if content[:2] != b"PK":
        return content.decode("latin-1")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def _secrets(role: str, *, except_state: str | None = None) -> list[tuple[str, str]]:
    """(state, string) pairs ``role`` must not see anywhere."""
    found = []
    for state in STATES:
        if state == except_state:
            continue
        if not may_read(role, state):
            found += [(state, title_of(state)), (state, word_of(state))]
    if not may_know_creator(role, "anonymous"):
        found.append(("anonymous", ANONYMOUS_PSEUD))
    return found


def _ids(world, state):
    ids = {
        "work": world.works[state].pk,
        "chapter": world.chapters[state].pk,
        "comment": getattr(world.comments.get(state), "pk", None),
        "bookmark": getattr(world.bookmarks.get(state), "pk", None),
        "series": world.series.pk,
    }
    return ids


MISSING_IDS = {"work": MISSING, "chapter": MISSING, "comment": MISSING, "bookmark": MISSING}


def check_work_pages(world, request, only=None) -> list[str]:
    failures = []
    pages = dict(WORK_PAGES)
    for extension in DOWNLOAD_FORMATS:
        pages[f"downloads:file.{extension}"] = W(
            f"/works/{{work}}/download/zorb.{extension}", posted_only=True
        )
    for name, page in pages.items():
        if only and name not in only:
            continue
        for role in ROLES:
            missing = request(role, page.method, page.path.format(**MISSING_IDS), api=page.api)
            for state in STATES:
                ids = _ids(world, state)
                if page.needs and ids[page.needs] is None:
                    continue
                path = page.path.format(**ids)
                response = request(role, page.method, path, api=page.api)
                body = _text(response)
                allowed = may_read(role, state) and (not page.creators_only or role in CREATORS)
                ok = page.ok
                if page.posted_only and state not in LISTED_STATES:
                    # Creators may get it or a 404 for an unposted work; nobody else may.
                    ok = (*page.ok, 404)
                    allowed = allowed and role in CREATORS
                if allowed and response.status_code == 301:
                    # A download's name follows the title: ask again at the right one.
                    response = request(role, page.method, response["Location"], api=page.api)
                    body = _text(response)
                where = f"{name} {path} as {role} ({state})"
                if allowed and response.status_code not in ok:
                    failures.append(f"{where}: {response.status_code}, expected {ok}")
                if not allowed:
                    if response.status_code == 200:
                        failures.append(f"{where}: 200 for a work it may not see")
                    if not may_read(role, state) and response.status_code != missing.status_code:
                        failures.append(
                            f"{where}: {response.status_code}, but a missing id gives "
                            f"{missing.status_code} (reveals the work exists)"
                        )
                if state == "anonymous" and role not in CREATORS:
                    for name_shown in CREATOR_NAMES:
                        if name_shown in body:
                            failures.append(f"{where}: names its creator with {name_shown!r}")
                for secret_state, secret in _secrets(role, except_state=None):
                    own = allowed and secret_state == state and secret != ANONYMOUS_PSEUD
                    if secret in body and not own:
                        failures.append(f"{where}: shows {secret!r} ({secret_state})")
    return failures


def _listing_paths(world, name, listing):
    values = {
        "fandom_id": world.fandom.pk,
        "series": world.series.pk,
    }
    if name in PER_STATE:
        for state in STATES:
            yield state, listing.path.format(word=word_of(state), **values)
    else:
        yield None, listing.path.format(**values)


def check_listings(world, request, only=None) -> list[str]:
    failures = []
    for name, listing in LISTINGS.items():
        if only and name not in only:
            continue
        for role in ROLES:
            for query_state, path in _listing_paths(world, name, listing):
                response = request(role, "get", path, api=listing.api)
                where = f"{name} {path} as {role}"
                expected = listing.guest_status if role == "guest" else 200
                if response.status_code != expected:
                    failures.append(f"{where}: {response.status_code}, expected {expected}")
                    continue
                body = _text(response)
                for secret_state, secret in _secrets(role):
                    # A search page repeats the words searched for.
                    echo = query_state and secret == word_of(query_state)
                    pseud = listing.names_pseuds and secret == ANONYMOUS_PSEUD
                    if secret in body and not echo and not pseud:
                        failures.append(f"{where}: shows {secret!r} ({secret_state})")
                anonymous_title = title_of("anonymous")
                if listing.hides_anonymous and role not in CREATORS and anonymous_title in body:
                    failures.append(f"{where}: lists the anonymous {anonymous_title!r}")
                if role == "guest" and expected != 200 or role not in listing.roles:
                    continue
                shows = listing.shows
                if query_state is not None:
                    shows = (query_state,) if "{state}" in shows else ()
                    shows = tuple(s for s in shows if s in LISTED_STATES)
                if listing.by_url:
                    for state in STATES:
                        url = f"/works/{world.works[state].pk}/<"
                        if (state in shows) != (url in body):
                            failures.append(f"{where}: lists {state} works wrongly")
                    continue
                for state in shows:
                    if may_read(role, state) and title_of(state) not in body:
                        failures.append(f"{where}: does not list {title_of(state)!r}")
    return failures


def check_pages(world, request) -> list[str]:
    failures = []
    for name, (path, statuses) in PAGES.items():
        path = path.format(posted=world.works["posted"].pk)
        for role in ROLES:
            expected = statuses.get(role, statuses.get("*"))
            response = request(role, "get", path, api=name.startswith("api:"))
            if response.status_code != expected:
                failures.append(
                    f"{name} {path} as {role}: {response.status_code}, expected {expected}"
                )
                continue
            body = _text(response) if response.status_code == 200 else ""
            for secret_state, secret in _secrets(role):
                if secret in body:
                    failures.append(f"{name} {path} as {role}: shows {secret!r} ({secret_state})")
    return failures


def check_posts(world, request) -> list[str]:
    from django.apps import apps

    failures = []
    for name, post in POSTS.items():
        model = apps.get_model(post.model)
        for role in ROLES:
            missing_data = {key: value.format(**MISSING_IDS) for key, value in post.data.items()}
            missing = request(
                role, post.method, post.path.format(**MISSING_IDS), api=post.api, data=missing_data
            )
            for state in STATES:
                if may_read(role, state):
                    continue
                ids = _ids(world, state)
                path = post.path.format(**ids)
                data = {key: value.format(**ids) for key, value in post.data.items()}
                before = model.objects.count()
                response = request(role, post.method, path, api=post.api, data=data)
                where = f"{name} POST {path} as {role} ({state})"
                status = response.status_code
                if status != missing.status_code or 200 <= status < 300:
                    failures.append(
                        f"{where}: {status}, but a missing id gives {missing.status_code}"
                    )
                if model.objects.count() != before:
                    failures.append(f"{where}: wrote a {post.model}")
    return failures


def run(world) -> tuple[list[str], int]:
    """Every failure of the matrix, and how many requests it made."""
    request = Requester(world)
    failures = []
    failures += check_work_pages(world, request)
    failures += check_listings(world, request)
    failures += check_pages(world, request)
    failures += check_posts(world, request)
    return failures, request.count
