"""The OPDS 1.2 catalogue at /opds/: the archive as e-reader apps browse it.

KOReader, Thorium, Aldiko and friends add ``http://HOST/opds/`` and walk Atom feeds:
navigation feeds (the root, the fandoms) lead to acquisition feeds (recent, popular,
a fandom's works, search results), whose entries link to the work's downloads. Every
listing goes through ``discovery.selectors.search_works`` with the request's user, so
guests (any app that does not log in) never see restricted works, nobody sees drafts,
and anonymous works are credited to "Anonymous" only.

Feeds are written by one template from the small dataclasses below, not by Django's
syndication framework: OPDS needs typed links on the feed and on every entry, several
acquisition links per entry and categories with a scheme, which ``Atom1Feed`` does not
write. Identifiers come from ``settings.SITE_URL`` so they stay the same whichever host
name a reader used; links are built from the request, so they work from that host.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from fanshelf.discovery.filters import WorkFilters, parse_filters
from fanshelf.discovery.selectors import search_works
from fanshelf.downloads.book import TAG_TYPES, work_slug
from fanshelf.downloads.services import available_extensions
from fanshelf.tags.models import Tag
from fanshelf.text import html_to_text
from fanshelf.works.models import FilterTagging, Work
from fanshelf.works.selectors import visible_works

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
ACQUIRE = "http://opds-spec.org/acquisition"
# The media type of each download, written out rather than read from the format
# modules: importing those (WeasyPrint) is slow, and a feed only names the formats.
# Entries list the formats installed, EPUB first (apps take the first they can read).
DOWNLOADS = {
    "epub": "application/epub+zip",
    "pdf": "application/pdf",
    "html": "text/html",
    "txt": "text/plain",
}
WORKS_PER_PAGE = 20
FANDOMS_PER_PAGE = 50
# How long the fandom ranking (a count over every fandom's works) is kept.
FANDOM_RANKING_SECONDS = 300
# Characters XML 1.0 forbids, which user text could still hold (a pasted \x0b).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value) -> str:
    return _NOT_XML.sub("", str(value))


def _timestamp(moment: datetime.datetime | None) -> str:
    """An RFC 3339 date-time in UTC, as Atom wants it."""
    moment = (moment or timezone.now()).astimezone(datetime.UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class Link:
    rel: str
    href: str
    type: str
    title: str = ""
    count: int | None = None  # thr:count, how many works a navigation link leads to


@dataclass
class Author:
    name: str
    uri: str = ""


@dataclass
class Category:
    scheme: str
    term: str
    label: str


@dataclass
class Entry:
    id: str
    title: str
    updated: str
    links: list[Link]
    published: str = ""
    authors: list[Author] = field(default_factory=list)
    language: str = ""
    categories: list[Category] = field(default_factory=list)
    summary: str = ""


@dataclass
class Catalogue:
    """One page of an OPDS feed, as ``downloads/opds/feed.xml`` writes it."""

    id: str
    title: str
    subtitle: str
    updated: str
    links: list[Link]
    entries: list[Entry]
    author_uri: str
    language: str
    # OpenSearch response elements (totalResults…), for acquisition feeds.
    total: int | None = None
    per_page: int = 0
    start_index: int = 1


def _absolute(request, path: str, params: list[tuple[str, str]] | None = None) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return request.build_absolute_uri(path + query)


def _feed(request, *, kind: str, path: str, title: str, entries: list[Entry], subtitle="",
          params=(), page=None, up="", total=None) -> HttpResponse:  # fmt: skip
    """One page of a feed with the links every feed carries, as an OPDS response.

    ``params`` are the query-string pairs the feed's links keep (a search's ``q``);
    ``page`` a Paginator page for first/previous/next/last links; ``up`` the path of
    the feed this one is reached from.
    """
    params = list(params)
    number = page.number if page is not None else 1
    self_params = params + ([("page", str(number))] if number > 1 else [])
    links = [
        Link("self", _absolute(request, path, self_params), kind),
        Link("start", _absolute(request, reverse("opds:root")), NAVIGATION, _("Fanshelf")),
        Link("search", _absolute(request, reverse("opds:opensearch")), OPENSEARCH, _("Search")),
    ]
    if up:
        links.append(Link("up", _absolute(request, up), NAVIGATION))
    if page is not None:
        links += _page_links(request, page, path=path, params=params, kind=kind)
    catalogue = Catalogue(
        id=settings.SITE_URL + path + (f"?{urlencode(self_params)}" if self_params else ""),
        title=_xml_text(title),
        subtitle=_xml_text(subtitle),
        updated=max((entry.updated for entry in entries), default=_timestamp(None)),
        links=links,
        entries=entries,
        author_uri=_absolute(request, reverse("opds:root")),
        language=get_language() or "en",
        total=total,
        per_page=page.paginator.per_page if page is not None else WORKS_PER_PAGE,
        start_index=(page.start_index() or 1) if page is not None else 1,
    )
    body = render_to_string("downloads/opds/feed.xml", {"feed": catalogue}, request=request)
    return HttpResponse(body, content_type=kind)


def _page_number(request) -> int:
    """The page asked for; 1 for anything that is not a positive whole number."""
    return parse_filters({"page": request.GET.get("page", "")})[0].page


def _page_links(request, page, *, path: str, params: list, kind: str) -> list[Link]:
    """first / previous / next / last links around ``page``, keeping the other params."""

    def at(number: int) -> str:
        return _absolute(request, path, params + ([("page", str(number))] if number > 1 else []))

    links = [Link("first", at(1), kind)]
    if page.has_previous():
        links.append(Link("previous", at(page.previous_page_number()), kind))
    if page.has_next():
        links.append(Link("next", at(page.next_page_number()), kind))
    links.append(Link("last", at(page.paginator.num_pages), kind))
    return links


# --- Acquisition feeds: works ---------------------------------------------------------


def download_path(work: Work, extension: str) -> str:
    """Where ``work`` downloads as ``extension``, without building its ``Book`` for the slug."""
    slug = work_slug(work_id=work.pk, title=work.title)
    return reverse(
        "downloads:file", kwargs={"work_id": work.pk, "slug": slug, "extension": extension}
    )


def _stats_line(work: Work) -> str:
    parts = [
        _("Words: %(n)s") % {"n": f"{work.word_count:,}"},
        _("Chapters: %(n)s") % {"n": work.chapters_display},
        _("Kudos: %(n)s") % {"n": f"{work.kudos_count:,}"},
    ]
    parts.append(_("Complete") if work.is_complete else _("Work in progress"))
    return " · ".join(parts)


def _work_entry(request, work: Work) -> Entry:
    """An acquisition entry: the work's metadata and a link per download format."""
    if work.anonymous:
        authors = [Author(_("Anonymous"))]
    else:
        authors = [
            Author(
                _xml_text(creatorship.pseud),
                _absolute(request, reverse("users:works", args=[creatorship.pseud.user.username])),
            )
            for creatorship in work.creatorships.all()
        ]
    tags = sorted(work.tags.all(), key=lambda tag: (TAG_TYPES.index(tag.type), tag.name))
    summary = html_to_text(work.summary).strip()
    title = _xml_text(work.title)
    links = [
        Link("alternate", _absolute(request, work.get_absolute_url()), "text/html", title),
        *(
            Link(ACQUIRE, _absolute(request, download_path(work, ext)), DOWNLOADS[ext], ext.upper())
            for ext in available_extensions()
        ),
    ]
    return Entry(
        id=settings.SITE_URL + work.get_absolute_url(),
        title=title,
        updated=_timestamp(work.revised_at or work.published_at or work.created_at),
        published=_timestamp(work.published_at) if work.published_at else "",
        authors=authors,
        language=work.language,
        categories=[
            Category(f"{settings.SITE_URL}/tags/#{tag.type}", name, name)
            for tag in tags
            for name in [_xml_text(tag.name)]
        ],
        summary=_xml_text("\n\n".join(filter(None, [summary, _stats_line(work)]))),
        links=links,
    )


