"""Word counts the way AO3 counts them, so a fic imported from there keeps its number.

The rules, in the order they are applied:

1. HTML tags separate words: ``<p>one</p><p>two</p>`` is 2, and so is
   ``wo<em>rd</em>`` (a tag inside a word splits it, as on AO3). Entities are
   unescaped first, the content of ``<script>`` and ``<style>`` is ignored.
2. Each Han, Hiragana, Katakana and Thai character is one word (these scripts do
   not put spaces between words). Punctuation of those scripts (``。``, ``、``,
   ``・``) counts nothing; the long-vowel mark ``ー`` and the iteration mark ``々``
   count as characters.
3. Everything else is cut at whitespace and at the separators below; a piece
   counts as one word when it holds at least one letter or digit:

   - en dash ``–``, em dash ``—`` and the other long dashes, and two or more
     hyphens in a row (``a--b`` is 2);
   - the ellipsis ``…`` and runs of two or more full stops (``I…I know`` is 3).

   Hyphens and apostrophes (``-``, ``'``, ``’``, ``‘``) are not separators, so
   ``arm-rest``, ``don't`` and ``Kylo’s`` are one word each, and a line of
   punctuation such as ``* * *`` or ``~~~`` counts nothing. Single full stops,
   slashes and commas do not separate either: ``U.S.A.``, ``and/or`` and ``1,000``
   are one word each, as a word processor counts them.
"""

import unicodedata
from html.parser import HTMLParser

import regex

# Scripts written without spaces between words: one character, one word.
_CHARACTER_WORD = regex.compile(
    r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}&&[\p{L}\p{M}\p{N}]]",
    flags=regex.VERSION1,
)
_CHARACTER_SCRIPT_PUNCTUATION = regex.compile(
    r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}&&\p{P}]", flags=regex.VERSION1
)

_SEPARATOR = regex.compile(
    r"""
    [\s\u200b]+                 # whitespace, including the zero-width space
    | [\u2012-\u2015\u2e3a\u2e3b\ufe31\ufe32\ufe58]   # figure/en/em dash, bar, long dashes
    | -{2,}                     # a double hyphen stands for a dash
    | \u2026 | \.{2,}            # ellipsis, typed or as one character
    """,
    flags=regex.VERBOSE,
)

_HAS_WORD_CHARACTER = regex.compile(r"[\p{L}\p{N}]")


class _TagSeparatedText(HTMLParser):
    """Collects the text of an HTML fragment with a space wherever a tag was."""

    _SKIPPED = frozenset({"script", "style"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIPPED:
            self._skipping += 1
        self.pieces.append(" ")

    def handle_endtag(self, tag):
        if tag in self._SKIPPED and self._skipping:
            self._skipping -= 1
        self.pieces.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.pieces.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.pieces.append(data)


def _text_of(html: str) -> str:
    parser = _TagSeparatedText()
    parser.feed(html)
    parser.close()
    return "".join(parser.pieces)


def count_words(html: str) -> int:
    """Count the words of an HTML fragment (or plain text) by AO3's rules.

    Tags separate words, entities are unescaped, hyphens and apostrophes join,
    dashes and ellipses separate, punctuation alone counts nothing, and each Han,
    Hiragana, Katakana or Thai character counts as one word. See the module
    docstring for the full rules.
    """
    if not html:
        return 0
    text = unicodedata.normalize("NFC", _text_of(html))
    character_words = len(_CHARACTER_WORD.findall(text))
    text = _CHARACTER_WORD.sub(" ", text)
    text = _CHARACTER_SCRIPT_PUNCTUATION.sub(" ", text)
    spaced_words = sum(1 for piece in _SEPARATOR.split(text) if _HAS_WORD_CHARACTER.search(piece))
    return character_words + spaced_words
