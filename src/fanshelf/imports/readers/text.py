"""Plain text and Markdown: optional ``Label: value`` header blocks, the story, end notes."""

import re

from django.utils.translation import gettext as _

from fanshelf import text
from fanshelf.imports.readers.base import (
    ImportedChapter,
    ImportedWork,
    ImportProblem,
    placeholder_title,
)
from fanshelf.imports.readers.registry import FileSample, Reader

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
            reader="markdown" if markdown else "text",
        )
    ]


def _is_text(sample: FileSample) -> bool:
    return sample.text is not None


def _is_markdown(sample: FileSample) -> bool:
    return sample.suffix in {".md", ".markdown"} and _is_text(sample)


READER = Reader(
    "text", sniff=_is_text, read=lambda sample: read_text(sample.text, name=sample.name)
)
MARKDOWN_READER = Reader(
    "markdown",
    sniff=_is_markdown,
    read=lambda sample: read_text(sample.text, name=sample.name, markdown=True),
)
