"""Work listings with the filter sidebar and facets, and the advanced search page.

Every listing page (all works, a tag's works, a user's works) renders
``discovery/_listing.html`` with the context ``listing_context`` builds: the
filters read from the query string, one page of works, the facets as include and
exclude links, and the notes about anything in the query string that was ignored.
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import QuerySet
from django.shortcuts import render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _

from fanshelf.core import pagecache
from fanshelf.core.pagecache import guest_cached
from fanshelf.discovery import selectors
from fanshelf.discovery.filters import COMPLETION, CROSSOVERS, SORTS, WorkFilters, parse_filters
from fanshelf.discovery.links import (
    EXCLUDE_PARAM,
    filter_params,
    has_param,
    include_param,
    listing_url,
)
from fanshelf.discovery.selectors import Listing, search_works
from fanshelf.tags.defaults import ARCHIVE_WARNINGS, CATEGORIES, RATINGS
from fanshelf.tags.models import normalize_tag_name
from fanshelf.works.forms import LANGUAGE_CHOICES

FACET_LABELS = {
    "rating": _("Ratings"),
    "warning": _("Warnings"),
    "category": _("Categories"),
    "fandom": _("Fandoms"),
    "relationship": _("Relationships"),
    "character": _("Characters"),
    "freeform": _("Additional tags"),
}
FILTER_LABELS = {
    "tag": _("Including"),
    "rating": _("Rating"),
    "warning": _("Warning"),
    "category": _("Category"),
    EXCLUDE_PARAM: _("Excluding"),
}


# The filters under "More options", unfolded when one of them is set.
MORE_OPTIONS = [
    "complete",
    "single_chapter",
    "crossover",
    "language",
    "words_from",
    "words_to",
    "updated_from",
    "updated_to",
    "published_from",
    "published_to",
]

UNFILTERED = WorkFilters()


@dataclass
class FacetLink:
    name: str
    count: int
    included: bool
    url: str  # includes the tag, or takes it out again when it is included
    exclude_url: str


@dataclass
class FacetGroup:
    type: str
    label: str
    entries: list[FacetLink]


@dataclass
class ActiveFilter:
    label: str
    name: str
    remove_url: str


@dataclass
class Choice:
    value: str
    label: str
    checked: bool


def _choices(items, selected) -> list[Choice]:
    return [Choice(str(value), label, value == selected) for value, label in items]


def _ticks(names: list[str], chosen: list[str]) -> dict:
    """Checkboxes for these tag names, and whether any is ticked (to unfold the group)."""
    chosen_keys = {normalize_tag_name(name) for name in chosen}
    choices = [Choice(name, name, normalize_tag_name(name) in chosen_keys) for name in names]
    return {"choices": choices, "open": any(choice.checked for choice in choices)}


def sidebar_form(filters: WorkFilters) -> dict:
    """What the filter form shows: the filters in force, ready for the inputs."""
    warning_keys = {normalize_tag_name(name) for name in ARCHIVE_WARNINGS}
    # Excluded warnings have their own boxes; the text field holds the other tags.
    other_excluded = [
        name for name in filters.exclude_tags if normalize_tag_name(name) not in warning_keys
    ]
    return {
        "tags": ", ".join(filters.tags),
        "exclude_tags": ", ".join(other_excluded),
        "ratings": _ticks(RATINGS, filters.rating),
        "warnings": _ticks(ARCHIVE_WARNINGS, filters.warning),
        "categories": _ticks(CATEGORIES, filters.category),
        "exclude_warnings": _ticks(ARCHIVE_WARNINGS, filters.exclude_tags),
        "completion": _choices(COMPLETION.items(), filters.complete),
        "crossovers": _choices(CROSSOVERS.items(), filters.crossover),
        "languages": _choices([("", _("Any language")), *LANGUAGE_CHOICES], filters.language),
        "sorts": _choices(SORTS.items(), filters.effective_sort),
        "more_open": any(
            getattr(filters, name) != getattr(UNFILTERED, name) for name in MORE_OPTIONS
        ),
    }


def _href(path: str, params) -> str:
    """A link within the page: just the query string, or the bare path for no filters."""
    return listing_url("", params) or path


def _facet_groups(path: str, filters: WorkFilters, listing: Listing) -> list[FacetGroup]:
    groups = []
    for tag_type, entries in listing.facets.items():
        links = []
        for entry in entries:
            name, param = entry.tag.name, include_param(tag_type)
            included = has_param(filters, param, name)
            if included:
                url = filter_params(filters, remove=[(param, name)])
            else:
                url = filter_params(filters, add=[(param, name)])
            exclude = filter_params(filters, remove=[(param, name)], add=[(EXCLUDE_PARAM, name)])
            links.append(
                FacetLink(
                    name=name,
                    count=entry.count,
                    included=included,
                    url=_href(path, url),
                    exclude_url=_href(path, exclude),
                )
            )
        if links:
            groups.append(FacetGroup(tag_type, FACET_LABELS[tag_type], links))
    return groups


def _active_filters(path: str, filters: WorkFilters) -> list[ActiveFilter]:
    """The tags the listing is narrowed by, each with a link that takes it out."""
    active = []
    for key, value in filters.to_params():
        if key in FILTER_LABELS:
            remove = filter_params(filters, remove=[(key, value)])
            active.append(ActiveFilter(FILTER_LABELS[key], value, _href(path, remove)))
    return active


def _page_links(path: str, filters: WorkFilters, page: Page) -> dict:
    """Previous, next and numbered page links ("1 2 … 7 8 9 … 20"), keeping the filters."""

    def url(number: int) -> str:
        return _href(path, filter_params(filters, page=number))

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2)
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "numbers": [
            (number, None if number in (page.number, page.paginator.ELLIPSIS) else url(number))
            for number in numbers
        ],
    }


def listing_context(request, *, base: QuerySet | None = None, default_sort: str = "") -> dict:
    """Everything a listing page shows, for the works of ``base`` (all works if None)."""
    filters, notes = parse_filters(request.GET)
    listing = search_works(
        viewer=request.user, filters=filters, base=base, default_sort=default_sort
    )
    works = list(listing.page)
    pagecache.attach_versions(works)  # their blurbs are kept rendered under these
    path = escape_uri_path(request.path)
    return {
        "filters": filters,
        "filtered": any(key != "sort" for key, _value in filters.to_params()),
        "listing": listing,
        "results": [(work, listing.snippets.get(work.pk)) for work in works],
        "notes": notes + listing.notes,
        "form": sidebar_form(filters),
        "form_action": path,
        "facet_groups": _facet_groups(path, filters, listing),
        "facet_sample": selectors.FACET_SAMPLE,
        "active_filters": _active_filters(path, filters),
        "page_links": _page_links(path, filters, listing.page),
    }


@guest_cached()
def work_listing(request):
    """All the works the reader may see, filtered and sorted as the query string says."""
    context = listing_context(request)
    # The advanced search page, filled in with this search, to change it there.
    context["edit_search_url"] = listing_url(
        reverse("discovery:search"), context["filters"].to_params()
    )
    return render(request, "discovery/listing.html", context)


def advanced_search(request):
    """The whole search form on its own page; it lists its results at /works/."""
    filters, notes = parse_filters(request.GET)
    context = {
        "filters": filters,
        "notes": notes,
        "form": sidebar_form(filters),
        "form_action": reverse("discovery:works"),
        "clear_url": reverse("discovery:search"),
    }
    return render(request, "discovery/search.html", context)
