"""The JSON that ``fanshelf export --format json`` writes, read back."""

import json

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fanshelf.imports.readers.base import ImportedChapter, ImportedWork, ImportProblem
from fanshelf.imports.readers.registry import FileSample, Reader


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
            reader="fanshelf-json",
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ImportProblem(
            _("not a Fanshelf work export (missing or bad field %(field)s)") % {"field": error}
        ) from None
    return [work]


def _is_json(sample: FileSample) -> bool:
    return (sample.text or "").lstrip().startswith(("{", "["))


def _read(sample: FileSample) -> list[ImportedWork]:
    try:
        parsed = json.loads(sample.text)
    except json.JSONDecodeError as error:
        raise ImportProblem(
            _("broken JSON (line %(line)d: %(msg)s)") % {"line": error.lineno, "msg": error.msg}
        ) from None
    if not isinstance(parsed, dict) or parsed.get("format") != "fanshelf-work":
        raise ImportProblem(_("JSON that is neither a Fanshelf work export nor tumblr posts"))
    return read_export_json(parsed, name=sample.name)


READER = Reader("fanshelf-json", sniff=_is_json, read=_read)
