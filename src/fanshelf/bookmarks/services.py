"""Write paths for bookmarks: bookmark a work or a series (or change the bookmark), delete it.

Each function checks that the user may see what they bookmark, runs in one
transaction and keeps ``Work.bookmark_count`` exact: it counts public bookmarks
only, so making a bookmark private or public moves the count too.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fanshelf.accounts.models import Pseud
from fanshelf.accounts.services import pseud_for
from fanshelf.bookmarks.models import NOTES_MAX_LENGTH, TAGS_MAX, Bookmark
from fanshelf.core import ratelimit
from fanshelf.moderation.standing import require_good_standing
from fanshelf.tags.models import Tag, normalize_tag_name
from fanshelf.tags.services import find_or_create_tag
from fanshelf.works.models import Creatorship, Series, Work
from fanshelf.works.selectors import visible_works
from fanshelf.works.services import to_html


class TooManyBookmarks(ValidationError):
    """The user hit the "bookmark" rate limit (the API answers 429)."""


def _require_user(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to bookmark works and series."))


def _check_work(user, work: Work) -> None:
    """Refuse works the user cannot see, and their own works that are not posted yet."""
    if work.state != Work.State.POSTED:
        own = Creatorship.objects.filter(work=work, pseud__user=user).exists()
        if own and work.state != Work.State.HIDDEN:
            raise ValidationError({"work": _("You cannot bookmark your own draft; post it first.")})
    if not visible_works(user).filter(pk=work.pk, state=Work.State.POSTED).exists():
        raise Work.DoesNotExist(_("This work does not exist, or you cannot see it."))


def _check_series(user, series: Series) -> None:
    """A series can be bookmarked once a work of it is posted and visible to the user."""
    works = visible_works(user).filter(series=series)
    if not works.filter(state=Work.State.POSTED).exists():
        if series.owner_id == user.pk:
            raise ValidationError(
                {"series": _("None of this series' works is posted yet; post one first.")}
            )
        raise Series.DoesNotExist(_("This series does not exist, or you cannot see it."))


def _pseud_for(user, pseud: Pseud | str | None) -> Pseud:
    return pseud_for(user, pseud, refusal=_("You can only bookmark as one of your own pseuds."))


def _clean_notes(notes: str) -> str:
    notes = notes or ""
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError(
            {
                "notes": _("Notes must be at most %(max)s characters (they have %(n)s).")
                % {"max": f"{NOTES_MAX_LENGTH:,}", "n": f"{len(notes):,}"}
            }
        )
    # Plain text becomes paragraphs; HTML is sanitised.
    return to_html(notes, "html")


def _resolve_tags(names: Iterable[str]) -> list[Tag]:
    """The bookmarker's tags by name, created as unwrangled additional tags if new."""
    unique: dict[str, str] = {}
    for name in names:
        name = " ".join(str(name).split())
        if name:
            unique.setdefault(normalize_tag_name(name), name)
    if len(unique) > TAGS_MAX:
        raise ValidationError(
            {
                "tags": _("A bookmark can have at most %(max)d tags (it has %(n)d).")
                % {"max": TAGS_MAX, "n": len(unique)}
            }
        )
    tags, errors = [], []
    for name in unique.values():
        try:
            tags.append(find_or_create_tag(name=name, type=Tag.Type.FREEFORM))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"tags": errors})
    return tags


def _count(work_id: int | None, delta: int) -> None:
    if work_id is None or delta == 0:
        return
    works = Work.objects.filter(pk=work_id)
    if delta < 0:
        works = works.filter(bookmark_count__gte=-delta)
    works.update(bookmark_count=F("bookmark_count") + delta)


def _counted(bookmark: Bookmark) -> int:
    """How much this bookmark adds to its work's bookmark count."""
    return 1 if bookmark.work_id and not bookmark.private else 0


def uncount(bookmark: Bookmark) -> None:
    """Take a deleted bookmark out of its work's count (called by ``signals``)."""
    _count(bookmark.work_id, -_counted(bookmark))


@transaction.atomic
def bookmark(
    *,
    user,
    work: Work | None = None,
    series: Series | None = None,
    notes: str = "",
    tags: Iterable[str] = (),
    rec: bool = False,
    private: bool = False,
    pseud: Pseud | str | None = None,
) -> tuple[Bookmark, bool]:
    """Bookmark a work or a series, or change the user's bookmark of it.

    Returns ``(bookmark, created)``. Everything given replaces what the bookmark
    had (notes, tags, rec, private, pseud). ``notes`` may be plain text (blank lines
    make paragraphs) or HTML, which is sanitised. Raises ``ValidationError`` for bad
    input (``TooManyBookmarks`` when the user bookmarks too fast),
    ``Work.DoesNotExist``/``Series.DoesNotExist`` for what the user cannot see.
    """
    _require_user(user)
    require_good_standing(user)
    if (work is None) == (series is None):
        raise ValidationError({"__all__": _("Bookmark either a work or a series.")})
    if work is not None:
        _check_work(user, work)
    else:
        _check_series(user, series)
    errors: dict = {}
    values: dict = {"rec": bool(rec), "private": bool(private)}
    resolved_tags: list[Tag] = []
    try:
        values["notes"] = _clean_notes(notes)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        values["pseud"] = _pseud_for(user, pseud)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        resolved_tags = _resolve_tags(tags)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        # Tags created on the way are rolled back with this transaction.
        raise ValidationError(errors)
    if not ratelimit.allow("bookmark", f"user:{user.pk}"):
        raise TooManyBookmarks(
            {"__all__": _("You are bookmarking very fast; please wait a few minutes.")}
        )

    target = {"work": work} if work is not None else {"series": series}
    existing = Bookmark.objects.select_for_update().filter(user=user, **target).first()
    created = existing is None
    if created:
        try:
            with transaction.atomic():
                existing = Bookmark.objects.create(user=user, **target, **values)
        except IntegrityError:
            # The same user bookmarked it a moment ago (a double submit): update that one.
            existing = Bookmark.objects.select_for_update().get(user=user, **target)
            created = False
        else:
            _count(existing.work_id, _counted(existing))
    if not created:
        before = _counted(existing)
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        _count(existing.work_id, _counted(existing) - before)
    existing.tags.set(resolved_tags)
    return existing, created


@transaction.atomic
def delete_bookmark(*, user, bookmark: Bookmark) -> None:
    """Delete a bookmark; only its owner may. A public one leaves the work's count.

    The count is lowered by the ``post_delete`` receiver in ``bookmarks.signals``,
    which also covers bookmarks deleted with their user or pseud.
    """
    _require_user(user)
    if bookmark.user_id != user.pk:
        raise PermissionDenied(_("Only the bookmarker can delete this bookmark."))
    current = Bookmark.objects.select_for_update().filter(pk=bookmark.pk).first()
    if current is None:
        return  # Already deleted (a second click): nothing left to count.
    current.delete()
