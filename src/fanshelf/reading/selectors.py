"""Read paths for reading history and the "Marked for later" list.

Both lists show only posted works the reader can still see: a work deleted since is
gone with its rows, a work taken back to draft or hidden by a moderator is left out.
"""

from django.db.models import Prefetch, QuerySet

from fanshelf.reading.models import Reading
from fanshelf.reading.preferences import preferences_for
from fanshelf.reading.services import LATER_ATTRIBUTE
from fanshelf.works.models import Creatorship, Work
from fanshelf.works.selectors import visible_works


def history_enabled(user) -> bool:
    """Whether ``user`` keeps a reading history (on unless they turned it off)."""
    return preferences_for(user).history_enabled


def _readings_of(user) -> QuerySet[Reading]:
    readable = visible_works(user).filter(state=Work.State.POSTED).values("pk")
    return (
        Reading.objects.filter(user=user, work__in=readable)
        .select_related("work__series", "last_chapter")
        .prefetch_related(
            Prefetch(
                "work__creatorships",
                queryset=Creatorship.objects.select_related("pseud__user"),
            ),
            "work__tags",
        )
    )


def history_of(user) -> QuerySet[Reading]:
    """The works ``user`` read, last read first, with what their blurbs show."""
    return _readings_of(user).filter(visits__gt=0).order_by("-last_read_at", "-pk")


def marked_for_later(user) -> QuerySet[Reading]:
    """The works ``user`` marked for later, last marked first."""
    return _readings_of(user).filter(later=True).order_by("-later_at", "-pk")


def is_marked_for_later(*, user, work: Work, request=None) -> bool:
    """Whether ``user`` marked ``work`` for later; free when the page just recorded a visit."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(request, LATER_ATTRIBUTE, None) if request is not None else None
    if known is not None:
        return known
    return Reading.objects.filter(user=user, work=work, later=True).exists()
