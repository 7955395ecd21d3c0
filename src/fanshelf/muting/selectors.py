"""Read paths for muting and blocking, and the conditions other apps apply with them.

``muted_ids`` is read once per request: it is kept on the user object, which
Django builds afresh for each request (the services forget it on every change).
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from fanshelf.muting.models import Block, Mute
from fanshelf.works.models import Creatorship, Work

_CACHE_ATTR = "_fanshelf_muted_ids"

# What a blocked user is told, by the feedback services, the work page and the API.
BLOCKED_FROM_COMMENTS = _(
    "The creator of this work has blocked you; you cannot comment on it or reply to its comments."
)
BLOCKED_FROM_KUDOS = _("The creator of this work has blocked you; you cannot leave kudos on it.")


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def forget_cached(user) -> None:
    """Drop the muted ids kept on ``user`` (after a mute or an unmute)."""
    user.__dict__.pop(_CACHE_ATTR, None)


def muted_ids(user) -> frozenset[int]:
    """The ids of the users ``user`` mutes; empty for guests. One query per request."""
    if not _signed_in(user):
        return frozenset()
    if _CACHE_ATTR not in user.__dict__:
        ids = Mute.objects.filter(user=user).values_list("muted_id", flat=True)
        user.__dict__[_CACHE_ATTR] = frozenset(ids)
    return user.__dict__[_CACHE_ATTR]


def without_muted_creators(works: QuerySet[Work], viewer) -> QuerySet[Work]:
    """``works`` less those with a creator ``viewer`` mutes (all of them for others)."""
    muted = muted_ids(viewer)
    if not muted:
        return works
    by_muted = Creatorship.objects.filter(work_id=OuterRef("pk"), pseud__user_id__in=muted)
    return works.exclude(Exists(by_muted))


def without_muted_users(items: QuerySet, viewer, *, field: str = "user_id") -> QuerySet:
    """``items`` (comments, bookmarks) less those whose ``field`` is a user ``viewer`` mutes."""
    muted = muted_ids(viewer)
    if not muted:
        return items
    return items.exclude(**{f"{field}__in": muted})


def blocked_by(owner_ids) -> set[int]:
    """The ids of the users blocked by any of the users ``owner_ids``."""
    return set(Block.objects.filter(user_id__in=owner_ids).values_list("blocked_id", flat=True))


def _creator_ids(work: Work) -> set[int]:
    if "creatorships" in getattr(work, "_prefetched_objects_cache", {}):
        return {creatorship.pseud.user_id for creatorship in work.creatorships.all()}
    return set(Creatorship.objects.filter(work=work).values_list("pseud__user_id", flat=True))


def is_blocked_from(*, work: Work, user) -> bool:
    """Whether a creator of ``work`` blocks ``user`` (never for guests or its co-creators)."""
    if not _signed_in(user):
        return False
    creators = _creator_ids(work)
    if user.pk in creators:
        return False
    return Block.objects.filter(user_id__in=creators, blocked=user).exists()


def relation(*, user, target) -> dict:
    """Whether ``user`` mutes and blocks ``target``, for the buttons on their works page."""
    if not _signed_in(user) or user.pk == target.pk:
        return {"muting": False, "blocking": False}
    return {
        "muting": target.pk in muted_ids(user),
        "blocking": Block.objects.filter(user=user, blocked=target).exists(),
    }


def mutes_of(user) -> QuerySet[Mute]:
    """Whom ``user`` mutes, newest first, for their muting page."""
    return Mute.objects.filter(user=user).select_related("muted")


def blocks_of(user) -> QuerySet[Block]:
    """Whom ``user`` blocks, newest first, for their muting page."""
    return Block.objects.filter(user=user).select_related("blocked")
