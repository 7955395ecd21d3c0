"""The authorization matrix's table: every URL pattern of the site, classified.

See tests/privacy/matrix.py for what each class is checked for.
"""

from dataclasses import dataclass

from tests.privacy.world import ROLES

LISTED_STATES = ("posted", "restricted", "anonymous")


@dataclass
class WorkPage:
    """A page about one work. ``creators_only``: only its creators get ``ok``."""

    path: str  # formatted with work, chapter, comment, bookmark ids
    method: str = "get"
    creators_only: bool = False
    ok: tuple = (200,)
    needs: str = ""  # "comment" / "bookmark": only states that have one
    api: bool = False
    posted_only: bool = False  # even creators get it only for posted works


W = WorkPage
WORK_PAGES = {
    "works:detail": W("/works/{work}/"),
    "works:navigate": W("/works/{work}/navigate/"),
    "works:chapter": W("/works/{work}/chapters/{chapter}/"),
    "works:edit": W("/works/{work}/edit/", creators_only=True),
    "works:delete": W("/works/{work}/delete/", creators_only=True),
    "works:publish": W("/works/{work}/post/", creators_only=True, ok=(200, 302, 405)),
    "works:add_chapter": W("/works/{work}/chapters/new/", creators_only=True),
    "works:reorder": W("/works/{work}/chapters/order/", creators_only=True, ok=(200, 302, 405)),
    "works:edit_chapter": W("/works/{work}/chapters/{chapter}/edit/", creators_only=True),
    "works:delete_chapter": W("/works/{work}/chapters/{chapter}/delete/", creators_only=True),
    "downloads:file": W("/works/{work}/download/zorb.html", posted_only=True),
    "bookmarks:work": W("/works/{work}/bookmarks/"),
    "reading:work_stats": W("/stats/works/{work}/", creators_only=True),
    "users:co_creators": W(
        "/users/quill/works/{work}/co-creators/", creators_only=True, ok=(200, 302, 403, 404)
    ),
    "feedback:comment": W("/comments/{comment}/", ok=(200, 302), needs="comment"),
    "feedback:reply": W("/comments/{comment}/reply/", ok=(200, 302, 405), needs="comment"),
    "api:v1:work": W("/api/v1/works/{work}", api=True),
    "api:v1:comments": W("/api/v1/works/{work}/comments", api=True),
    "moderation:report_target": W("/moderation/report/work/{work}/", posted_only=True),
}
# Same path as one above (django-ninja names each method), or a write: see POSTS.
SAME_PATH = {
    "api:v1:edit_work": "api:v1:work",
    "api:v1:remove_work": "api:v1:work",
    "api:v1:post_comment": "api:v1:comments",
}
# Other downloads: each format once, as a work page too.
DOWNLOAD_FORMATS = ("epub",)  # PDF: too slow for every cell


@dataclass
class Listing:
    """A page listing works. ``shows``: the states it lists (where the role may read)."""

    path: str  # formatted with creator, reader, fandom_id, series, word
    shows: tuple = ()
    roles: tuple = ROLES  # roles for which ``shows`` is checked
    api: bool = False
    guest_status: int = 200
    # A creator's page: an anonymous work must not be listed (nor counted) there.
    hides_anonymous: bool = False
    # The creator's own pseud pages name every pseud; the anonymous work stays unlisted.
    names_pseuds: bool = False
    # A sitemap lists addresses, not titles, and the same ones for everyone.
    by_url: bool = False


