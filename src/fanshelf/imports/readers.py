"""Readers turn a file's bytes into ``ImportedWork``s, whatever the file's kind.

Each reader knows one kind of file; ``read_bytes`` picks the reader from the content
(not only the name). Readers never touch the database: ``imports.services`` does.
"""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fanshelf import text

MAX_FILE_BYTES = 8 * 1024 * 1024
PLACEHOLDER_TITLE = "Untitled"


class ImportProblem(Exception):
    """A file that cannot become a work; the message says why, for one output line."""


@dataclass
class ImportedChapter:
    body_html: str
    title: str = ""
    summary_html: str = ""
    notes_html: str = ""
    end_notes_html: str = ""
    published_at: object = None


@dataclass
class ImportedWork:
    title: str
    chapters: list[ImportedChapter]
    title_is_placeholder: bool = False
    creators: list[str] = field(default_factory=list)
    summary_html: str = ""
    notes_html: str = ""
    end_notes_html: str = ""
    tags: dict[str, list[str]] = field(default_factory=dict)
    language: str = "en"
    series: str = ""
    expected_chapters: int | None = None
    restricted: bool = False
    anonymous: bool = False
    comment_policy: str = "open"
    state: str = "posted"
    published_at: object = None
    source: str = ""


def decode(data: bytes) -> str:
    """UTF-8 text from bytes, or an ImportProblem naming the first bad byte."""
    if not data.strip():
        raise ImportProblem(_("the file is empty"))
    if len(data) > MAX_FILE_BYTES:
        raise ImportProblem(
            _("the file is too long (%(size)s bytes; the limit is %(max)s)")
            % {"size": f"{len(data):,}", "max": f"{MAX_FILE_BYTES:,}"}
        )
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblem(
            _("not UTF-8 text (byte 0x%(byte)02x at position %(pos)d)")
            % {"byte": data[error.start], "pos": error.start}
        ) from None
    if not decoded.strip():
        raise ImportProblem(_("the file is empty"))
    return decoded.replace("\r\n", "\n").replace("\r", "\n")


# --- plain text and Markdown -------------------------------------------------------

# Labels an author may put in a block at the top of a text file.
HEADER_LABELS = {
    "title": "title",
    "author": "creators",
    "creator": "creators",
    "by": "creators",
    "summary": "summary",
    "notes": "notes",
    "note": "notes",
    "author's note": "notes",
    "rating": "rating",
    "fandom": "fandom",
    "fandoms": "fandom",
    "relationship": "relationship",
    "relationships": "relationship",
    "pairing": "relationship",
    "character": "character",
    "characters": "character",
    "tags": "freeform",
    "additional tags": "freeform",
    "warnings": "warning",
    "archive warnings": "warning",
    "category": "category",
    "categories": "category",
    "series": "series",
    "language": "language",
}
HEADER_LINE = re.compile(r"^\s*([A-Za-z' ]{1,20}?)\s*:\s*(.*)$")
# "Notes:" starting the closing section: at a line start, or after the end of a
# sentence in text that arrived flattened onto one line.
END_NOTES_START = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?…”\"’)\]*~] ))"
    r"[ \t]*(?:End Notes|Author's Notes?|A/N|Notes?)[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
NOTES_MAX = 5000


def split_header(source: str) -> tuple[dict[str, str], str]:
    """Leading ``Label: value`` blocks and the rest of the text."""
    header: dict[str, str] = {}
    lines = source.lstrip("\n").split("\n")
    current = None
    index = 0
    while index < len(lines):
        line = lines[index]
        match = HEADER_LINE.match(line)
        label = HEADER_LABELS.get(match.group(1).strip().lower()) if match else None
        if label and label not in header:
            current = label
            header[label] = match.group(2).strip()
        elif current and line.strip():
            header[current] = (header[current] + "\n" + line).strip()
        elif not line.strip() and header:
            current = None
            # A blank line ends a block; the header ends at the first line that is
            # neither a label nor a block's continuation.
            next_line = next(
                (candidate for candidate in lines[index + 1 :] if candidate.strip()), ""
            )
            next_match = HEADER_LINE.match(next_line)
            if not (next_match and HEADER_LABELS.get(next_match.group(1).strip().lower())):
                index += 1
                break
        else:
            break
        index += 1
    if not header:
        return {}, source
    return header, "\n".join(lines[index:])


