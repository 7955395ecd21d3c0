"""Everything a user put into the archive, as one zip: their "Download my data".

Only what the user can already see: their own rows, the titles and addresses of the
works they touched, never another user's email or private bookmarks. Queries are a
fixed number per file, whatever the number of works (each listing is prefetched).
"""

import json
import zipfile

from django.conf import settings
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fanshelf.downloads import formats
from fanshelf.downloads.book import book_of, work_slug
from fanshelf.works.export import work_to_dict
from fanshelf.works.models import Chapter, Work
from fanshelf.works.selectors import visible_works, with_blurb_data

README = gettext_noop(
    """Your data from Fanshelf ({site}), exported {date} for {username}.

profile.json        your account: username, email, date joined, role, profile and its
                    links, pseuds, preferences, the users you muted and blocked, and the
                    first characters of your API tokens (the tokens themselves are never
                    kept).
icons/              your pseuds' icons.
works/              every work you created, in every state (drafts, scheduled and
                    hidden works and anonymous ones too): <id>-<title>.json is the full
                    record (metadata, tags, creators, every chapter's text as HTML);
                    posted works also come as <id>-<title>.epub, the e-book readers
                    download. Drafts and other unposted works have the JSON only.
bookmarks.json      your bookmarks: what they point at, notes, tags, rec, private.
comments.json       the comments you wrote, with the work and chapter they are on.
kudos.json          the works you left kudos on.
subscriptions.json  the works, series and creators you subscribed to.
history.json        your reading history and works marked for later.
notifications.json  the notifications in your inbox.
imports.json        the works you imported and where from.

Dates are in UTC (ISO 8601). The JSON files are UTF-8.
"""
)


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _url(obj) -> str | None:
    return settings.SITE_URL + obj.get_absolute_url() if obj is not None else None


def _readable(user, rows) -> set[int]:
    """Ids of the rows' works ``user`` may read now: others' works that became drafts or
    were hidden since are named by id only (one query for the whole list)."""
    work_ids = {row.work_id for row in rows if row.work_id}
    return set(visible_works(user).filter(pk__in=work_ids).values_list("pk", flat=True))


def _title(work, readable: set[int]) -> str | None:
    return work.title if work is not None and work.pk in readable else None


def _work_url(work, readable: set[int]) -> str | None:
    return _url(work) if work is not None and work.pk in readable else None


def _json(data) -> bytes:
    return (
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    ).encode()


def _own_fields(obj) -> dict | None:
    """Every field of a user's own row (whatever fields the model grows), ids left out."""
    if obj is None:
        return None
    fields = model_to_dict(obj)
    return {k: v for k, v in fields.items() if k not in {"id", "user"} and not hasattr(v, "url")}


def icon_name(pseud) -> str:
    return f"icons/{pseud.pk}-{pseud.icon.name.rsplit('/', 1)[-1]}"


def profile(user) -> dict:
    from fanshelf.accounts.models import Profile, ProfileLink
    from fanshelf.notifications.models import NotificationPreference
    from fanshelf.reading.models import ReadingPreference

    preference = ReadingPreference.objects.filter(user=user).first()
    return {
        "profile": _own_fields(Profile.objects.filter(user=user).first()),
        "profile_links": [_own_fields(link) for link in ProfileLink.objects.filter(user=user)],
        "notification_preferences": _own_fields(
            NotificationPreference.objects.filter(user=user).first()
        ),
        "username": user.username,
        "email": user.email,
        "date_joined": _when(user.date_joined),
        "role": user.role,
        "pseuds": [
            {
                "name": p.name,
                "description": p.description,
                "default": p.is_default,
                "icon": icon_name(p) if p.icon else None,
                "icon_alt": p.icon_alt,
            }
            for p in user.pseuds.order_by("name")
        ],
        # Every preference field, whatever the model grows: model_to_dict follows it.
        "preferences": (
            {k: v for k, v in model_to_dict(preference).items() if k not in {"id", "user"}}
            if preference
            else None
        ),
        "muted": sorted(user.mutes.values_list("muted__username", flat=True)),
        "blocked": sorted(user.blocks.values_list("blocked__username", flat=True)),
        "api_tokens": [
            {
                "prefix": t.prefix,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
            }
            for t in user.api_tokens.order_by("created_at")
        ],
    }


def own_works(user):
    chapters = Prefetch("chapters", queryset=Chapter.objects.order_by("position"))
    return (
        with_blurb_data(Work.objects.filter(creatorships__pseud__user=user).distinct())
        .prefetch_related(chapters)
        .order_by("pk")
    )


