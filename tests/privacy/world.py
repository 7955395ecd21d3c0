"""One small archive with a work in every state and a user in every role.

Every work has a distinctive title (``Zorbtitle<state>``) and a distinctive word in
its chapter text (``Zorbword<state>``); the anonymous work is credited to a pseud with
a distinctive name (``Masqueradequill``) so a page that gives the creator away is
easy to spot. All works share the fandom ``Zorbfandom`` and sit in one series, and
the posted ones carry comments, kudos, bookmarks, subscriptions and "later" marks,
so every listing and feed has something to show (or to leak).

Roles (the keys of ``World.users``; ``guest`` is ``None``):

- ``creator``: ``quill``, who created every work;
- ``cocreator``: ``cowriter``, credited on every work with a second creatorship;
- ``reader``: a plain registered user;
- ``muted``: a user whom the creator has muted;
- ``blocked``: a user whom the creator has blocked;
- ``wrangler``, ``moderator``, ``admin``: users with those roles.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

STATES = ("draft", "scheduled", "posted", "restricted", "anonymous", "hidden")
ROLES = (
    "guest",
    "reader",
    "creator",
    "cocreator",
    "muted",
    "blocked",
    "wrangler",
    "moderator",
    "admin",
)
CREATORS = ("creator", "cocreator")
ANONYMOUS_PSEUD = "Masqueradequill"
FANDOM = "Zorbfandom"
SERIES_TITLE = "Zorbseriesshelf"
PASSWORD = "correct horse battery"
# C (moderation) makes hidden works readable by moderators and admins.
MODERATORS_READ_HIDDEN = True


def title_of(state: str) -> str:
    return f"Zorbtitle{state}"


def word_of(state: str) -> str:
    return f"Zorbword{state}"


def may_read(role: str, state: str) -> bool:
    """Who may read a work in ``state``: the rule of issue 8, item 3."""
    if role in CREATORS:
        return True
    if state in ("posted", "anonymous"):
        return True
    if state == "restricted":
        return role != "guest"
    if state == "hidden":
        return MODERATORS_READ_HIDDEN and role in ("moderator", "admin")
    return False  # draft, scheduled


def may_know_creator(role: str, state: str) -> bool:
    """Whether ``role`` may see who created the work (anonymous: its creators only)."""
    if state == "anonymous":
        return role in CREATORS
    return may_read(role, state)


@dataclass
class World:
    users: dict  # role -> User (guest: None)
    works: dict  # state -> Work
    chapters: dict  # state -> first Chapter
    comments: dict  # state -> a Comment on that work (posted-like states only)
    bookmarks: dict  # state -> the reader's Bookmark of it (posted-like states only)
    series: object
    fandom: object
    tokens: dict = field(default_factory=dict)  # role -> API token

    def user(self, role: str):
        return self.users[role]


def build_world() -> World:
    """Create the archive; call inside a test that has the database."""
    from fanshelf.accounts.models import Pseud
    from fanshelf.accounts.services import create_user, issue_api_token
    from fanshelf.bookmarks.services import bookmark
    from fanshelf.feedback.services import give_kudos, post_comment
    from fanshelf.muting.services import block, mute
    from fanshelf.notifications.services import subscribe
    from fanshelf.reading.services import mark_for_later
    from fanshelf.tags import graph
    from fanshelf.tags.models import Tag
    from fanshelf.works.models import Creatorship, Work
    from fanshelf.works.services import ChapterText, post_work

    role_of = {"wrangler": "wrangler", "moderator": "moderator", "admin": "admin"}
    names = {
        "reader": "zreader",
        "creator": "quill",
        "cocreator": "cowriter",
        "muted": "zmuted",
        "blocked": "zblocked",
        "wrangler": "zwrangler",
        "moderator": "zmoderator",
        "admin": "zadmin",
    }
    users = {"guest": None}
    for role, username in names.items():
        users[role] = create_user(
            username=username,
            email=f"{username}@example.org",
            password=PASSWORD,
            role=role_of.get(role, "reader"),
        )
    creator, cocreator = users["creator"], users["cocreator"]
    mute(user=creator, target=users["muted"])
    block(user=creator, target=users["blocked"])
    masquerade = Pseud.objects.create(user=creator, name=ANONYMOUS_PSEUD)

    tags = {
        "rating": "Teen And Up Audiences",
        "warning": ["No Archive Warnings Apply"],
        "fandom": [FANDOM],
        "freeform": ["Zorbshared"],
    }
    works, chapters, comments, bookmarks = {}, {}, {}, {}
    for state in STATES:
        draft = state in ("draft", "scheduled")
        work = post_work(
            user=creator,
            pseud=masquerade if state == "anonymous" else None,
            title=title_of(state),
            summary=f"<p>Summary of {title_of(state)}.</p>",
            chapters=[ChapterText(body=f"<p>Hux said {word_of(state)} twice.</p>", title="")],
            tags=tags,
            series=SERIES_TITLE,
            restricted=state == "restricted",
            anonymous=state == "anonymous",
            state=Work.State.DRAFT if draft else Work.State.POSTED,
        )
        Creatorship.objects.create(work=work, pseud=cocreator.default_pseud, position=1)
        if not draft:
            # Feedback while posted, before a moderator hides the work.
            comments[state] = post_comment(
                work=work, user=users["reader"], body=f"Loved {title_of(state)}!"
            )
            post_comment(work=work, user=creator, body="Thank you, reader.")
            give_kudos(work=work, user=users["reader"])
            bookmarks[state] = bookmark(
                user=users["reader"], work=work, notes="Rec!", tags=["Zorbrec"], rec=True
            )[0]
            subscribe(user=users["reader"], work=work)
            mark_for_later(user=users["reader"], work=work)
        works[state] = work
        chapters[state] = work.chapters.get(position=1)

    later = timezone.now() + datetime.timedelta(days=30)
    Work.objects.filter(pk=works["scheduled"].pk).update(
        state=Work.State.SCHEDULED, published_at=later
    )
    Work.objects.filter(pk=works["hidden"].pk).update(state=Work.State.HIDDEN)
    # A canonical fandom, so tag pages, feeds and OPDS find the works under it.
    Tag.objects.filter(name=FANDOM).update(canonical=True)
    graph.refresh_filter_tags([w.pk for w in works.values()])
    _reindex([w.pk for w in works.values()])
    for state in STATES:
        works[state].refresh_from_db()
    subscribe(user=users["reader"], creator=creator)

    tokens = {role: issue_api_token(user=user) for role, user in users.items() if user}
    return World(
        users=users,
        works=works,
        chapters=chapters,
        comments=comments,
        bookmarks=bookmarks,
        series=works["posted"].series,
        fandom=Tag.objects.get(name=FANDOM),
        tokens=tokens,
    )


def _reindex(work_ids: list[int]) -> None:
    from fanshelf.discovery.search import backend

    backend().index_works(work_ids)
