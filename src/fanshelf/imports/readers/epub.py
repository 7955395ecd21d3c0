"""EPUB 2 and 3: metadata from the package document (OPF), chapters from the spine,
chapter titles from the navigation document (EPUB 3) or the NCX (EPUB 2).

``epub_package`` reads the package: the ``dc:`` metadata gives the title, creators,
language, summary (``dc:description``), free tags (``dc:subject``), date, source and
series (``belongs-to-collection`` or Calibre's ``calibre:series``). Here each document
of the spine with story text becomes a chapter; navigation, cover and title pages are
passed over, and images inside the book become their alt text.

Two kinds of EPUB say more, and are read for all they carry:

- AO3's (made by Calibre from its HTML download): the documents hold AO3's preface,
  chapters and afterword, read by ``ao3.read_ao3`` (reader "ao3-epub");
- Fanshelf's own downloads: a front page with the tags by type, summary and notes,
  chapters with their notes, and an afterword with the end notes.
"""

import re

import lxml.html
from django.utils.translation import gettext as _

from fanshelf import text
from fanshelf.imports.readers import ao3
from fanshelf.imports.readers.base import ImportedChapter, ImportedWork, ImportProblem
from fanshelf.imports.readers.epub_package import (
    CONTAINER,
    EpubFiles,
    Item,
    Package,
    navigation_titles,
    open_package,
    refuse_drm,
    work_from_package,
)
from fanshelf.imports.readers.markup import (
    apply_metadata,
    chapter_title,
    clean_html,
    first,
    has_class,
    has_story_text,
    local_name,
    parse_html,
    text_of,
)
from fanshelf.imports.readers.registry import FileSample, Reader

DOCUMENT_TYPES = {"application/xhtml+xml", "text/html", "application/html"}
NOT_STORY = {"cover", "titlepage", "halftitlepage", "toc", "copyright-page", "colophon"}
MAX_DOCUMENTS = 2000
HEADINGS = {"h1", "h2", "h3", "h4"}
WRAPPERS = {"div", "section", "header", "article", "hgroup", "main"}
_AO3_NAMES = re.compile(rb"archiveofourown\.org|Archive of Our Own", re.IGNORECASE)


def _documents(book: EpubFiles, package: Package) -> list[tuple[Item, object]]:
    """The body of each linear document of the spine, navigation left out."""
    documents = []
    for item in package.spine:
        if "nav" in item.properties or item.media_type not in DOCUMENT_TYPES:
            continue
        if len(documents) >= MAX_DOCUMENTS:
            raise ImportProblem(
                _("the EPUB has more than %(max)s documents") % {"max": f"{MAX_DOCUMENTS:,}"}
            )
        data = book.read(item.path)
        if not data.strip():
            continue
        body = parse_html(data).find("body")
        if body is not None:
            documents.append((item, body))
    return documents


def read_epub(sample: FileSample) -> list[ImportedWork]:
    """The work in an EPUB, or ImportProblem naming what is wrong with the file."""
    book = EpubFiles(sample)
    package = open_package(book)
    refuse_drm(book, package)
    if not package.spine_size:
        raise ImportProblem(_("the EPUB's spine is empty: it lists no chapters"))
    documents = _documents(book, package)
    if any(_is_ao3_preface(body) for _item, body in documents):
        return [_read_ao3(documents, package, name=sample.name)]
    work = work_from_package(package, name=sample.name)
    titles = navigation_titles(book, package)
    given: set[str] = set()
    for item, body in documents:
        given |= _add_document(work, item, body, titles, package)
    if not work.chapters:
        raise ImportProblem(_("the EPUB has no story text"))
    if "expected_chapters" not in given:
        work.expected_chapters = len(work.chapters)
    if len(work.chapters) == 1 and work.chapters[0].title == work.title:
        work.chapters[0].title = ""
    return [work]


def _is_ao3_preface(body) -> bool:
    preface = first(body.xpath(".//*[@id='preface']"))
    return preface is not None and any(has_class(dl, "tags") for dl in preface.iter("dl"))


def _read_ao3(documents, package: Package, *, name: str) -> ImportedWork:
    """AO3's documents as the one page Calibre cut them from."""
    page = lxml.html.Element("html")
    whole = lxml.html.Element("body")
    page.append(whole)
    for _item, body in documents:
        whole.extend(list(body))
    work = ao3.read_ao3(page, name=name, reader="ao3-epub", local=True)
    if work.title_is_placeholder or not (work.creators or work.anonymous):
        described = work_from_package(package, name=name)
        if work.title_is_placeholder and not described.title_is_placeholder:
            work.title, work.title_is_placeholder = described.title, False
        if not work.anonymous:
            work.creators = work.creators or described.creators
    return work


def _with_class(scope, tag: str, name: str):
    return first(e for e in scope.iter(tag) if has_class(e, name))


def _userstuff(scope, section_class: str) -> str:
    section = _with_class(scope, "section", section_class)
    return clean_html(_with_class(section, "div", "userstuff")) if section is not None else ""


