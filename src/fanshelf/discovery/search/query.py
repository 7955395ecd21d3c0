"""Reading what a reader types into the search box.

``parse('title:perfect "come find me" -angst creator:smolhux')`` gives a
``SearchQuery`` of four terms. The grammar is small and forgiving:

- a word matches any field; several words must all match (in any order);
- ``"a phrase"`` matches those words next to each other, in that order;
- ``-word`` and ``-"a phrase"`` leave out the works that have them;
- ``title:``, ``summary:``, ``notes:``, ``tags:`` and ``creator:`` (also ``tag:``,
  ``note:``, ``creators:``, ``author:``) limit a word or phrase to one field;
- ``NOT word`` means ``-word``; ``AND`` and ``OR`` between words are skipped.

Nothing a reader types is an error. Quotes left open, stray punctuation, search-engine
syntax (``NEAR(``, ``*``, ``^``), unknown prefixes (``http://``) and very long input
are read as words or dropped, and ``SearchQuery.notes`` says so in plain words.

Words are cut the way the index cuts them: runs of letters, digits and marks, with
apostrophes inside a word kept (``don't``); each Han, Hiragana and Katakana character
is a word of its own, because those scripts do not separate words with spaces (the
index spaces them out the same way, see ``documents.index_text``). A piece of text
holding several words (``arm-rest``, ``Hux/Kylo``, ``http://example.org``) is searched
as a phrase. The words are only ever handed to the database as query parameters.
"""

import unicodedata
from dataclasses import dataclass, field
from typing import ClassVar

import regex
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_CHARACTERS = 500
MAX_WORDS = 32

FIELDS = {
    "title": "title",
    "summary": "summary",
    "notes": "notes",
    "note": "notes",
    "tags": "tags",
    "tag": "tags",
    "creator": "creators",
    "creators": "creators",
    "author": "creators",
}
FIELD_NAMES = ("title", "summary", "notes", "tags", "creators")

