"""EPUB 3 downloads, written directly: XHTML documents from templates, zipped.

The book holds a front page (title, byline, tags, stats, series, summary, notes, the
work's address), one XHTML document per chapter and an afterword (the work's end
notes and an invitation to leave kudos or a comment), with a navigation document for
EPUB 3 readers and an NCX for older ones. Metadata follows EPUB 3: a stable
``urn:uuid`` identifier made from the work's address, one ``dc:creator`` per creator
(none for an anonymous work), a ``dc:subject`` per tag, the series as
``belongs-to-collection``. The same ``Book`` always gives the same bytes: zip entries
carry the work's date, never the clock.
"""

import io
import re
import uuid
import zipfile
from dataclasses import dataclass

from django.template.loader import get_template, render_to_string
from django.utils.translation import gettext as _

from fanshelf.downloads.formats.xhtml import to_text, to_xhtml, xml_text

MEDIA_TYPE = "application/epub+zip"

TEMPLATES = "downloads/epub/"
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


@dataclass(frozen=True)
class Document:
    """One XHTML file of the book, as the package, the spine and the contents list it."""

    id: str
    href: str
    label: str
    markup: str


def render(book) -> bytes:
    """The whole EPUB file of ``book``."""
    metadata = _metadata(book)
    context = {"book": metadata}
    chapter_template = get_template(TEMPLATES + "chapter.xhtml")
    documents = [Document("front", "front.xhtml", _("Preface"), _render("front.xhtml", context))]
    for chapter in book.chapters:
        chapter_context = {**context, "chapter": _chapter(book, chapter)}
        documents.append(
            Document(
                f"chapter-{chapter.number}",
                f"chapter-{chapter.number:04d}.xhtml",
                chapter_context["chapter"]["heading"],
                chapter_template.render(chapter_context),
            )
        )
    documents.append(
        Document(
            "afterword", "afterword.xhtml", _("Afterword"), _render("afterword.xhtml", context)
        )
    )
    contents = [{"href": document.href, "label": document.label} for document in documents]
    navigation = {
        **context,
        "contents": contents,
        "first_chapter": contents[1]["href"] if len(contents) > 2 else contents[0]["href"],
    }
    files = [
        ("META-INF/container.xml", _render("container.xml", context)),
        ("EPUB/package.opf", _render("package.opf", {**context, "documents": documents})),
        ("EPUB/nav.xhtml", _render("nav.xhtml", navigation)),
        ("EPUB/toc.ncx", _render("toc.ncx", navigation)),
        ("EPUB/style.css", _render("style.css", context)),
        *((f"EPUB/{document.href}", document.markup) for document in documents),
    ]
    return _zip(files, date=book.updated or book.published)


def _render(name: str, context: dict) -> str:
    return render_to_string(TEMPLATES + name, context)


def _metadata(book) -> dict:
    """What the templates show of ``book``: texts made XML-safe, HTML made XHTML."""
    language = _language(book.language)
    date = book.updated or book.published
    series = book.series
    return {
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, book.url)}",
        "title": xml_text(book.title),
        "creators": [xml_text(name) for name in book.creators],
        "byline": xml_text(book.byline),
        "language": language,
        # Right-to-left books turn their pages leftwards.
        "direction": book.direction,
        "modified": f"{date}T00:00:00Z" if date else "1980-01-01T00:00:00Z",
        "tag_groups": [
            {
                "label": xml_text(book.tag_labels.get(tag_type, tag_type)),
                "tags": [xml_text(tag) for tag in tags],
            }
            for tag_type, tags in book.tags.items()
            if tags
        ],
        "description": xml_text(to_text(book.summary)),
        "summary": to_xhtml(book.summary, base_url=book.url),
        "notes": to_xhtml(book.notes, base_url=book.url),
        "end_notes": to_xhtml(book.end_notes, base_url=book.url),
        "series": series
        and {"title": xml_text(series.title), "position": series.position, "url": series.url},
        "published": book.published,
        "stat_items": [(label, xml_text(value)) for label, value in book.stat_items],
        "url": book.url,
        "kudos_url": book.kudos_url,
        "comments_url": book.comments_url,
    }


def _chapter(book, chapter) -> dict:
    # A one-shot's only chapter, untitled, is headed by the work's title, as on the page.
    untitled_one_shot = len(book.chapters) == 1 and not chapter.title
    return {
        "heading": xml_text(book.title if untitled_one_shot else chapter.heading),
        "summary": to_xhtml(chapter.summary, base_url=book.url),
        "notes": to_xhtml(chapter.notes, base_url=book.url),
        "body": to_xhtml(chapter.body, base_url=book.url),
        "end_notes": to_xhtml(chapter.end_notes, base_url=book.url),
    }


def _language(code: str) -> str:
    code = (code or "").strip()
    return code if _LANGUAGE_TAG.fullmatch(code) else "und"


def _zip(files: list[tuple[str, str]], *, date: str) -> bytes:
    """The EPUB container: ``mimetype`` first and stored, then the rest compressed."""
    stamp = _EPOCH
    if date:
        year, month, day = (int(part) for part in date.split("-"))
        stamp = max(_EPOCH, (year, month, day, 0, 0, 0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entries = [("mimetype", MEDIA_TYPE, zipfile.ZIP_STORED)]
        entries += [(name, text, zipfile.ZIP_DEFLATED) for name, text in files]
        for name, text, compression in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = compression
            info.create_system = 3  # Unix, whatever machine writes the file
            info.external_attr = 0o100644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