def split_end_notes(body: str) -> tuple[str, str]:
    """The story and a trailing ``Notes:`` section, if the text ends with one."""
    matches = list(END_NOTES_START.finditer(body))
    if not matches:
        return body, ""
    last = matches[-1]
    notes = body[last.end() :].strip()
    story = body[: last.start()].rstrip()
    # Only a closing section counts: the story comes first and is the longer part.
    if not notes or not story or len(notes) > NOTES_MAX or len(story) < len(notes):
        return body, ""
    return story, notes


def placeholder_title(name: str) -> str:
    stem = PurePath(name).stem if name else ""
    return f"{PLACEHOLDER_TITLE} ({stem})" if stem else PLACEHOLDER_TITLE


def _tag_list(value: str) -> list[str]:
    return [piece.strip() for piece in value.split(",") if piece.strip()]


def read_text(source: str, *, name: str = "", markdown: bool = False) -> list[ImportedWork]:
    """A plain-text or Markdown file: optional header blocks, the story, end notes."""
    render = text.markdown_to_html if markdown else text.text_to_html
    header, body = split_header(source)
    title = header.get("title", "")
    if markdown and not title:
        heading = re.match(r"\s*#\s+(.+?)\s*#*\s*\n", body)
        if heading:
            title, body = heading.group(1), body[heading.end() :]
    body, end_notes = split_end_notes(body)
    if not text.html_to_text(render(body)).strip():
        raise ImportProblem(_("the file has no story text"))
    tags = {
        key: _tag_list(header[key])
        for key in ("fandom", "relationship", "character", "freeform", "warning", "category")
        if header.get(key)
    }
    if header.get("rating"):
        tags["rating"] = [header["rating"].strip()]
    return [
        ImportedWork(
            title=" ".join(title.split()) or placeholder_title(name),
            title_is_placeholder=not title.strip(),
            creators=_tag_list(header.get("creators", "")),
            summary_html=render(header.get("summary", "")),
            notes_html=render(header.get("notes", "")),
            end_notes_html=render(end_notes),
            tags=tags,
            language=header.get("language", "").strip() or "en",
            series=header.get("series", "").strip(),
            expected_chapters=1,
            chapters=[ImportedChapter(body_html=render(body))],
            source=name,
        )
    ]


# --- HTML --------------------------------------------------------------------------


