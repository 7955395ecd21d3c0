"""Work listings: the filters, the sort, the page, the facets and the search snippets.

Every listing (all works, a tag's works, a user's works, the API) goes through
``search_works`` with a base queryset; the viewer's visibility rules always apply.
Tag filters use the precomputed filter tags (``works.FilterTagging``), so including
a canonical tag finds its synonyms and sub tags without walking the tag graph.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from fanshelf.discovery.filters import WorkFilters
from fanshelf.tags.models import Tag, normalize_tag_name
from fanshelf.works.models import Creatorship, FilterTagging, Work
from fanshelf.works.selectors import visible_works, with_blurb_data

PAGE_SIZE = 20
FACET_TYPES = ["rating", "warning", "category", "fandom", "relationship", "character", "freeform"]
FACET_SIZE = 10
# Facets count the tags of at most this many results (the first ones in the chosen
# order); past it the counts are a sample, and the page says so.
FACET_SAMPLE = 2000


@dataclass
class FacetEntry:
    tag: Tag
    count: int


@dataclass
class Listing:
    page: Page
    count: int
    facets: dict[str, list[FacetEntry]] = field(default_factory=dict)
    facets_sampled: bool = False
    snippets: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def works(self):
        return self.page.object_list


def resolve_tag(name: str) -> Tag | None:
    """The tag a reader means by ``name``: found by any spelling, synonyms to canonical."""
    tag = (
        Tag.objects.select_related("synonym_of")
        .filter(normalized_name=normalize_tag_name(name))
        .first()
    )
    if tag is not None and tag.synonym_of_id:
        return tag.synonym_of
    return tag


def _tag_condition(tag: Tag) -> Q:
    """Works found under ``tag``: through filter tags if canonical, else as typed."""
    if tag.canonical:
        return Q(Exists(FilterTagging.objects.filter(work_id=OuterRef("pk"), tag_id=tag.pk)))
    return Q(Exists(Work.tags.through.objects.filter(work_id=OuterRef("pk"), tag_id=tag.pk)))


def _tag_filters(filters: WorkFilters, works: QuerySet, notes: list[str]) -> QuerySet | None:
    """Apply include and exclude tags; None when an included tag does not exist."""
    for name in filters.tags + filters.warning + filters.category:
        tag = resolve_tag(name)
        if tag is None:
            notes.append(
                _("There is no tag called “%(name)s”, so no work has it.") % {"name": name}
            )
            return None
        works = works.filter(_tag_condition(tag))
    if filters.rating:
        ratings = [tag for tag in map(resolve_tag, filters.rating) if tag is not None]
        if not ratings:
            notes.append(_("None of the ratings asked for exists."))
            return None
        condition = Q()
        for tag in ratings:
            condition |= _tag_condition(tag)
        works = works.filter(condition)
    for name in filters.exclude_tags:
        tag = resolve_tag(name)
        if tag is None:
            notes.append(_("Ignored “%(name)s” in the excluded tags: there is no such tag.")
                         % {"name": name})  # fmt: skip
            continue
        works = works.exclude(_tag_condition(tag))
    return works


def _field_filters(filters: WorkFilters, works: QuerySet) -> QuerySet:
    if filters.complete == "complete":
        works = works.filter(
            expected_chapters__isnull=False, chapter_count__gte=F("expected_chapters")
        )
    elif filters.complete == "wip":
        works = works.filter(
            Q(expected_chapters__isnull=True) | Q(chapter_count__lt=F("expected_chapters"))
        )
    if filters.single_chapter:
        works = works.filter(chapter_count=1, expected_chapters=1)
    if filters.crossover == "exclude":
        works = works.filter(crossover=False)
    elif filters.crossover == "only":
        works = works.filter(crossover=True)
    if filters.language:
        works = works.filter(language__iexact=filters.language)
    if filters.words_from is not None:
        works = works.filter(word_count__gte=filters.words_from)
    if filters.words_to is not None:
        works = works.filter(word_count__lte=filters.words_to)
    for name, lookup in (
        ("updated_from", "revised_at__date__gte"),
        ("updated_to", "revised_at__date__lte"),
        ("published_from", "published_at__date__gte"),
        ("published_to", "published_at__date__lte"),
    ):
        if getattr(filters, name):
            works = works.filter(**{lookup: getattr(filters, name)})
    return works


ORDERS = {
    "updated": ["-revised_at", "-pk"],
    "published": ["-published_at", "-pk"],
    "title": ["title", "pk"],
    "author": ["first_creator", "title", "pk"],
    "words": ["-word_count", "-pk"],
    "hits": ["-hit_count", "-pk"],
    "kudos": ["-kudos_count", "-pk"],
    "comments": ["-comment_count", "-pk"],
    "bookmarks": ["-bookmark_count", "-pk"],
    "relevance": ["-search_rank", "-kudos_count", "-pk"],
}


def _ordered(works: QuerySet, sort: str, *, undated_last: bool = False) -> QuerySet:
    if sort == "author":
        first = Creatorship.objects.filter(work_id=OuterRef("pk")).order_by("position", "pk")
        works = works.annotate(first_creator=Subquery(first.values("pseud__name")[:1]))
    order = ORDERS[sort]
    if undated_last and sort in ("updated", "published"):
        # Drafts have no dates: after the posted works on every engine (PostgreSQL
        # sorts NULL first in descending order). Only a base can bring drafts in, so
        # the plain listing keeps the order its indexes serve.
        order = [F(order[0].lstrip("-")).desc(nulls_last=True), *order[1:]]
    return works.order_by(*order)


def _facets(works: QuerySet, count: int) -> tuple[dict[str, list[FacetEntry]], bool]:
    sample = list(works.values_list("pk", flat=True)[:FACET_SAMPLE])
    filtered = (
        FilterTagging.objects.filter(work_id__in=sample)
        .values("tag_id")
        .annotate(n=Count("work_id"))
    )
    counts = {row["tag_id"]: row["n"] for row in filtered}
    # Tags nobody has wrangled yet are not filter tags; count them as typed. The
    # join to tags is left out of the grouping (it made this the page's slowest
    # query) and unwrangled tags are picked out afterwards.
    typed = (
        Work.tags.through.objects.filter(work_id__in=sample)
        .values("tag_id")
        .annotate(n=Count("work_id"))
    )
    typed_counts = {row["tag_id"]: row["n"] for row in typed if row["tag_id"] not in counts}
    tags = Tag.objects.only("name", "type", "canonical", "synonym_of").in_bulk(
        [*counts, *typed_counts]
    )
    for tag_id, n in typed_counts.items():
        tag = tags[tag_id]
        if not tag.canonical and tag.synonym_of_id is None:
            counts[tag_id] = n
    facets: dict[str, list[FacetEntry]] = {tag_type: [] for tag_type in FACET_TYPES}
    for tag_id, n in sorted(counts.items(), key=lambda item: (-item[1], tags[item[0]].name)):
        group = facets[tags[tag_id].type]
        if len(group) < FACET_SIZE:
            group.append(FacetEntry(tag=tags[tag_id], count=n))
    return facets, count > len(sample)


def search_works(
    *,
    viewer,
    filters: WorkFilters,
    base: QuerySet | None = None,
    page_size: int = PAGE_SIZE,
    with_facets: bool = True,
) -> Listing:
    """One page of the works ``viewer`` may see that match ``filters``, with facets."""
    from fanshelf.discovery import search

    notes: list[str] = []
    works = visible_works(viewer)
    if base is None:
        works = works.filter(state=Work.State.POSTED)
    else:
        # The base decides which of the viewer's visible works belong (e.g. a
        # creator's own drafts on their works page).
        works = works.filter(pk__in=base.values("pk"))
    query = search.parse(filters.q) if filters.q else None
    if query is not None:
        notes += query.notes
    matched = _tag_filters(filters, works, notes)
    if matched is None:
        works = works.none()
    else:
        works = _field_filters(filters, matched)
        if query is not None and not query.is_empty:
            works = search.backend().filter(works, query)
    sort = filters.effective_sort
    if sort == "relevance" and (query is None or query.is_empty):
        sort = "updated"
    works = _ordered(works, sort, undated_last=base is not None)
    paginator = Paginator(with_blurb_data(works), page_size)
    page = paginator.get_page(filters.page)
    if filters.page > paginator.num_pages:
        notes.append(
            _("There are only %(n)d pages; this is the last.") % {"n": paginator.num_pages}
        )
    listing = Listing(page=page, count=paginator.count, notes=notes)
    if with_facets and listing.count:
        listing.facets, listing.facets_sampled = _facets(works, listing.count)
    if query is not None and not query.is_empty and listing.count:
        listing.snippets = search.backend().snippets([work.pk for work in page], query)
    return listing
