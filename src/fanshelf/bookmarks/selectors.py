"""Read paths for bookmarks: what a viewer may see, filtered, sorted and paged without N+1.

A bookmark is shown only when the viewer may read what it points at: a posted work
(restricted ones only to users), or a series with such a work. Private bookmarks are
shown to their owner only. These are the rules of ``works.selectors.visible_works``
for posted works, written as conditions on the bookmark so a listing stays one query.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from fanshelf.bookmarks.models import Bookmark
from fanshelf.discovery.selectors import resolve_tag
from fanshelf.muting.selectors import without_muted_users
from fanshelf.tags.models import Tag, normalize_tag_name
from fanshelf.works.models import FilterTagging, Series, Work
from fanshelf.works.selectors import visible_works, with_blurb_data

PAGE_SIZE = 20
SORTS = ("bookmarked", "updated")


@dataclass
class BookmarkFilters:
    """What a reader narrows a bookmark listing by."""

    # One of the bookmarker's own tags, in any spelling (synonyms count).
    tag: str = ""
    # Tags of the bookmarked works, all required; a canonical tag finds its synonyms
    # and sub tags through the works' filter tags.
    work_tags: list[str] = field(default_factory=list)
    rec: bool = False
    sort: str = "bookmarked"


def _signed_in(viewer) -> bool:
    return getattr(viewer, "is_authenticated", False)


def _readable(viewer, prefix: str = "") -> Q:
    """Posted works, restricted ones only for users: as conditions on ``prefix`` + field."""
    condition = Q(**{f"{prefix}state": Work.State.POSTED})
    if not _signed_in(viewer):
        condition &= Q(**{f"{prefix}restricted": False})
    return condition


def _series_readable(viewer) -> Exists:
    return Exists(Work.objects.filter(_readable(viewer), series_id=OuterRef("series_id")))


def visible_bookmarks(viewer) -> QuerySet[Bookmark]:
    """The bookmarks ``viewer`` may see: of readable works and series; private ones if theirs."""
    bookmarks = Bookmark.objects.filter(
        _readable(viewer, "work__") | Q(series__isnull=False) & Q(_series_readable(viewer))
    )
    if _signed_in(viewer):
        # Bookmarks by users the viewer mutes are hidden from them.
        bookmarks = without_muted_users(bookmarks, viewer)
        return bookmarks.filter(Q(private=False) | Q(user=viewer))
    return bookmarks.filter(private=False)


def _tag_and_synonyms(name: str) -> list[int] | None:
    """Ids of the tag called ``name`` with its canonical and synonyms; None if there is none."""
    tag = Tag.objects.filter(normalized_name=normalize_tag_name(name)).first()
    if tag is None:
        return None
    canonical = tag.synonym_of_id or tag.pk
    return list(
        Tag.objects.filter(Q(pk=canonical) | Q(synonym_of_id=canonical)).values_list(
            "pk", flat=True
        )
    )


def _works_tagged(tag: Tag, viewer) -> Q:
    """Bookmarks of works under ``tag``, or of series with a readable work under it.

    As in discovery: a canonical tag goes through the precomputed filter tags, so
    its synonyms and sub tags count; any other tag matches as typed.
    """
    through = FilterTagging if tag.canonical else Work.tags.through
    taggings = through.objects.filter(tag_id=tag.pk)
    of_work = Exists(taggings.filter(work_id=OuterRef("work_id")))
    of_series = Exists(
        taggings.filter(_readable(viewer, "work__"), work__series_id=OuterRef("series_id"))
    )
    return Q(of_work) | Q(series__isnull=False) & Q(of_series)


def _sorted(bookmarks: QuerySet, sort: str, viewer) -> QuerySet:
    if sort == "updated":
        # A series was updated when its latest readable work was.
        series_updated = (
            Work.objects.filter(_readable(viewer), series_id=OuterRef("series_id"))
            .values("series_id")
            .annotate(last=Max("revised_at"))
            .values("last")
        )
        updated = Coalesce(F("work__revised_at"), Subquery(series_updated))
        return bookmarks.alias(work_updated=updated).order_by(
            F("work_updated").desc(nulls_last=True), "-pk"
        )
    return bookmarks.order_by("-created_at", "-pk")


def bookmarks_by_user(
    *, owner, viewer, filters: BookmarkFilters | None = None
) -> QuerySet[Bookmark]:
    """``owner``'s bookmarks as ``viewer`` may see them, filtered and sorted."""
    filters = filters or BookmarkFilters()
    bookmarks = visible_bookmarks(viewer).filter(user=owner)
    if filters.rec:
        bookmarks = bookmarks.filter(rec=True)
    if filters.tag:
        ids = _tag_and_synonyms(filters.tag)
        if ids is None:
            return bookmarks.none()
        through = Bookmark.tags.through
        bookmarks = bookmarks.filter(
            Exists(through.objects.filter(bookmark_id=OuterRef("pk"), tag_id__in=ids))
        )
    for name in filters.work_tags:
        tag = resolve_tag(name)
        if tag is None:
            return bookmarks.none()
        bookmarks = bookmarks.filter(_works_tagged(tag, viewer))
    return _sorted(bookmarks, filters.sort, viewer)


