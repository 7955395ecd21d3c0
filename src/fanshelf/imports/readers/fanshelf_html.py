"""Fanshelf's own HTML download (``downloads/html/book.html``), read back into its work.

The page is ours, so nothing is guessed: the front page's metadata list gives the tags
by type, the language, series and stats; each ``<article class="chapter">`` gives a
chapter with its summary, notes and end notes; the afterword gives the end notes.
Texts are sanitised again all the same: a saved file can be edited by anyone.
"""

import re

from django.utils.translation import gettext as _

from fanshelf.imports.readers.base import (
    ImportedChapter,
    ImportedWork,
    ImportProblem,
    placeholder_title,
)
from fanshelf.imports.readers.markup import (
    apply_metadata,
    chapter_title,
    clean_html,
    first,
    has_class,
    has_story_text,
    language_code,
    parse_html,
    text_of,
)
from fanshelf.imports.readers.registry import FileSample, Reader

_GENERATOR = re.compile(r"""<meta\s+name=["']generator["']\s+content=["']Fanshelf["']""", re.I)
_FRONT_PAGE = re.compile(r"""<header\s+class=["']front-page["']""", re.I)


def _first_with_class(scope, tag: str, name: str):
    if scope is None:
        return None
    return first(element for element in scope.iter(tag) if has_class(element, name))


def _block(scope, section_class: str) -> str:
    """The sanitised text of the ``.userstuff`` block in ``scope``'s section of that class."""
    section = _first_with_class(scope, "section", section_class)
    return clean_html(_first_with_class(section, "*", "userstuff"), remote_images=True)


def read_fanshelf_html(source: str, *, name: str = "") -> ImportedWork:
    """The work of a Fanshelf HTML download."""
    root = parse_html(source)
    front = _first_with_class(root, "header", "front-page")
    if front is None:
        raise ImportProblem(_("not a Fanshelf download: it has no front page"))
    title = text_of(_first_with_class(front, "h1", "title"))
    work = ImportedWork(
        title=title or placeholder_title(name),
        title_is_placeholder=not title,
        chapters=[],
        language=language_code(root.get("lang") or "") or "en",
        source=name,
        reader="fanshelf-html",
    )
    author = first(root.xpath("//meta[@name='author']/@content"))
    work.creators = [piece.strip() for piece in (author or "").split(",") if piece.strip()]
    work.anonymous = not work.creators
    meta = _first_with_class(front, "dl", "work-meta")
    given = apply_metadata(work, meta) if meta is not None else set()
    # The page's lang attribute is the code itself; the list shows the language's name.
    work.language = language_code(root.get("lang") or "") or work.language
    work.summary_html = _block(front, "summary")
    work.notes_html = _block(front, "notes")
    work.end_notes_html = _block(_first_with_class(root, "footer", "afterword"), "end-notes")
    for article in root.iter("article"):
        if not has_class(article, "chapter"):
            continue
        body = clean_html(_first_with_class(article, "div", "chapter-text"), remote_images=True)
        work.chapters.append(
            ImportedChapter(
                body_html=body,
                title=chapter_title(text_of(_first_with_class(article, "h2", "chapter-title"))),
                summary_html=_block(article, "chapter-summary"),
                notes_html=_block(article, "chapter-notes"),
                end_notes_html=_block(article, "chapter-end-notes"),
            )
        )
    work.chapters = [chapter for chapter in work.chapters if has_story_text(chapter.body_html)]
    if not work.chapters:
        raise ImportProblem(_("the file has no story text"))
    if "expected_chapters" not in given:
        work.expected_chapters = len(work.chapters)
    return work


def _is_fanshelf_html(sample: FileSample) -> bool:
    source = sample.text
    return source is not None and bool(_GENERATOR.search(source) and _FRONT_PAGE.search(source))


READER = Reader(
    "fanshelf-html",
    sniff=_is_fanshelf_html,
    read=lambda sample: [read_fanshelf_html(sample.text, name=sample.name)],
)
