"""What every reader gives back: ``ImportedWork``s, or an ``ImportProblem`` saying why not.

Readers never touch the database (``imports.services`` does); they take bytes and a
file name and return plain data, so each can be tested alone and a preview can be
kept as JSON (``ImportedWork.as_dict`` / ``ImportedWork.from_dict``).
"""

import codecs
import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

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
    published_at: datetime | None = None


@dataclass
class ImportedWork:
    """One work as a file describes it; tags are names by type, creators are names."""

    title: str
    chapters: list[ImportedChapter]
    title_is_placeholder: bool = False
    creators: list[str] = field(default_factory=list)
    summary_html: str = ""
    notes_html: str = ""
    end_notes_html: str = ""
    # Keys: rating, warning, category, fandom, relationship, character, freeform.
    tags: dict[str, list[str]] = field(default_factory=dict)
    language: str = "en"
    series: str = ""
    series_position: int | None = None
    expected_chapters: int | None = None
    restricted: bool = False
    anonymous: bool = False
    comment_policy: str = "open"
    state: str = "posted"
    published_at: datetime | None = None
    revised_at: datetime | None = None
    # The original URL, or the file's name when the file does not say where it was.
    source: str = ""
    # Which reader made it ("ao3-html", "epub", "tumblr-export", ...), for previews.
    reader: str = ""

    @property
    def language_name(self) -> str:
        """The language's own name ("English", "Deutsch"), as work pages show it."""
        from fanshelf.works.models import language_name

        return language_name(self.language)

    def as_dict(self) -> dict:
        """Plain JSON-ready data (dates as ISO 8601)."""
        return _jsonable(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, data: dict) -> "ImportedWork":
        values = dict(data)
        values["chapters"] = [
            ImportedChapter(**{**chapter, "published_at": _date(chapter.get("published_at"))})
            for chapter in values.get("chapters", [])
        ]
        for name in ("published_at", "revised_at"):
            values[name] = _date(values.get(name))
        return cls(**values)

    def key(self) -> str:
        """A fingerprint of the work's content (not where it came from): the same work
        read from two files, or twice from one, has the same key."""
        content = self.as_dict()
        content.pop("source")
        content.pop("reader")
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def _date(value):
    if not value or isinstance(value, datetime):
        return value or None
    return parse_datetime(value)


def check_size(data: bytes, *, limit: int = MAX_FILE_BYTES) -> None:
    """ImportProblem when ``data`` is empty or longer than ``limit`` bytes."""
    if not data.strip():
        raise ImportProblem(_("the file is empty"))
    if len(data) > limit:
        raise ImportProblem(
            _("the file is too long (%(size)s bytes; the limit is %(max)s)")
            % {"size": f"{len(data):,}", "max": f"{limit:,}"}
        )


META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def decode(data: bytes) -> str:
    """Text from bytes in any encoding: UTF-8 (with or without BOM), UTF-16 with a BOM,
    the charset an HTML or XML file declares, or a detected one; newlines made ``\\n``.

    ImportProblem when the file is empty, too long, or in no encoding we can tell.
    """
    check_size(data)
    decoded = _decode(data)
    if not decoded.strip():
        raise ImportProblem(_("the file is empty"))
    return decoded.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportProblem(_("broken UTF-16 text")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    declared = META_CHARSET.search(data[:4096]) or XML_ENCODING.search(data[:200])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    # charset-normalizer drops every encoding whose decoding reads as noise (its chaos
    # measure); what is left is a guess good for a paragraph or more of prose.
    if best is not None:
        return str(best)
    raise ImportProblem(
        _(
            "unknown text encoding (not UTF-8: byte 0x%(byte)02x at position %(pos)d, "
            "and no other encoding fits); save the file as UTF-8 and try again"
        )
        % {"byte": data[utf8_error.start], "pos": utf8_error.start}
    )


def placeholder_title(name: str) -> str:
    stem = PurePath(name).stem if name else ""
    return f"{PLACEHOLDER_TITLE} ({stem})" if stem else PLACEHOLDER_TITLE
