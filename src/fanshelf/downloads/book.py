"""What every download holds, gathered once from a work: the ``Book`` each format writes.

A format never queries the database and never decides who may read what: it gets a
``Book`` built here for a viewer, already cut to what that viewer may see (posted
works and posted chapters only, drafts never; creators left out of anonymous works).
Texts are the archive's stored HTML, sanitised when they were saved.

``Book.revision`` is a digest of everything a file shows except the counts that move
on every kudos or hit: a cached file is written once per revision, and its stats are
those of the moment it was written (as on AO3).
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from fanshelf.tags.models import Tag
from fanshelf.works.models import Chapter, Work, language_name
from fanshelf.works.selectors import visible_works, with_blurb_data

# Languages written right to left (primary subtags), for every format. Not Django's
# "bidi" flag: it marks Azerbaijani (written in Latin script today) and misses Yiddish,
# Pashto, Sindhi and Dhivehi.
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
)

# The order AO3 lists tags in, with the label each group gets on the front page.
TAG_TYPES = [tag_type.value for tag_type in Tag.Type]


@dataclass(frozen=True)
class BookChapter:
    number: int
    heading: str  # "Chapter 2: Coins", or "Chapter 2"
    title: str  # the chapter's own title, may be ""
    summary: str  # HTML
    notes: str  # HTML
    body: str  # HTML
    end_notes: str  # HTML
    word_count: int


@dataclass(frozen=True)
class Series:
    title: str
    position: int
    url: str


@dataclass(frozen=True)
class Stats:
    """The counts shown on the front page; not part of the revision."""

    kudos: int = 0
    comments: int = 0
    bookmarks: int = 0
    hits: int = 0


@dataclass(frozen=True)
class Book:
    work_id: int
    title: str
    creators: list[str]  # pseud names; empty for an anonymous work
    language: str  # a BCP 47 code in lower case: "en", "pt-br"
    tags: dict[str, list[str]]  # by tag type, in TAG_TYPES order; only non-empty types
    tag_labels: dict[str, str]  # tag type -> "Archive Warning", "Additional Tags", …
    summary: str  # HTML
    notes: str  # HTML
    end_notes: str  # HTML
    series: Series | None
    published: str  # ISO date, "2026-11-26"
    updated: str  # ISO date of the last update, "" if never updated after posting
    complete: bool
    words: int
    chapters_display: str  # "1/1", "2/?"
    url: str  # the work on the archive
    kudos_url: str  # where a reader leaves kudos
    comments_url: str  # where a reader comments
    chapters: list[BookChapter]
    stats: Stats = field(default_factory=Stats)
    # Only logged-in readers may have the file (it is sent as private, never kept by a
    # shared cache); not shown in the file, so left out of the revision.
    restricted: bool = False

    @property
    def byline(self) -> str:
        """ "smolhux, another" or "Anonymous"."""
        return ", ".join(self.creators) if self.creators else _("Anonymous")

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def direction(self) -> str:
        """ "rtl" for a language written right to left (Arabic, Hebrew, Persian…), else "ltr"."""
        return "rtl" if self.language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"

    @property
    def stat_items(self) -> list[tuple[str, str]]:
        """The front page's stats as (label, value) pairs, in the order the work page uses."""
        items = [(_("Published"), self.published)] if self.published else []
        if self.updated:
            items.append((_("Completed") if self.complete else _("Updated"), self.updated))
        items += [(_("Words"), number_format(self.words, force_grouping=True))]
        items += [(_("Chapters"), self.chapters_display)]
        counts = [
            (_("Kudos"), self.stats.kudos),
            (_("Comments"), self.stats.comments),
            (_("Bookmarks"), self.stats.bookmarks),
            (_("Hits"), self.stats.hits),
        ]
        return items + [(label, number_format(n, force_grouping=True)) for label, n in counts]

    @property
    def slug(self) -> str:
        """The file name's stem: the title in ASCII letters and hyphens, never empty."""
        return work_slug(work_id=self.work_id, title=self.title)

    @property
    def revision(self) -> str:
        """A digest of the file's content, the moving counts left out."""
        content = asdict(self)
        content.pop("stats")
        content.pop("restricted")
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()[:16]