def _add_document(work: ImportedWork, item: Item, body, titles, package: Package) -> set[str]:
    """Add what one spine document holds to ``work``; the fields it set."""
    front = _with_class(body, "section", "front")
    if front is not None and any(has_class(dl, "stats") for dl in front.iter("dl")):
        return _read_front(work, front)
    afterword = _with_class(body, "section", "afterword")
    if afterword is not None and _with_class(afterword, "p", "feedback") is not None:
        work.end_notes_html = _userstuff(afterword, "end-notes")
        return set()
    chapter = _with_class(body, "section", "chapter")
    text_block = _with_class(chapter, "div", "text") if chapter is not None else None
    if text_block is not None and has_class(text_block, "userstuff"):
        heading = _with_class(chapter, "h2", "heading")
        work.chapters.append(
            ImportedChapter(
                body_html=clean_html(text_block),
                title=chapter_title(text_of(heading)),
                summary_html=_userstuff(chapter, "summary"),
                notes_html=_userstuff(chapter, "notes"),
                end_notes_html=_userstuff(chapter, "end-notes"),
            )
        )
        return set()
    if item.path not in package.not_story and not _typed_not_story(body):
        chapter = _plain_chapter(body, titles.get(item.path, ""), work)
        if chapter is not None:
            work.chapters.append(chapter)
    return set()


def _read_front(work: ImportedWork, front) -> set[str]:
    """Fanshelf's front page: tags by type (instead of the package's untyped subjects)."""
    title = text_of(_with_class(front, "h1", "title"))
    if title:
        work.title, work.title_is_placeholder = title, False
    given: set[str] = set()
    tags = _with_class(front, "dl", "tags")
    if tags is not None:
        work.tags = {}
        given |= apply_metadata(work, tags)
    stats = _with_class(front, "dl", "stats")
    given |= apply_metadata(work, stats)
    source = _with_class(front, "p", "source")
    link = first(source.iter("a")) if source is not None else None
    if link is not None and link.get("href"):
        work.source = link.get("href")
    work.summary_html = _userstuff(front, "summary") or work.summary_html
    work.notes_html = _userstuff(front, "notes")
    return given


def _typed_not_story(body) -> bool:
    """Whether the document says it is a cover, title page or contents (EPUB 3)."""
    for element in [body, *body.iterchildren("section", "div", "nav")]:
        if set((element.get("epub:type") or "").split()) & NOT_STORY:
            return True
    return False


def _leading_heading(body):
    """The heading a document opens with (inside wrappers), if nothing comes before it."""
    node = body
    while True:
        if (node.text or "").strip():
            return None
        children = [child for child in node if isinstance(child.tag, str)]
        if not children:
            return None
        if children[0].tag in HEADINGS:
            return children[0]
        if children[0].tag not in WRAPPERS:
            return None
        node = children[0]


def _plain_chapter(body, nav_title: str, work: ImportedWork) -> ImportedChapter | None:
    """A chapter from any document: its title from the contents, else its first heading."""
    heading = _leading_heading(body)
    heading_text = text_of(heading)
    title = nav_title or heading_text
    # The heading goes when the title says it already (or it only says "Chapter 3").
    if heading is not None and (
        not nav_title
        or _same(heading_text, nav_title)
        or _same(heading_text, chapter_title(nav_title))
        or not chapter_title(heading_text)
    ):
        heading.drop_tree()
    body_html = clean_html(body)
    if not has_story_text(body_html) or _only_names(body_html, title, work):
        return None
    return ImportedChapter(body_html=body_html, title=chapter_title(title))


def _same(first_text: str, second_text: str) -> bool:
    return " ".join(first_text.split()).casefold() == " ".join(second_text.split()).casefold()


def _only_names(body_html: str, title: str, work: ImportedWork) -> bool:
    """A title page: nothing but the work's title, creators and "by"."""
    words = text.html_to_text(body_html).casefold().split()
    known = " ".join([work.title, title, *work.creators, "by"]).casefold().split()
    return len(words) <= 40 and all(word in known for word in words)


def is_epub(sample: FileSample) -> bool:
    """An EPUB by its content: the stored ``mimetype`` member first, or a container."""
    if not sample.is_zip:
        return False
    header = sample.data[30:38] == b"mimetype" and b"application/epub+zip" in sample.data[38:90]
    return header or CONTAINER in sample.zip_names


def _is_ao3_epub(sample: FileSample) -> bool:
    """An EPUB whose package names AO3 (Calibre writes ``dc:publisher``)."""
    if not is_epub(sample):
        return False
    try:
        book = EpubFiles(sample)
        container = book.xml(CONTAINER)
        paths = [e.get("full-path") for e in container.iter() if local_name(e) == "rootfile"]
        return bool(paths and paths[0] and _AO3_NAMES.search(book.read(paths[0])))
    except ImportProblem:
        return False  # the EPUB reader says what is wrong


AO3_READER = Reader("ao3-epub", sniff=_is_ao3_epub, read=read_epub)
READER = Reader("epub", sniff=is_epub, read=read_epub)