L = Listing
ACCOUNT = dict(roles=("reader",), guest_status=302)
LISTINGS = {
    "home": L("/"),
    "discovery:works": L("/works/", shows=LISTED_STATES),
    "discovery:works?fandom": L("/works/?fandom=Zorbfandom", shows=LISTED_STATES),
    "discovery:search": L("/works/search/?q={word}"),
    "discovery:works?q": L("/works/?q={word}", shows=("{state}",)),
    "series:detail": L("/series/{series}/", shows=LISTED_STATES),
    "users:works": L("/users/quill/works/", shows=("posted", "restricted"), hides_anonymous=True),
    "users:works:cowriter": L(
        "/users/cowriter/works/", shows=("posted", "restricted"), hides_anonymous=True
    ),
    "users:profile": L("/users/quill/", hides_anonymous=True, names_pseuds=True),
    "users:pseuds": L("/users/quill/pseuds/", hides_anonymous=True, names_pseuds=True),
    "users:pseud_works": L(
        "/users/quill/pseuds/quill/works/", shows=("posted", "restricted"), hides_anonymous=True
    ),
    "users:pseud_works:anonymous": L(
        "/users/quill/pseuds/Masqueradequill/works/", hides_anonymous=True, names_pseuds=True
    ),
    "users:pseud_bookmarks": L("/users/zreader/pseuds/zreader/bookmarks/", shows=LISTED_STATES),
    "bookmarks:user": L("/users/zreader/bookmarks/", shows=LISTED_STATES),
    "tags:index": L("/tags/?q=Zorb"),
    "tags:detail": L("/tags/Zorbfandom/"),
    "tags:works": L("/tags/Zorbfandom/works/", shows=LISTED_STATES),
    "tags:feed": L("/tags/Zorbfandom/feed.atom", shows=("posted", "anonymous")),
    "opds:root": L("/opds/"),
    "opds:recent": L("/opds/recent/", shows=LISTED_STATES),
    "opds:popular": L("/opds/popular/", shows=LISTED_STATES),
    "opds:fandoms": L("/opds/fandoms/"),
    "opds:fandom": L("/opds/fandoms/{fandom_id}/", shows=LISTED_STATES),
    "opds:search": L("/opds/search/?q={word}", shows=("{state}",)),
    "opds:opensearch": L("/opds/search.xml"),
    "sitemap": L("/sitemap.xml", shows=("posted", "anonymous"), by_url=True),
    "reading:history": L("/history/", guest_status=302),
    "reading:later": L("/later/", shows=LISTED_STATES, **ACCOUNT),
    "reading:stats": L("/stats/", shows=LISTED_STATES, roles=("creator",), guest_status=302),
    "notifications:inbox": L("/inbox/", guest_status=302),
    "notifications:subscriptions": L("/subscriptions/", shows=LISTED_STATES, **ACCOUNT),
    "api:v1:works": L("/api/v1/works", shows=LISTED_STATES, api=True),
    "api:v1:works?q": L("/api/v1/works?q={word}", shows=("{state}",), api=True),
    "api:v1:list_bookmarks": L("/api/v1/bookmarks?user=zreader", shows=LISTED_STATES, api=True),
    "api:v1:list_subscriptions": L(
        "/api/v1/subscriptions", shows=LISTED_STATES, api=True, roles=("reader",), guest_status=401
    ),
    "api:v1:notifications": L("/api/v1/notifications", api=True, guest_status=401),
    "api:v1:tags": L("/api/v1/tags?q=Zorb", api=True),
    "api:v1:lookup_tag": L("/api/v1/tags/lookup?name=Zorbfandom", api=True),
    "api:v1:tag": L("/api/v1/tags/{fandom_id}", api=True),
}
# Listings whose query names one state's word: checked once per state.
PER_STATE = {name for name, spec in LISTINGS.items() if "{word}" in spec.path}

