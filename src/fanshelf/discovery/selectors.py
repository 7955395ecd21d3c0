"""Work listings: the filters, the sort, the page, the facets and the search snippets.

Every listing (all works, a tag's works, a user's works, the API) goes through
``search_works`` with a base queryset; the viewer's visibility rules always apply.
Tag filters use the precomputed filter tags (``works.FilterTagging``), so including
a canonical tag finds its synonyms and sub tags without walking the tag graph.
"""

import heapq
import math
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from fanshelf.discovery.filters import WorkFilters
from fanshelf.muting.selectors import without_muted_creators
from fanshelf.tags.models import Tag, normalize_tag_name
from fanshelf.works.models import Creatorship, FilterTagging, Work
from fanshelf.works.selectors import visible_works, with_blurb_data

PAGE_SIZE = 20
FACET_TYPES = ["rating", "warning", "category", "fandom", "relationship", "character", "freeform"]
FACET_SIZE = 10
# Facets count the tags of at most this many results (the first ones in the chosen
# order); past it the counts are a sample, and the page says so.
FACET_SAMPLE = 1000
# A listing reads the ids of at most this many matches (plus one, to know there are
# more) and then says "2,000+": counting every match of a broad listing was what
# made it slow at a million works (docs/performance.md). Pages go no further.
COUNT_LIMIT = 2_000


@dataclass
class FacetEntry:
    tag: Tag
    count: int


@dataclass
class Listing:
    page: Page
    count: int
    # True when there are more than ``count`` (= COUNT_LIMIT) matches.
    count_capped: bool = False
    facets: dict[str, list[FacetEntry]] = field(default_factory=dict)
    facets_sampled: bool = False
    snippets: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def works(self):
        return self.page.object_list

    @property
    def shown_count(self) -> str:
        """The count as readers see it: "1,234", or "2,000+" past the cap."""
        return intcomma(self.count) + ("+" if self.count_capped else "")


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


def _tagged(tag: Tag) -> QuerySet:
    """Ids of the works found under ``tag``: through filter tags if canonical, else as typed."""
    through = FilterTagging if tag.canonical else Work.tags.through
    return through.objects.filter(tag_id=tag.pk).values("work_id")


def _has_tag(tag: Tag) -> Exists:
    return Exists(_tagged(tag).filter(work_id=OuterRef("pk")))


def _works_under(tags: list[Tag], limit: int) -> int:
    """How many works carry any of ``tags``, counted no further than ``limit`` + 1."""
    return sum(_tagged(tag)[: limit + 1].count() for tag in tags)


def _rare_tag_limit() -> int:
    """Below how many works a tag is where a listing starts (see ``_include``)."""
    works = Work.objects.aggregate(last=Max("pk"))["last"] or 0
    return math.isqrt(COUNT_LIMIT * works)


def _include(works: QuerySet, groups: list[list[Tag]]) -> QuerySet:
    """Keep the works found under at least one tag of every group.

    A listing reads the ids of its first ``COUNT_LIMIT`` + 1 matches in order. It can
    start from the rarest group's works (``id IN (…)``: one index range, then each
    work checked, about as many rows as the group has works) or read works in the
    order asked for and check every group on each (``EXISTS``: about
    ``COUNT_LIMIT`` / share rows). The first wins while the group has fewer than
    √(COUNT_LIMIT × works) works: 100,000 at a million works (docs/performance.md).
    """
    if not groups:
        return works
    rarest = min(groups, key=lambda group: sum(tag.usage_count for tag in group))
    limit = _rare_tag_limit()
    start_from_rarest = _works_under(rarest, limit) <= limit
    for group in groups:
        condition = Q()
        for tag in group:
            if group is rarest and start_from_rarest:
                condition |= Q(pk__in=_tagged(tag))
            else:
                condition |= Q(_has_tag(tag))
        works = works.filter(condition)
    return works


def _tag_filters(filters: WorkFilters, works: QuerySet, notes: list[str]) -> QuerySet | None:
    """Apply include and exclude tags; None when an included tag does not exist."""
    groups: list[list[Tag]] = []
    for name in filters.tags + filters.warning + filters.category:
        tag = resolve_tag(name)
        if tag is None:
            notes.append(
                _("There is no tag called “%(name)s”, so no work has it.") % {"name": name}
            )
            return None
        groups.append([tag])
    if filters.rating:
        ratings = [tag for tag in map(resolve_tag, filters.rating) if tag is not None]
        if not ratings:
            notes.append(_("None of the ratings asked for exists."))
            return None
        groups.append(ratings)
    works = _include(works, groups)
    for name in filters.exclude_tags:
        tag = resolve_tag(name)
        if tag is None:
            notes.append(_("Ignored “%(name)s” in the excluded tags: there is no such tag.")
                         % {"name": name})  # fmt: skip
            continue
        works = works.exclude(_has_tag(tag))
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
        # Languages are stored in lower case (Work.save), so this is an index lookup.
        works = works.filter(language=filters.language.lower())
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
    # Not a choice in the sort menu: a series page lists its works in series order
    # until the reader picks a sort.
    "series": ["series_position", "pk"],
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