# One character, one word: the scripts written without spaces between words.
CJK = r"\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}"
_CJK_CHARACTER = rf"[[{CJK}]&&[\p{{L}}\p{{N}}]]"
# A word starts with a letter or digit (so the index's tokenizer always finds
# something in it) and may hold combining marks and inner apostrophes.
_WORD_START = rf"[[\p{{L}}\p{{N}}]--[{CJK}]]"
_WORD_PART = rf"[[\p{{L}}\p{{N}}\p{{M}}]--[{CJK}]]"
_WORD = regex.compile(
    rf"{_CJK_CHARACTER}|{_WORD_START}{_WORD_PART}*(?:['’]{_WORD_PART}+)*",
    flags=regex.VERSION1,
)
_FIELD_PREFIX = regex.compile(r"(\w+):", flags=regex.VERSION1)
_SPACE = regex.compile(r"\s+")
_UNQUOTED = regex.compile(r'[^\s"]*')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_OPERATORS = {"AND", "OR", "NOT"}


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the search index sees them."""
    return _WORD.findall(text)


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query, maybe limited to a field, maybe left out."""

    words: tuple[str, ...]
    field: str | None = None  # one of FIELD_NAMES, or None for any field
    exclude: bool = False

    def __post_init__(self):
        # The backends name the field's column in their SQL: only known names pass.
        if self.field is not None and self.field not in FIELD_NAMES:
            raise ValueError(f"Unknown search field {self.field!r}.")

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        text = f'"{self.text}"' if self.is_phrase else self.text
        prefix = f"{self.field}:" if self.field else ""
        return f"{'-' if self.exclude else ''}{prefix}{text}"


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search: the terms to find, the terms to leave out, and notes for the page."""

    terms: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    empty: ClassVar["SearchQuery"]

    @property
    def included(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.exclude)

    @property
    def excluded(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.exclude)

    @property
    def is_empty(self) -> bool:
        """No terms at all: the search leaves the listing as it is."""
        return not self.terms

    @property
    def has_text(self) -> bool:
        """Some terms must be found (so results have a relevance and snippets)."""
        return bool(self.included)

    def __bool__(self) -> bool:
        return not self.is_empty

    def __str__(self) -> str:
        """The query written back in the search syntax, as it was understood."""
        return " ".join(str(term) for term in self.terms)


SearchQuery.empty = SearchQuery()


def parse(text: str | None) -> SearchQuery:
    """Read a search as typed into a ``SearchQuery``; never raises."""
    text = unicodedata.normalize("NFC", text or "").translate(_QUOTES)
    notes: list[str] = []
    if len(text) > MAX_CHARACTERS:
        text = text[:MAX_CHARACTERS]
        notes.append(
            _("Only the first %(n)d characters of the search were used.") % {"n": MAX_CHARACTERS}
        )
    reader = _Reader(text, notes)
    terms = reader.terms()
    if not terms and not notes:
        return SearchQuery.empty
    if terms and not any(not term.exclude for term in terms):
        notes.append(_("The search only leaves words out, so it shows every work without them."))
    return SearchQuery(terms=tuple(terms), notes=tuple(notes))


class _Reader:
    """Walks the text once, left to right, collecting terms and notes."""

    def __init__(self, text: str, notes: list[str]):
        self.text = text
        self.position = 0
        self.notes = notes
        self.word_budget = MAX_WORDS
        self.truncated = False
        self.noted: set[str] = set()

    def note(self, key: str, message: str) -> None:
        if key not in self.noted:
            self.noted.add(key)
            self.notes.append(message)

    def terms(self) -> list[Term]:
        terms: list[Term] = []
        seen: set[tuple] = set()
        negate_next = False
        while self.word_budget > 0:
            term = self.next_term()
            if term is None:
                break
            if term is _OPERATOR_NOT:
                negate_next = True
                continue
            if term is _SKIPPED:
                continue
            if negate_next:
                term = Term(term.words, term.field, exclude=True)
                negate_next = False
            key = (tuple(word.casefold() for word in term.words), term.field, term.exclude)
            if key not in seen:
                seen.add(key)
                terms.append(term)
        if self.truncated or (self.word_budget <= 0 and self.rest_has_words()):
            self.note(
                "words",
                ngettext(
                    "Only the first %(n)d word of the search was used.",
                    "Only the first %(n)d words of the search were used.",
                    MAX_WORDS,
                )
                % {"n": MAX_WORDS},
            )
        return terms

    def rest_has_words(self) -> bool:
        return bool(_WORD.search(self.text, self.position))

    def next_term(self):
        """The next term, ``_SKIPPED`` for something that is not one, or None at the end."""
        text = self.text
        space = _SPACE.match(text, self.position)
        if space:
            self.position = space.end()
        if self.position >= len(text):
            return None
        exclude = False
        if text[self.position] == "-":
            exclude = True
            self.position += 1
        field_name = None
        prefix = _FIELD_PREFIX.match(text, self.position)
        if prefix and prefix.group(1).casefold() in FIELDS:
            field_name = FIELDS[prefix.group(1).casefold()]
            self.position = prefix.end()
            if self.position >= len(text) or text[self.position].isspace():
                self.note(
                    f"field:{prefix.group(1)}",
                    _("“%(prefix)s:” needs a word or a phrase right after it.")
                    % {"prefix": prefix.group(1)},
                )
                return _SKIPPED
        if self.position < len(text) and text[self.position] == '"':
            piece = self.quoted()
        else:
            piece = self.unquoted()
            if not exclude and field_name is None and piece in _OPERATORS:
                self.note(
                    "operators",
                    _(
                        "Works must have all the words searched for; AND and OR are not "
                        "needed, and NOT is read as “-” (leave out)."
                    ),
                )
                return _OPERATOR_NOT if piece == "NOT" else _SKIPPED
        words = words_of(piece)
        if not words:
            return _SKIPPED
        if len(words) > self.word_budget:
            self.truncated = True
            words = words[: self.word_budget]
        self.word_budget -= len(words)
        return Term(tuple(words), field_name, exclude)

    def quoted(self) -> str:
        start = self.position + 1
        end = self.text.find('"', start)
        if end == -1:
            self.note("quote", _("A quotation mark was not closed; the rest was read as a phrase."))
            self.position = len(self.text)
            return self.text[start:]
        self.position = end + 1
        return self.text[start:end]

    def unquoted(self) -> str:
        start = self.position
        match = _UNQUOTED.match(self.text, start)
        self.position = match.end()
        return self.text[start : self.position]


_SKIPPED = object()
_OPERATOR_NOT = object()