# (c) Pages without a work: the status per role ("*": every other role).
LOGIN = {"guest": 302, "*": 200}
STAFF = {"guest": 302, "moderator": 200, "admin": 200, "*": 302}
WRANGLERS = {"guest": 302, "wrangler": 200, "admin": 200, "*": 403}
API_WRANGLERS = {"guest": 401, "wrangler": 200, "admin": 200, "*": 403}
GUESTS = {"guest": 200, "*": 302}
OWNER = {"guest": 302, "creator": 200, "*": 403}
MODERATORS = {"moderator": 200, "admin": 200, "*": 404}
PAGES = {
    "works:new": ("/works/new/", LOGIN),
    "imports:new": ("/works/import/", LOGIN),
    "feedback:held": ("/comments/held/", LOGIN),
    "muting:page": ("/muting/", LOGIN),
    "account:page": ("/account/", LOGIN),
    "wrangling:index": ("/wrangling/", WRANGLERS),
    "wrangling:log": ("/wrangling/log/", WRANGLERS),
    "tags:edit": ("/tags/Zorbfandom/wrangle/", WRANGLERS),
    "admin:index": ("/admin/", STAFF),
    "users:profile_edit": ("/users/quill/profile/edit/", OWNER),
    "users:pseud_new": ("/users/quill/pseuds/new/", OWNER),
    "users:invitations": ("/users/quill/pseuds/invitations/", OWNER),
    "users:pseud_edit": ("/users/quill/pseuds/Masqueradequill/edit/", OWNER),
    "users:pseud_delete": ("/users/quill/pseuds/Masqueradequill/delete/", OWNER),
    "reading:preferences": ("/preferences/", LOGIN),
    "portability:export": ("/account/export/", {"guest": 302, "*": 405}),
    "moderation:queue": ("/moderation/", MODERATORS),
    "moderation:log": ("/moderation/log/", MODERATORS),
    "moderation:security": ("/moderation/security/", MODERATORS),
    "moderation:work": ("/moderation/work/{posted}/", MODERATORS),
    "moderation:thanks": ("/moderation/report/thanks/", {"*": 200}),
    "api:index": ("/api/v1/", {"*": 200}),
    "api:v1:openapi-json": ("/api/v1/openapi.json", {"*": 200}),
    "api:v1:openapi-view": ("/api/v1/docs", {"*": 200}),
    "api:v1:api-root": ("/api/v1/", {"*": 200}),
    "api:v1:list_unwrangled": ("/api/v1/tags/unwrangled", API_WRANGLERS),
    "api:v1:tag_changes": ("/api/v1/tags/changes", API_WRANGLERS),
    "sign_up": ("/signup/", GUESTS),
    "login": ("/login/", GUESTS),
    "password_reset": ("/password/reset/", {"*": 200}),
    "password_reset_done": ("/password/reset/sent/", {"*": 200}),
    "password_reset_complete": ("/password/reset/done/", {"*": 200}),
    "claims:request": ("/claims/", LOGIN),
    "claims:sent": ("/claims/sent/", LOGIN),
    "account:request_invitation": ("/account/invitation/", GUESTS),
    "healthz": ("/healthz", {"*": 200}),
    "readyz": ("/readyz", {"*": 200}),
}
# Patterns with no page of their own to check here, and why.
ELSEWHERE = {
    "logout": "POST only; logs the client out",
    "account:change_email": "POST only (tests/accounts)",
    "account:change_username": "POST only (tests/accounts)",
    "account:delete": "POST only (tests/accounts)",
    "users:pseud_make_default": "POST only, own pseuds (tests/accounts)",
    "users:accept_invitation": "POST only, own co-creator invitation (tests/accounts)",
    "users:decline_invitation": "POST only, own co-creator invitation (tests/accounts)",
    "moderation:report": "needs a report (tests/moderation)",
    "moderation:comment": "moderators' action on a comment (tests/moderation)",
    "moderation:user": "moderators' action on a user (tests/moderation)",
    "moderation:lift": "POST only, moderators (tests/moderation)",
    "api:v1:unsubscribe_from": "DELETE of own subscription (tests/api)",
    "api:v1:suggest": "POST only, a suggestion for wranglers (tests/api)",
    "password_reset_confirm": "needs a signed token (tests/accounts)",
    "account:confirm_email": "needs a signed token (tests/accounts)",
    "account:send_confirmation": "POST only, rate limited (tests/accounts)",
    "claims:confirm": "needs a signed token (tests/imports)",
    "imports:batch": "a user's import batch (tests/imports)",
    "wrangling:revert": "POST only, wranglers (tests/tags)",
    "muting:mute": "POST only on a user (tests/muting)",
    "muting:unmute": "POST only on a user (tests/muting)",
    "muting:block": "POST only on a user (tests/muting)",
    "muting:unblock": "POST only on a user (tests/muting)",
    "reading:clear_history": "POST only, own history (tests/reading)",
    "reading:history_setting": "POST only, own setting (tests/reading)",
    "notifications:mark_all_read": "POST only, own inbox (tests/notifications)",
    "notifications:email_preference": "POST only, own setting (tests/notifications)",
    "notifications:mark_read": "own notification (tests/notifications)",
    "notifications:mark_unread": "own notification (tests/notifications)",
    "notifications:delete": "own notification (tests/notifications)",
    "notifications:unsubscribe": "own subscription (tests/notifications)",
    "api:v1:mark_read": "own notification (tests/api)",
    "api:v1:mark_all_read": "own inbox (tests/api)",
    "api:v1:subscription": "own subscription (tests/api)",
    "api:v1:unsubscribe": "own subscription (tests/api)",
    "api:v1:bookmark": "own bookmark (tests/api)",
    "api:v1:remove_bookmark": "own bookmark: see POSTS",
    "api:v1:create_work": "a new work, no existing one (tests/api)",
    "api:v1:set_canonical": "wrangling write (tests/api)",
    "api:v1:make_synonym": "wrangling write (tests/api)",
    "api:v1:add_parent": "wrangling write (tests/api)",
    "api:v1:remove_parent": "wrangling write (tests/api)",
    "api:v1:rename": "wrangling write (tests/api)",
    "api:v1:revert_change": "wrangling write (tests/api)",
    "api:?": "the API's JSON 404 for unknown paths",
    "feedback:edit": "own comment (tests/feedback); see test_tampering",
    "feedback:delete": "own comment (tests/feedback); see test_tampering",
    "feedback:approve": "creators' held comments (tests/feedback)",
    "bookmarks:delete": "see POSTS",
    "bookmarks:bookmark_series": "a series holds works of every state (tests/bookmarks)",
}