# The tags of a sample of works with how many of them carry each: filter tags
# (canonical tags with their synonyms and sub tags folded in), then tags nobody has
# wrangled yet as typed. Grouping first and joining the few thousand groups to their
# tags afterwards keeps the planner from driving the join from the tags table, and
# the ids go in as plain parameters (the ORM's per-value preparation of a thousand-id
# list cost more than the grouping). ``GROUP BY +tag_id``: the unary plus keeps
# SQLite from grouping by walking the whole (tag, work) index when the sample is a
# tenth of a small archive (49 → 8 ms at 10,000 works); PostgreSQL reads it as
# tag_id. Only fixed names and placeholders in the SQL.
FACET_SQL = """
SELECT t.id, t.name, t.type, c.n FROM (
    SELECT +tag_id AS tag_id, COUNT(*) AS n FROM works_filtertagging
    WHERE work_id IN ({ids}) GROUP BY +tag_id
) c JOIN tags_tag t ON t.id = c.tag_id
UNION ALL
SELECT t.id, t.name, t.type, c.n FROM (
    SELECT +tag_id AS tag_id, COUNT(*) AS n FROM works_work_tags
    WHERE work_id IN ({ids}) GROUP BY +tag_id
) c JOIN tags_tag t ON t.id = c.tag_id
WHERE NOT t.canonical AND t.synonym_of_id IS NULL
"""


def _facets(sample: list[int]) -> dict[str, list[FacetEntry]]:
    """The ten most used tags of each type among the works ``sample``, ties by name."""
    placeholders = ", ".join(["%s"] * len(sample))
    with connection.cursor() as cursor:
        cursor.execute(FACET_SQL.format(ids=placeholders), [*sample, *sample])
        rows = cursor.fetchall()
    ranked: dict[str, list] = {tag_type: [] for tag_type in FACET_TYPES}
    for tag_id, name, tag_type, n in rows:
        if tag_type in ranked:
            ranked[tag_type].append((-n, name, tag_id))
    top = {tag_type: heapq.nsmallest(FACET_SIZE, entries) for tag_type, entries in ranked.items()}
    tags = Tag.objects.in_bulk([tag_id for entries in top.values() for *_, tag_id in entries])
    return {
        tag_type: [FacetEntry(tag=tags[tag_id], count=-n) for n, _name, tag_id in entries]
        for tag_type, entries in top.items()
    }


def search_works(
    *,
    viewer,
    filters: WorkFilters,
    base: QuerySet | None = None,
    page_size: int = PAGE_SIZE,
    with_facets: bool = True,
    default_sort: str = "",
) -> Listing:
    """One page of the works ``viewer`` may see that match ``filters``, with facets."""
    from fanshelf.discovery import search

    notes: list[str] = []
    # A reader's muted users' works are left out of every listing they open.
    works = without_muted_creators(visible_works(viewer), viewer)
    if base is None:
        works = works.filter(state=Work.State.POSTED)
    else:
        # The base decides which of the viewer's visible works belong (e.g. a
        # creator's own drafts on their works page).
        works = works.filter(pk__in=base.values("pk"))
    query = search.parse(filters.q) if filters.q else None
    if query is not None:
        notes += query.notes
    # Column conditions first: SQLite checks them in this order, and they are cheap
    # next to probing a tag.
    matched = _tag_filters(filters, _field_filters(filters, works), notes)
    if matched is None:
        works = works.none()
    else:
        works = matched
        if query is not None and not query.is_empty:
            works = search.backend().filter(works, query)
    sort = filters.effective_sort
    if default_sort and not filters.sort and not filters.q:
        sort = default_sort
    if sort == "relevance" and (query is None or query.is_empty):
        sort = "updated"
    works = _ordered(works, sort, undated_last=base is not None)
    # One statement reads the ids of the first COUNT_LIMIT + 1 matches in order: they
    # give the count, the page and the facet sample, so the filters run once.
    ids = list(works.values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    capped = len(ids) > COUNT_LIMIT
    del ids[COUNT_LIMIT:]
    paginator = Paginator(ids, page_size)
    page = paginator.get_page(filters.page)
    if filters.page > paginator.num_pages:
        if capped:
            notes.append(
                _("Only the first %(n)s matches are listed; narrow the filters to see the rest.")
                % {"n": f"{COUNT_LIMIT:,}"}
            )
        else:
            notes.append(
                _("There are only %(n)d pages; this is the last.") % {"n": paginator.num_pages}
            )
    page.object_list = _works_in_order(list(page.object_list))
    listing = Listing(page=page, count=len(ids), count_capped=capped, notes=notes)
    if with_facets and ids:
        listing.facets = _facets(ids[:FACET_SAMPLE])
        listing.facets_sampled = len(ids) > FACET_SAMPLE
    if query is not None and not query.is_empty and ids:
        listing.snippets = search.backend().snippets([work.pk for work in page], query)
    return listing


def _works_in_order(ids: list[int]) -> list[Work]:
    """The works with these ids, with their blurb data, in the order of ``ids``."""
    found = with_blurb_data(Work.objects.filter(pk__in=ids)).in_bulk()
    return [found[pk] for pk in ids if pk in found]