def work_slug(*, work_id: int, title: str) -> str:
    """A download's file name stem for a work, without building its ``Book`` (OPDS links)."""
    return slugify(title)[:60].strip("-") or f"work-{work_id}"


def book_for(*, work_id: int, viewer) -> Book:
    """The book of a posted work ``viewer`` may read; ``Work.DoesNotExist`` otherwise."""
    work = (
        with_blurb_data(visible_works(viewer))
        .filter(state=Work.State.POSTED)
        .select_related("series")
        .get(pk=work_id)
    )
    chapters = work.chapters.filter(state=Chapter.State.POSTED).order_by("position")
    return book_of(work, list(chapters))


def posted_book(*, work_id: int) -> Book:
    """The book of a posted work, whoever reads it: for the worker and the command line.

    Their callers decide who gets it (the download view checks the reader with
    ``book_for`` first); drafts are refused all the same with ``Work.DoesNotExist``.
    """
    work = with_blurb_data(Work.objects.filter(state=Work.State.POSTED)).get(pk=work_id)
    chapters = work.chapters.filter(state=Chapter.State.POSTED).order_by("position")
    return book_of(work, list(chapters))


def book_of(work: Work, chapters: list[Chapter]) -> Book:
    """The book of ``work`` with these (posted) chapters, numbered as readers see them."""
    tags: dict[str, list[str]] = {}
    for tag in sorted(work.tags.all(), key=lambda tag: (TAG_TYPES.index(tag.type), tag.name)):
        tags.setdefault(tag.type, []).append(tag.name)
    creators = [] if work.anonymous else _creator_names(work)
    url = settings.SITE_URL + work.get_absolute_url()
    published = work.published_at.date().isoformat() if work.published_at else ""
    updated = work.revised_at.date().isoformat() if work.revised_at else ""
    series = None
    if work.series is not None and work.series_position:
        series = Series(
            title=work.series.title,
            position=work.series_position,
            url=settings.SITE_URL + work.series.get_absolute_url(),
        )
    return Book(
        work_id=work.pk,
        title=work.title,
        creators=creators,
        language=work.language,
        tags=tags,
        tag_labels={tag_type.value: str(tag_type.label) for tag_type in Tag.Type},
        summary=work.summary,
        notes=work.notes,
        end_notes=work.end_notes,
        series=series,
        published=published,
        updated="" if updated == published else updated,
        complete=work.is_complete,
        words=work.word_count,
        chapters_display=work.chapters_display,
        url=url,
        kudos_url=url + "#kudos",
        comments_url=url + "#comments",
        chapters=[
            BookChapter(
                number=number,
                heading=_heading(number, chapter.title),
                title=chapter.title,
                summary=chapter.summary,
                notes=chapter.notes,
                body=chapter.body,
                end_notes=chapter.end_notes,
                word_count=chapter.word_count,
            )
            for number, chapter in enumerate(chapters, 1)
        ],
        stats=Stats(
            kudos=work.kudos_count,
            comments=work.comment_count,
            bookmarks=work.bookmark_count,
            hits=work.hit_count,
        ),
        restricted=work.restricted,
    )


def _creator_names(work: Work) -> list[str]:
    """Pseud names; an archived work's unclaimed creators by their old archive's names,
    in place of the archivist who imported it for them (``imports.archive``)."""
    shares = list(work.external_creatorships.all())
    archivists = {share.creator.archivist_id for share in shares}
    return [share.creator.name for share in shares] + [
        creatorship.pseud.name
        for creatorship in work.creatorships.all()
        if creatorship.pseud.user_id not in archivists
    ]


def _heading(number: int, title: str) -> str:
    label = _("Chapter %(n)s") % {"n": number}
    return f"{label}: {title}" if title else str(label)


def download_url(book: Book, extension: str) -> str:
    """Where a visitor downloads ``book`` as ``extension`` (epub, pdf, html, txt)."""
    return reverse(
        "downloads:file",
        kwargs={"work_id": book.work_id, "slug": book.slug, "extension": extension},
    )