class _HtmlOutline(HTMLParser):
    """Finds the document's title, first h1 and the span of its body, by offsets."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for line in source.split("\n"):
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.title = ""
        self.h1 = ""
        self.h1_span: tuple[int, int] | None = None
        self.body_span = [None, None]
        self.lang = ""
        self._in = None
        self._h1_start = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        elif tag == "body" and self.body_span[0] is None:
            self.body_span[0] = self._offset() + len(self.get_starttag_text() or "")
        elif tag == "title" and not self.title:
            self._in = "title"
        elif tag == "h1" and self.h1_span is None and self._h1_start is None:
            self._in, self._h1_start = "h1", self._offset()

    def handle_endtag(self, tag):
        if tag == "body":
            self.body_span[1] = self._offset()
        elif tag == self._in:
            if tag == "h1":
                self.h1_span = (self._h1_start, self._offset() + len("</h1>"))
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data


def read_html(source: str, *, name: str = "") -> list[ImportedWork]:
    """A generic HTML file: the title from <title> or the first <h1>, the body as text."""
    outline = _HtmlOutline(source)
    outline.feed(source)
    outline.close()
    start, end = outline.body_span
    body = source[start or 0 : end if end is not None else len(source)]
    title = " ".join((outline.h1 or outline.title).split())
    if outline.h1_span and title and (start or 0) <= outline.h1_span[0]:
        h1_start, h1_end = (offset - (start or 0) for offset in outline.h1_span)
        body = body[:h1_start] + body[h1_end:]
    body_html = text.sanitize_html(body)
    if not text.html_to_text(body_html).strip():
        raise ImportProblem(_("the file has no story text"))
    return [
        ImportedWork(
            title=title or placeholder_title(name),
            title_is_placeholder=not title,
            language=outline.lang.strip() or "en",
            expected_chapters=1,
            chapters=[ImportedChapter(body_html=body_html)],
            source=name,
        )
    ]


# --- Fanshelf's own JSON export ------------------------------------------------------


def read_export_json(data: dict, *, name: str = "") -> list[ImportedWork]:
    """The JSON that ``fanshelf export --format json`` writes."""
    try:
        chapters = [
            ImportedChapter(
                body_html=chapter["body_html"],
                title=chapter.get("title") or "",
                summary_html=chapter.get("summary") or "",
                notes_html=chapter.get("notes") or "",
                end_notes_html=chapter.get("end_notes") or "",
                published_at=parse_datetime(chapter.get("published_at") or ""),
            )
            for chapter in data["chapters"]
        ]
        series = data.get("series") or {}
        work = ImportedWork(
            title=data["title"],
            chapters=chapters,
            creators=[c.get("pseud", "") for c in data.get("creators") or []],
            summary_html=data.get("summary") or "",
            notes_html=data.get("notes") or "",
            end_notes_html=data.get("end_notes") or "",
            tags={key: list(value) for key, value in (data.get("tags") or {}).items() if value},
            language=data.get("language") or "en",
            series=series.get("title", "") if isinstance(series, dict) else str(series),
            expected_chapters=data.get("expected_chapters"),
            restricted=bool(data.get("restricted")),
            anonymous=bool(data.get("anonymous")),
            comment_policy=data.get("comment_policy") or "open",
            state=data.get("state") or "posted",
            published_at=parse_datetime(data.get("published_at") or ""),
            source=data.get("source") or data.get("url") or name,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ImportProblem(
            _("not a Fanshelf work export (missing or bad field %(field)s)") % {"field": error}
        ) from None
    return [work]


# --- choosing a reader ---------------------------------------------------------------

HTML_START = re.compile(
    r"^\s*(<!doctype html|<html|<head|<body|<(p|div|h1|h2|article|section)[\s>])", re.I
)


def detect_format(source: str, name: str = "") -> str:
    """ "json", "html", "markdown" or "text", from the content first, then the name."""
    stripped = source.lstrip()
    if stripped.startswith("{"):
        return "json"
    if HTML_START.match(stripped):
        return "html"
    if PurePath(name).suffix.lower() in {".md", ".markdown"}:
        return "markdown"
    if PurePath(name).suffix.lower() in {".html", ".htm", ".xhtml"} and "<" in stripped:
        return "html"
    return "text"


def read_bytes(data: bytes, *, name: str = "") -> list[ImportedWork]:
    """The works in a file's bytes, or ImportProblem saying why there are none."""
    source = decode(data)
    kind = detect_format(source, name)
    if kind == "json":
        try:
            parsed = json.loads(source)
        except json.JSONDecodeError as error:
            raise ImportProblem(
                _("broken JSON (line %(line)d: %(msg)s)") % {"line": error.lineno, "msg": error.msg}
            ) from None
        if not isinstance(parsed, dict) or parsed.get("format") != "fanshelf-work":
            raise ImportProblem(_("JSON that is not a Fanshelf work export"))
        return read_export_json(parsed, name=name)
    if kind == "html":
        return read_html(source, name=name)
    return read_text(source, name=name, markdown=kind == "markdown")
