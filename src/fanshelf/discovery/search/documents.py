"""What the search index holds for a work: one ``SearchChapter`` row per posted chapter.

Only posted works and their posted chapters are indexed: drafts, scheduled and
hidden works have no rows. The creators' names are left out of anonymous works, so
``creator:`` never finds them and no snippet can give them away.
"""

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator

import regex
from django.db.models import Prefetch

from fanshelf.discovery.models import MAX_CHAPTERS, SearchChapter, search_row_id
from fanshelf.discovery.search.query import CJK
from fanshelf.text import html_to_text
from fanshelf.works.models import Chapter, Creatorship, Work

# Characters that never belong in the index. \x02 and \x03 in particular mark the
# hits of a snippet, so the text itself must not hold them.
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Han, Hiragana and Katakana are written without spaces; a space on each side of such
# a character makes it one word for both engines' tokenizers (see query.words_of).
_CJK_LETTER = rf"[[{CJK}]&&[\p{{L}}\p{{N}}]]"
_CJK_EDGE = regex.compile(
    rf"(?<={_CJK_LETTER})(?=[\p{{L}}\p{{N}}])|(?<=[\p{{L}}\p{{N}}])(?={_CJK_LETTER})",
    flags=regex.VERSION1,
)


def index_text(text: str) -> str:
    """Text as the index stores it: NFC, no control characters, CJK characters spaced out."""
    text = unicodedata.normalize("NFC", text or "")
    return _CJK_EDGE.sub(" ", _CONTROL.sub("", text))


def _html(value: str) -> str:
    return html_to_text(value) if value else ""


def _join(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _creator_names(work: Work) -> list[str]:
    if work.anonymous:
        return []
    # An archived work's creators who are not users yet (imports.archive) come first.
    names = [share.creator.name for share in work.external_creatorships.all()]
    for creatorship in work.creatorships.all():
        pseud = creatorship.pseud
        names.append(pseud.name)
        if pseud.user.username != pseud.name:
            names.append(pseud.user.username)
    return list(dict.fromkeys(names))


def _digest(row: SearchChapter) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for value in (row.chapter_id, row.title, row.summary, row.notes, row.tags, row.creators):
        hasher.update(str(value).encode())
        hasher.update(b"\x00")
    hasher.update(row.body.encode())
    return hasher.hexdigest()


def posted_works(work_ids: Iterable[int]):
    """The posted works among ``work_ids``, with what their rows need prefetched."""
    return (
        Work.objects.filter(pk__in=list(work_ids), state=Work.State.POSTED)
        .only("pk", "title", "summary", "notes", "end_notes", "anonymous")
        .prefetch_related(
            Prefetch("tags"),
            Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud__user")),
            "external_creatorships__creator",
            Prefetch(
                "chapters",
                queryset=Chapter.objects.filter(state=Chapter.State.POSTED).order_by("position"),
            ),
        )
    )


def rows_for(work_ids: Iterable[int]) -> Iterator[SearchChapter]:
    """The rows the index should hold for these works (none for unposted works)."""
    for work in posted_works(work_ids):
        title = index_text(work.title)
        summary = index_text(_html(work.summary))
        work_notes = _join(_html(work.notes), _html(work.end_notes))
        tags = index_text("\n".join(tag.name for tag in work.tags.all()))
        creators = index_text("\n".join(_creator_names(work)))
        for chapter in work.chapters.all():
            if chapter.position > MAX_CHAPTERS:
                continue
            row = SearchChapter(
                id=search_row_id(work.pk, chapter.position),
                work_id=work.pk,
                chapter_id=chapter.pk,
                position=chapter.position,
                title=title,
                summary=summary,
                notes=index_text(
                    _join(
                        work_notes,
                        chapter.title,
                        _html(chapter.summary),
                        _html(chapter.notes),
                        _html(chapter.end_notes),
                    )
                ),
                tags=tags,
                creators=creators,
                body=index_text(_html(chapter.body)),
            )
            row.digest = _digest(row)
            yield row