def public_bookmarks_of_work(*, work: Work, viewer=None) -> QuerySet[Bookmark]:
    """The public bookmarks of a work, newest first (the work's "Bookmarks" page).

    Bookmarks by users ``viewer`` mutes are left out.
    """
    bookmarks = without_muted_users(Bookmark.objects.filter(work=work, private=False), viewer)
    return bookmarks.order_by("-created_at", "-pk")


def bookmark_of(*, user, work: Work | None = None, series: Series | None = None):
    """The user's bookmark of this work or series, with its tags; None if they have none."""
    if not _signed_in(user):
        return None
    target = {"work": work} if work is not None else {"series": series}
    return Bookmark.objects.filter(user=user, **target).prefetch_related("tags").first()


def with_bookmark_data(bookmarks: QuerySet[Bookmark], viewer) -> QuerySet[Bookmark]:
    """Prefetch what a bookmark listing shows: the blurbs of works and series, the tags."""
    series_works = with_blurb_data(
        visible_works(viewer).filter(state=Work.State.POSTED).order_by("series_position", "pk")
    )
    return bookmarks.select_related("pseud__user").prefetch_related(
        "tags",
        Prefetch("work", queryset=with_blurb_data(Work.objects.all())),
        Prefetch(
            "series",
            queryset=Series.objects.prefetch_related(
                Prefetch("works", queryset=series_works, to_attr="readable_works")
            ),
        ),
    )


def _credit_series(bookmarks: list[Bookmark]) -> None:
    """Give each bookmarked series the credits and word count of its readable works."""
    for bookmark in bookmarks:
        series = bookmark.series
        if series is None:
            continue
        credited = {}
        for work in series.readable_works:
            if not work.anonymous:
                for creatorship in work.creatorships.all():
                    credited.setdefault(creatorship.pseud_id, creatorship.pseud)
        series.credited = list(credited.values())
        series.word_count = sum(work.word_count for work in series.readable_works)


def bookmark_page(bookmarks: QuerySet[Bookmark], *, viewer, number, strict: bool = False) -> Page:
    """One page of ``bookmarks`` with everything the listing shows.

    A page number that is not a number or past the end gives the nearest page, or
    raises ``EmptyPage``/``PageNotAnInteger`` when ``strict`` (the API).
    """
    paginator = Paginator(with_bookmark_data(bookmarks, viewer), PAGE_SIZE)
    page = paginator.page(number) if strict else paginator.get_page(number)
    page.object_list = list(page.object_list)
    _credit_series(page.object_list)
    return page
