"""Sentences and quotations in running prose, for :mod:`fanshelf.text.prose`.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (or a run of them), optionally
followed by closing quotes or brackets, then whitespace, when the next word does
not start in lower case (``“Who are you?” he snarled.`` is one sentence) and the full
stop does not end a title or an initial (``Mr.``, ``J.``). A closing quote followed
by whitespace and an opening quote is also an end, even without punctuation
(``“as fast as we–” “Don’t…``).

Quote marks are classified so that each sentence knows whether it opens a quotation
or starts inside one: curly double quotes and guillemets by their shape, a straight
``"`` by its position (before a word it opens, after one it closes), and single
quotes only where they cannot be an apostrophe (an opening ``‘`` or ``'`` before a
capital; a closing one right after punctuation). A single quotation left open is
taken back, as it was an elision like ``'Cause``.
"""

from dataclasses import dataclass

import regex

# A single quote still open after this many characters was an apostrophe after all.
MAX_SINGLE_QUOTE_CHARS = 800

DOUBLE_OPEN = "“«"
DOUBLE_CLOSE = "”»"
BEFORE_OPENING = "([{—–-" + DOUBLE_OPEN
SPEECH_END = ",?!…–—-"
# A full stop after these is not the end of a sentence.
_ABBREVIATIONS = frozenset(
    {
        "adm", "capt", "cmdr", "col", "cpt", "dr", "e.g", "gen", "hon", "i.e", "jr",
        "lt", "mr", "mrs", "ms", "mx", "prof", "rev", "sgt", "sr", "st", "vs",
    }
)  # fmt: skip
_SENTENCE_END = regex.compile(r"[.!?…]+[”\"’'»)\]]*(?P<gap>\s+)(?=\S)")
_QUOTE_TO_QUOTE = regex.compile(r"[”\"»](?P<gap>\s+)(?=[“\"«])")


@dataclass
class Sentence:
    """A sentence's span in the text, and where it stands to quotations."""

    start: int
    end: int
    in_quote: bool  # starts inside a quotation opened by an earlier sentence
    opens_quote: bool  # its first character opens a quotation


def quote_marks(text: str) -> dict[int, bool]:
    """Map the index of each quote mark that opens (True) or closes (False) a quotation."""
    marks = {}
    single_open = None  # where the open single quotation started
    for i, char in enumerate(text):
        if single_open is not None and i - single_open > MAX_SINGLE_QUOTE_CHARS:
            del marks[single_open]
            single_open = None
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        at_word_start = before.isspace() or before in BEFORE_OPENING
        if char in DOUBLE_OPEN:
            marks[i], single_open = True, None
        elif char in DOUBLE_CLOSE:
            marks[i], single_open = False, None
        elif char == '"':
            marks[i], single_open = at_word_start and not after.isspace(), None
        elif char in "‘'" and at_word_start and not (after.isspace() or after.islower()):
            if single_open is not None:  # never closed: an elision like 'Cause
                del marks[single_open]
            marks[i], single_open = True, i
        elif char in "’'" and single_open is not None and before in SPEECH_END + ".":
            marks[i], single_open = False, None
    if single_open is not None:
        del marks[single_open]
    return marks


def split_sentences(text: str, marks: dict[int, bool]) -> list[Sentence]:
    """Cut ``text`` into sentences, skipping the whitespace between them."""
    cuts = set()
    for match in _SENTENCE_END.finditer(text):
        following = text[match.end("gap")]
        if following.islower() or _ends_with_abbreviation(text, match.start()):
            continue
        cuts.add(match.start("gap"))
    for match in _QUOTE_TO_QUOTE.finditer(text):
        closing, opening = match.start(), match.end("gap")
        if marks.get(closing) is False and marks.get(opening) is True:
            cuts.add(match.start("gap"))

    inside = [False] * (len(text) + 1)
    state = False
    for i in range(len(text)):
        inside[i] = state
        state = marks.get(i, state)
    sentences, start = [], 0
    for cut in [*sorted(cuts), len(text)]:
        end = cut
        while start < end and text[start].isspace():
            start += 1
        while start < end and text[end - 1].isspace():
            end -= 1
        if start < end:
            sentences.append(Sentence(start, end, inside[start], marks.get(start) is True))
        start = cut
    return sentences


def _ends_with_abbreviation(text, stop):
    if text[stop] != ".":
        return False
    before = text[max(0, stop - 20) : stop].split()
    word = before[-1].lstrip("“\"‘'(«") if before else ""
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())
