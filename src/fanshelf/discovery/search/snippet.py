"""Snippets: a short excerpt of the best-matching chapter, its hits in ``<mark>``."""

import html
from typing import NamedTuple

import regex

from fanshelf.discovery.search.query import CJK

# Hits come back from the database between these two characters, which the indexed
# text never holds (documents.index_text), and become <mark> only after everything
# else has been escaped: <mark> is the only markup a snippet can hold.
HIT_START, HIT_END = "\x02", "\x03"
# PostgreSQL's parser reads its text with this after some punctuation (see
# postgres.parser_text); snippets drop it.
PARSER_BREAK = "\x01"
SNIPPET_WORDS = 30

_CJK_LETTER = rf"[[{CJK}]&&[\p{{L}}\p{{N}}]]"
_CJK_SPACE = regex.compile(
    rf"(?<={_CJK_LETTER}(?:</?mark>)?) (?=(?:</?mark>)?{_CJK_LETTER})", flags=regex.VERSION1
)


class Snippet(NamedTuple):
    chapter_id: int
    chapter_position: int
    html: str


def snippet_html(text: str, *, cut_before: bool = False, cut_after: bool = False) -> str:
    """Escape an excerpt with hit markers and mark its hits; ``…`` where it was cut."""
    text = " ".join(text.replace(PARSER_BREAK, "").split())
    if cut_before and not text.startswith("…"):
        text = "… " + text
    if cut_after and not text.endswith("…"):
        text += " …"
    escaped = html.escape(text).replace(HIT_START, "<mark>").replace(HIT_END, "</mark>")
    # The index spaces out Han and Kana characters (documents.index_text); close them up.
    return _CJK_SPACE.sub("", escaped)