def bookmarks(user) -> list[dict]:
    from fanshelf.bookmarks.models import Bookmark

    rows = list(
        Bookmark.objects.filter(user=user)
        .select_related("work", "series", "pseud")
        .prefetch_related("tags")
        .order_by("pk")
    )
    readable = _readable(user, rows)
    return [
        {
            "work_id": b.work_id,
            "series_id": b.series_id,
            "title": b.series.title if b.series else _title(b.work, readable),
            "url": _url(b.series) if b.series else _work_url(b.work, readable),
            "pseud": b.pseud.name,
            "notes": b.notes,
            "tags": sorted(tag.name for tag in b.tags.all()),
            "rec": b.rec,
            "private": b.private,
            "created_at": _when(b.created_at),
        }
        for b in rows
    ]


def comments(user) -> list[dict]:
    from fanshelf.feedback.models import Comment

    rows = list(Comment.objects.filter(user=user).select_related("work", "chapter").order_by("pk"))
    readable = _readable(user, rows)
    return [
        {
            "id": c.pk,
            "work_id": c.work_id,
            "work_title": _title(c.work, readable),
            "chapter": c.chapter.position if c.chapter else None,
            "parent_id": c.parent_id,
            "body_html": c.body,
            "state": c.state,
            "created_at": _when(c.created_at),
            "edited_at": _when(c.edited_at),
        }
        for c in rows
    ]


def kudos(user) -> list[dict]:
    from fanshelf.feedback.models import Kudos

    rows = list(Kudos.objects.filter(user=user).select_related("work").order_by("pk"))
    readable = _readable(user, rows)
    return [
        {
            "work_id": k.work_id,
            "work_title": _title(k.work, readable),
            "url": _work_url(k.work, readable),
            "created_at": _when(k.created_at),
        }
        for k in rows
    ]


def subscriptions(user) -> list[dict]:
    from fanshelf.notifications.models import Subscription

    rows = list(
        Subscription.objects.filter(user=user)
        .select_related("work", "series", "creator")
        .order_by("pk")
    )
    readable = _readable(user, rows)
    return [
        {
            "work_id": s.work_id,
            "series_id": s.series_id,
            "title": s.series.title if s.series else _title(s.work, readable),
            "creator": s.creator.username if s.creator_id else None,
            "created_at": _when(s.created_at),
        }
        for s in rows
    ]


def history(user) -> list[dict]:
    from fanshelf.reading.models import Reading

    rows = list(
        Reading.objects.filter(user=user).select_related("work", "last_chapter").order_by("pk")
    )
    readable = _readable(user, rows)
    return [
        {
            "work_id": r.work_id,
            "work_title": _title(r.work, readable),
            "url": _work_url(r.work, readable),
            "visits": r.visits,
            "first_read_at": _when(r.first_read_at),
            "last_read_at": _when(r.last_read_at),
            "last_chapter": r.last_chapter.position if r.last_chapter else None,
            "later": r.later,
            "later_at": _when(r.later_at),
        }
        for r in rows
    ]


def notifications(user) -> list[dict]:
    from fanshelf.notifications.models import Notification

    rows = Notification.objects.filter(recipient=user).order_by("pk")
    return [
        {
            "kind": n.kind,
            "text": n.text,
            "url": n.url,
            "created_at": _when(n.created_at),
            "read_at": _when(n.read_at),
        }
        for n in rows
    ]


def imports(user) -> list[dict]:
    from fanshelf.imports.models import ImportRecord

    rows = list(ImportRecord.objects.filter(user=user).select_related("work").order_by("pk"))
    readable = _readable(user, rows)
    return [
        {
            "work_id": r.work_id,
            "work_title": _title(r.work, readable),
            "source": r.source,
            "created_at": _when(r.created_at),
        }
        for r in rows
    ]


def write_user_export(*, user, file) -> None:
    """Write ``user``'s data zip to ``file`` (a path or a binary file opened for writing).

    Each part is written as soon as it is built, e-books one work at a time, so a big
    account needs memory for one work, not for the whole zip.
    """
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        zf.writestr(
            "README.txt",
            _(README).format(
                site=settings.SITE_URL, date=timezone.now().date(), username=user.username
            ),
        )
        zf.writestr("profile.json", _json(profile(user)))
        for pseud in user.pseuds.exclude(icon=""):
            try:
                with pseud.icon.open("rb") as icon:
                    zf.writestr(icon_name(pseud), icon.read())
            except FileNotFoundError:
                continue  # the row outlived its file: nothing to give back
        for work in own_works(user):
            chapters = list(work.chapters.all())
            stem = f"works/{work.pk}-{work_slug(work_id=work.pk, title=work.title)}"
            zf.writestr(
                f"{stem}.json", _json(work_to_dict(work, chapters=chapters, reveal_anonymous=True))
            )
            if work.state == Work.State.POSTED:
                posted = [c for c in chapters if c.state == Chapter.State.POSTED]
                zf.writestr(f"{stem}.epub", formats.render(book_of(work, posted), "epub"))
        for name, part in [
            ("bookmarks", bookmarks),
            ("comments", comments),
            ("kudos", kudos),
            ("subscriptions", subscriptions),
            ("history", history),
            ("notifications", notifications),
            ("imports", imports),
        ]:
            zf.writestr(f"{name}.json", _json(part(user)))