def _works_feed(request, *, filters: WorkFilters, up: str, **feed) -> HttpResponse:
    """One page of the works ``request.user`` may see that match ``filters``."""
    filters.page = _page_number(request)
    listing = search_works(
        viewer=request.user, filters=filters, page_size=WORKS_PER_PAGE, with_facets=False
    )
    feed["subtitle"] = " ".join([feed.get("subtitle", ""), *listing.notes]).strip()
    return _feed(
        request,
        kind=ACQUISITION,
        entries=[_work_entry(request, work) for work in listing.works],
        page=listing.page,
        total=listing.count,
        up=up,
        **feed,
    )


def recent(request):
    return _works_feed(
        request,
        filters=WorkFilters(sort="updated"),
        title=_("Recent works"),
        subtitle=_("Newest updates first."),
        path=reverse("opds:recent"),
        up=reverse("opds:root"),
    )


def popular(request):
    return _works_feed(
        request,
        filters=WorkFilters(sort="kudos"),
        title=_("Popular works"),
        subtitle=_("Most kudos first."),
        path=reverse("opds:popular"),
        up=reverse("opds:root"),
    )


def fandom_works(request, tag_id: int):
    fandom = get_object_or_404(Tag, pk=tag_id, type=Tag.Type.FANDOM, canonical=True)
    return _works_feed(
        request,
        filters=WorkFilters(tags=[fandom.name], sort="updated"),
        title=fandom.name,
        subtitle=_("Works in this fandom, newest updates first."),
        path=reverse("opds:fandom", args=[fandom.pk]),
        up=reverse("opds:fandoms"),
    )