@dataclass
class Post:
    """A write about one work; ``model``: the rows it would add ("app.Model")."""

    path: str
    model: str
    data: dict
    api: bool = False
    method: str = "post"


POSTS = {
    "feedback:kudos": Post("/works/{work}/kudos/", "feedback.Kudos", {}),
    "feedback:new_comment": Post(
        "/works/{work}/comments/new/",
        "feedback.Comment",
        {"body": "Sneaky.", "guest_name": "Sneak", "guest_email": "s@example.org"},
    ),
    "bookmarks:bookmark_work": Post("/works/{work}/bookmark/", "bookmarks.Bookmark", {}),
    "reading:set_later": Post("/later/{work}/", "reading.Reading", {"later": "on"}),
    "notifications:subscribe": Post(
        "/subscriptions/new/", "notifications.Subscription", {"work": "{work}"}
    ),
    "api:v1:kudos": Post("/api/v1/works/{work}/kudos", "feedback.Kudos", {}, api=True),
    "api:v1:comments:post": Post(
        "/api/v1/works/{work}/comments", "feedback.Comment", {"body": "Sneaky."}, api=True
    ),
    "api:v1:create_chapter": Post(
        "/api/v1/works/{work}/chapters", "works.Chapter", {"body": "<p>Sneaky.</p>"}, api=True
    ),
    "api:v1:bookmarks": Post(
        "/api/v1/bookmarks", "bookmarks.Bookmark", {"work": "{work}"}, api=True
    ),
    "api:v1:subscriptions": Post(
        "/api/v1/subscriptions", "notifications.Subscription", {"work": "{work}"}, api=True
    ),
}
POST_ALIASES = {"api:v1:post_comment": "api:v1:comments:post"}