def search(request):
    """The archive's full-text search (phrases, -words, title: …), best matches first."""
    filters, notes = parse_filters({"q": request.GET.get("q", "")})
    if not filters.q:
        # An app that sends an empty search gets an empty feed that says why.
        return _feed(
            request,
            kind=ACQUISITION,
            path=reverse("opds:search"),
            title=_("Search"),
            subtitle=_("Type something to search for."),
            entries=[],
            total=0,
            up=reverse("opds:root"),
        )
    return _works_feed(
        request,
        filters=filters,
        title=_("Search: %(query)s") % {"query": filters.q[:100]},
        subtitle=" ".join(notes),
        path=reverse("opds:search"),
        params=[("q", filters.q)],
        up=reverse("opds:root"),
    )


def opensearch(request):
    """The OpenSearch description an app reads to put a search box on the catalogue."""
    template = _absolute(request, reverse("opds:search")) + "?q={searchTerms}"
    body = render_to_string(
        "downloads/opds/opensearch.xml",
        {
            "template": template,
            "type": ACQUISITION,
            "language": get_language() or "en",
            "description": _("Search the works on Fanshelf: their text, titles, tags, creators."),
        },
        request=request,
    )
    return HttpResponse(body, content_type=OPENSEARCH)


# --- Navigation feeds -----------------------------------------------------------------


def _navigation_entry(request, *, path: str, title: str, text: str, rel: str, kind: str,
                      count: int | None = None) -> Entry:  # fmt: skip
    return Entry(
        id=settings.SITE_URL + path,
        title=title,
        updated=_timestamp(None),
        summary=text,
        links=[Link(rel, _absolute(request, path), kind, title, count)],
    )


def root(request):
    """The catalogue's start: recent, popular, the fandoms; search from its links."""
    entries = [
        _navigation_entry(request, path=reverse("opds:recent"), title=_("Recent works"),
                          text=_("The newest updates on the archive."),
                          rel="http://opds-spec.org/sort/new", kind=ACQUISITION),
        _navigation_entry(request, path=reverse("opds:popular"), title=_("Popular works"),
                          text=_("The works with the most kudos."),
                          rel="http://opds-spec.org/sort/popular", kind=ACQUISITION),
        _navigation_entry(request, path=reverse("opds:fandoms"), title=_("By fandom"),
                          text=_("Every fandom, the busiest first."),
                          rel="subsection", kind=NAVIGATION),
    ]  # fmt: skip
    return _feed(
        request,
        kind=NAVIGATION,
        path=reverse("opds:root"),
        title=_("Fanshelf"),
        subtitle=_("An archive of fan works: browse them and download them to read."),
        entries=entries,
    )


def fandom_ranking(*, viewer) -> list[tuple[int, str, int]]:
    """Canonical fandoms with how many posted works ``viewer`` may see, most first.

    Counted through the filter tags, so a fandom's synonyms and sub tags add to it,
    and kept for a few minutes: it counts every fandom's works. Only two answers
    exist (guests, who never see restricted works, and members, who see every posted
    work), so the cache keeps one of each.
    """
    member = getattr(viewer, "is_authenticated", False)
    key = f"opds:fandoms:{'member' if member else 'guest'}"
    ranking = cache.get(key)
    if ranking is None:
        works = visible_works(viewer if member else AnonymousUser()).filter(state=Work.State.POSTED)
        counted = (
            FilterTagging.objects.filter(
                tag__type=Tag.Type.FANDOM, tag__canonical=True, work__in=works.values("pk")
            )
            .values("tag_id", "tag__name")
            .annotate(works=Count("work_id"))
            .order_by("-works", "tag__name")
        )
        ranking = [(row["tag_id"], row["tag__name"], row["works"]) for row in counted]
        cache.set(key, ranking, FANDOM_RANKING_SECONDS)
    return ranking


def fandoms(request):
    """The fandoms with works, the most used first, each leading to its works."""
    ranking = fandom_ranking(viewer=request.user)
    page = Paginator(ranking, FANDOMS_PER_PAGE).get_page(_page_number(request))
    entries = [
        _navigation_entry(
            request,
            path=reverse("opds:fandom", args=[tag_id]),
            title=_xml_text(name),
            text=ngettext("%(n)s work", "%(n)s works", count) % {"n": f"{count:,}"},
            rel="subsection",
            kind=ACQUISITION,
            count=count,
        )
        for tag_id, name, count in page
    ]
    return _feed(
        request,
        kind=NAVIGATION,
        path=reverse("opds:fandoms"),
        title=_("Fandoms"),
        subtitle=_("Every fandom with works, the busiest first."),
        entries=entries,
        page=page,
        up=reverse("opds:root"),
    )
