"""Tag suggestions: canonical characters, relationships and fandoms found in a text.

When an author previews a work (or imports one), the archive reads the text and
suggests canonical tags it seems to need. It only suggests: the author ticks what
they want, and nothing is ever added to a work by this module.

Characters. Every canonical character tag and every synonym of one gives *name
forms*: the whole name, with a trailing disambiguator such as "(Star Wars)" left
out, and, for names of several words, each word that can stand alone as a first
name or surname ("Armitage" and "Hux" for "Armitage Hux", "Kylo" for "Kylo Ren").
A word is left out when it has fewer than three letters, starts with a small
letter ("of" in "Knights of Ren") or is a title or article from ``STOP_WORDS``
("Mr", "The", "General", "Supreme"), so "General Hux" gives "Hux" and nothing else.
A form matches:

- whole words only: "Rey" matches "Rey" and "Rey's", not "Reyes";
- case-aware: a form with a capital letter matches as written or in capitals
  ("Hux", "HUX"), never in small letters, so "the doctor" is not "The Doctor"; a
  name written all in small letters matches in any case;
- across punctuation as written: "Obi-Wan" needs its hyphen, and curly and straight
  apostrophes are the same ("Kylo’s" is "Kylo's");
- longest first, without overlap: "Brendol Hux" is one mention of Brendol Hux, not
  also a mention of whoever else is called "Hux".

A form that is the whole name of some character (or of a synonym) names only those
characters; otherwise a first name or surname names every character who has it, so
"Hux" alone suggests both Armitage Hux and Brendol Hux: the author decides.
Characters are ranked by mentions; a mention shared by several characters is
split between them in proportion to how often each is used on the archive.
When the author has named fandoms, only characters of those fandoms (or of their
meta and sub tags) are suggested; fandoms the archive does not know filter nothing.

Relationships. A canonical relationship tag is suggested when its name, or the name
of one of its synonyms, split on "/" or "&", names only suggested characters (at
least two, among the best ``MAX_PER_GROUP``): "Kylo Ren/Armitage Hux", or that
canonical tag when the name that fits is a synonym such as "Armitage Hux/Kylo Ren".

Fandoms. The canonical fandoms directly above the best characters and the suggested
relationships (not their meta tags), ranked by the mentions of those characters.

Tags the author already has (``tagged``, any spelling or synonym) are not suggested
again, though a character already tagged still counts towards its relationships and
fandoms. Each group holds at most ``MAX_PER_GROUP`` tags.

The cost is a few queries per call (the character names once, as tuples; the
relationships through ranges of the name index) and one pass over the words of the
text, looking each up in a dictionary of forms; the dictionary is rebuilt only when
the names read differ from the last call's, so it stays fast with thousands of
characters.
"""

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fanshelf.tags import graph
from fanshelf.tags.models import Tag, normalize_tag_name
from fanshelf.text import html_to_text

MAX_PER_GROUP = 25
MIN_PART_LETTERS = 3
# Words that do not name anyone on their own: articles, titles, ranks.
STOP_WORDS = frozenset(
    {
        "the", "a", "an", "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "sir", "dame",
        "lord", "lady", "king", "queen", "prince", "princess", "general", "captain",
        "commander", "colonel", "major", "lieutenant", "admiral", "sergeant", "officer",
        "agent", "detective", "professor", "master", "supreme", "leader", "emperor",
        "empress", "saint", "st", "uncle", "aunt",
    }
)  # fmt: skip
# Above every character a name can hold: names starting with key sort in [key, key + TOP).
TOP = "\U0010ffff"

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
_SIMPLE_NAME = re.compile(r"[^\W_]+(?: [^\W_]+)*")
_DISAMBIGUATOR = re.compile(r"\s*\([^()]*\)\s*$")
_MEMBER_SEPARATOR = re.compile(r"\s*/\s*|\s+&\s+")
_LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z/!]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "＇": "'"})

Entry = tuple[int, str, str]  # (number of words, as the text must spell it, form)


@dataclass
class TagSuggestions:
    """Canonical tags suggested for a text, best first, by type.

    ``mentions`` counts how often the text names each suggested character (by tag id).
    """

    fandoms: list[Tag] = field(default_factory=list)
    characters: list[Tag] = field(default_factory=list)
    relationships: list[Tag] = field(default_factory=list)
    mentions: dict[int, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fandoms or self.characters or self.relationships)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            Tag.Type.FANDOM.value: [tag.name for tag in self.fandoms],
            Tag.Type.CHARACTER.value: [tag.name for tag in self.characters],
            Tag.Type.RELATIONSHIP.value: [tag.name for tag in self.relationships],
        }

    @property
    def groups(self) -> list[tuple[str, str, list[Tag]]]:
        """(tag type, label, tags) for each type with suggestions, in the form's order."""
        groups = [
            (Tag.Type.FANDOM.value, _("Fandoms"), self.fandoms),
            (Tag.Type.RELATIONSHIP.value, _("Relationships"), self.relationships),
            (Tag.Type.CHARACTER.value, _("Characters"), self.characters),
        ]
        return [group for group in groups if group[2]]


def suggest_tags(
    *, text: str, fandoms: Iterable[str] = (), tagged: Iterable[str] = ()
) -> TagSuggestions:
    """Suggest canonical characters, relationships and fandoms for ``text``.

    ``text`` is HTML or plain text. ``fandoms`` are the fandom names the author chose
    (any spelling, wrangled or not); ``tagged`` every tag name already on the work.
    See the module docstring for the rules. Nothing is saved.
    """
    text = text or ""
    if _LOOKS_LIKE_HTML.search(text):
        text = html_to_text(text)
    index, usage = _CharacterIndex.load()
    mentioned = _mentions_by_group(text, index)
    allowed = _allowed_fandoms(fandoms) if mentioned else None
    if allowed is not None:
        fandoms_of = _fandoms_of(set().union(*mentioned))
        in_scope = {pk for pk, fandom_ids in fandoms_of.items() if fandom_ids & allowed}
        mentioned = _only(mentioned, in_scope)
    if not mentioned:
        return TagSuggestions()

    scores, mentions = _score(mentioned, usage)
    names = index.names(set(scores))
    ranked = sorted(scores, key=lambda pk: (-scores[pk], names.get(pk, ""), pk))
    best_characters = ranked[:MAX_PER_GROUP]
    relationship_scores = _relationships_for(best_characters, scores, index)
    fandom_scores: dict[int, float] = defaultdict(float)
    fandoms_of = _fandoms_of({*best_characters, *relationship_scores})
    for tag_id, fandom_ids in fandoms_of.items():
        score = scores.get(tag_id) or relationship_scores.get(tag_id, 0)
        for fandom_id in fandom_ids:
            fandom_scores[fandom_id] += score

    already = _canonical_ids(tagged)

    def best(scored: dict[int, float]) -> list[int]:
        order = sorted(scored, key=lambda pk: (-scored[pk], pk))
        return [pk for pk in order if pk not in already][:MAX_PER_GROUP]

    character_ids = [pk for pk in ranked if pk not in already][:MAX_PER_GROUP]
    relationship_ids = best(relationship_scores)
    fandom_ids = best(fandom_scores)
    tags = Tag.objects.in_bulk(character_ids + relationship_ids + fandom_ids)
    for pk in character_ids:
        tags[pk].mentions = mentions[pk]  # shown beside the suggestion
    return TagSuggestions(
        fandoms=[tags[pk] for pk in fandom_ids],
        characters=[tags[pk] for pk in character_ids],
        relationships=[tags[pk] for pk in relationship_ids],
        mentions={pk: mentions[pk] for pk in character_ids},
    )


# Names and their forms


def _base_name(name: str) -> str:
    """The name without a disambiguator: "Rey (Star Wars)" → "Rey"."""
    return _DISAMBIGUATOR.sub("", name).strip() or name


def _words_and_gaps(text: str) -> tuple[list[str], list[str]]:
    """The words of ``text`` and the (normalised) separators between them."""
    words, gaps, end = [], [], None
    for match in _WORD.finditer(text):
        if end is not None:
            gaps.append(_SPACE.sub(" ", text[end : match.start()].translate(_APOSTROPHES)))
        words.append(match.group())
        end = match.end()
    return words, gaps


def _joined(words: list[str], gaps: list[str], i: int, n: int) -> str:
    """Words i to i + n of a text with what separates them, as a form is spelled."""
    pieces = [piece for pair in zip(words[i : i + n - 1], gaps[i:], strict=False) for piece in pair]
    return "".join(pieces) + words[i + n - 1]


class Form(NamedTuple):
    """A name as a text must spell it (separators normalised) to mention someone."""

    spelled: str
    first: str
    words: int
    capitalised: bool


def _form(text: str) -> Form | None:
    """The form ``text`` is matched as, or None if it has no words."""
    if _SIMPLE_NAME.fullmatch(text):
        return Form(text, text.partition(" ")[0], text.count(" ") + 1, text != text.lower())
    words, gaps = _words_and_gaps(text)
    if not words:
        return None
    spelled = _joined(words, gaps, 0, len(words))
    return Form(spelled, words[0], len(words), spelled != spelled.lower())


def _can_stand_alone(word: str) -> bool:
    letters = "".join(c for c in word if c.isalpha())
    return (
        len(letters) >= MIN_PART_LETTERS
        and word[0].isupper()
        and letters.casefold() not in STOP_WORDS
    )


@functools.lru_cache(maxsize=50_000)
def _name_forms(name: str) -> tuple[Form | None, tuple[Form, ...]]:
    """The whole-name form of a tag name, and its first-name and surname forms."""
    base = _base_name(name).translate(_APOSTROPHES)
    words = base.split()
    parts = ()
    if len(words) > 1:
        parts = tuple(
            form for form in map(_form, filter(_can_stand_alone, words)) if form is not None
        )
    return _form(base), parts


class _CharacterIndex:
    """Name forms of every canonical character, looked up by their first word.

    The names are read on every call, as one list of tuples; building the tables
    from them is the slow part, so the tables last built are kept (per process) and
    used again while the names read are the same.
    """

    _last: "_CharacterIndex | None" = None

    def __init__(self, rows: list[tuple[int, str, int | None]]):
        self.rows = rows  # (pk, name, synonym_of_id) of every canonical character name
        self.ids: dict[str, set[int]] = {}  # form → the canonical characters it names
        self.exact: dict[str, list[Entry]] = {}  # capitalised forms, matched as written
        self.folded: dict[str, list[Entry]] = {}  # small-letter forms, matched in any case
        self._shouted: dict[str, list[Entry]] | None = None

    @classmethod
    def load(cls) -> tuple["_CharacterIndex", dict[int, int]]:
        """The index, and how many works use each character (through any of its names)."""
        # Synonyms always point at canonical tags (the wrangling services see to it).
        rows = (
            Tag.objects.filter(type=Tag.Type.CHARACTER)
            .filter(Q(canonical=True) | Q(synonym_of__isnull=False))
            .order_by("pk")
            .values_list("pk", "name", "synonym_of_id", "usage_count")
        )
        names, usage = [], defaultdict(int)
        for pk, name, synonym_of, used in rows:
            names.append((pk, name, synonym_of))
            usage[synonym_of or pk] += used
        index = cls._last
        if index is None or index.rows != names:
            index = cls(names)
            index._build()
            cls._last = index
        return index, usage

    def _build(self) -> None:
        whole: dict[str, set[int]] = {}
        parts: dict[str, set[int]] = {}
        shapes: dict[str, Form] = {}
        for pk, name, synonym_of in self.rows:
            canonical = synonym_of or pk
            whole_form, part_forms = _name_forms(name)
            if whole_form:
                whole.setdefault(whole_form.spelled, set()).add(canonical)
                shapes[whole_form.spelled] = whole_form
            for form in part_forms:
                parts.setdefault(form.spelled, set()).add(canonical)
                shapes[form.spelled] = form
        # A whole name wins over a first name or surname spelled the same.
        parts.update(whole)
        self.ids = parts
        for spelled in parts:
            form = shapes[spelled]
            if form.capitalised:
                self.exact.setdefault(form.first, []).append((form.words, spelled, spelled))
            else:
                entry = (form.words, spelled.casefold(), spelled)
                self.folded.setdefault(form.first.casefold(), []).append(entry)

    def shouted(self) -> dict[str, list[Entry]]:
        """Capitalised forms in capitals ("HUX"), built only for texts that shout."""
        if self._shouted is None:
            shouted: dict[str, list[Entry]] = {}
            for first, entries in self.exact.items():
                for words, spelled, _same in entries:
                    shouted.setdefault(first.upper(), []).append((words, spelled.upper(), spelled))
            self._shouted = shouted
        return self._shouted

    def names(self, ids: set[int]) -> dict[int, str]:
        return {pk: name for pk, name, synonym_of in self.rows if pk in ids and not synonym_of}

    def aliases(self, ids: set[int]) -> dict[str, int]:
        """Every name (canonical or synonym) of these characters → the character."""
        return {
            name: synonym_of or pk
            for pk, name, synonym_of in self.rows
            if (synonym_of or pk) in ids
        }


# Reading the text


def _mentions_by_group(text: str, index: _CharacterIndex) -> dict[frozenset[int], int]:
    """How many times the text names each group of characters that a form names."""
    words, gaps = _words_and_gaps(text)
    folded = [word.casefold() for word in words] if index.folded else words
    counts: dict[str, int] = defaultdict(int)
    i, total = 0, len(words)
    while i < total:
        word = words[i]
        found = _longest_at(words, gaps, i, index.exact.get(word))
        if found is None and len(word) >= MIN_PART_LETTERS and word.isupper():
            found = _longest_at(words, gaps, i, index.shouted().get(word))
        if found is None and index.folded:
            found = _longest_at(folded, gaps, i, index.folded.get(folded[i]))
        if found is None:
            i += 1
            continue
        form, length = found
        counts[form] += 1
        i += length
    by_group: dict[frozenset[int], int] = defaultdict(int)
    for form, count in counts.items():
        by_group[frozenset(index.ids[form])] += count
    return by_group


def _longest_at(words, gaps, i: int, entries: list[Entry] | None) -> tuple[str, int] | None:
    """The longest entry the text spells from word i on, as (its form, its length)."""
    best, best_length = None, 0
    for length, spelled, form in entries or ():
        if length <= best_length or i + length > len(words):
            continue
        if length == 1 or _joined(words, gaps, i, length) == spelled:
            best, best_length = form, length
    return (best, best_length) if best is not None else None


def _only(mentioned: dict[frozenset[int], int], keep: set[int]) -> dict[frozenset[int], int]:
    kept: dict[frozenset[int], int] = defaultdict(int)
    for ids, count in mentioned.items():
        if ids & keep:
            kept[ids & keep] += count
    return kept


def _score(
    mentioned: dict[frozenset[int], int], usage: dict[int, int]
) -> tuple[dict[int, float], dict[int, int]]:
    """Score and mentions per character; a shared mention is split by how used each is."""
    scores: dict[int, float] = defaultdict(float)
    mentions: dict[int, int] = defaultdict(int)
    for ids, count in mentioned.items():
        weights = {pk: usage.get(pk, 0) + 1 for pk in ids}
        total = sum(weights.values())
        for pk, weight in weights.items():
            scores[pk] += count * weight / total
            mentions[pk] += count
    return dict(scores), dict(mentions)


# The tag graph


def _fandoms_of(tag_ids: set[int]) -> dict[int, set[int]]:
    """The canonical fandoms directly above each tag."""
    if not tag_ids:
        return {}
    result: dict[int, set[int]] = defaultdict(set)
    for tag_id, fandom_id in graph.Parents.objects.filter(
        from_tag_id__in=tag_ids, to_tag__type=Tag.Type.FANDOM, to_tag__canonical=True
    ).values_list("from_tag_id", "to_tag_id"):
        result[tag_id].add(fandom_id)
    return result


def _canonical_ids(names: Iterable[str], *, type: str | None = None) -> set[int]:
    """The canonical tags these names stand for (themselves, or what they are synonyms of)."""
    keys = {normalize_tag_name(name) for name in names} - {""}
    if not keys:
        return set()
    rows = Tag.objects.filter(normalized_name__in=keys)
    if type:
        rows = rows.filter(type=type)
    found = set()
    for pk, canonical, synonym_of in rows.values_list("pk", "canonical", "synonym_of_id"):
        if canonical or synonym_of:
            found.add(pk if canonical else synonym_of)
    return found


def _allowed_fandoms(names: Iterable[str]) -> set[int] | None:
    """Fandoms whose characters may be suggested, or None to allow any."""
    chosen = _canonical_ids(names, type=Tag.Type.FANDOM)
    if not chosen:
        return None
    return chosen | graph.ancestors(chosen) | graph.descendants(chosen)


def _relationships_for(
    characters: list[int], scores: dict[int, float], index: _CharacterIndex
) -> dict[int, float]:
    """Canonical relationships all of whose members are among these characters.

    Such a relationship's name starts with the name of one of them, so it is found
    through a few ranges of the indexed ``normalized_name``, as autocomplete does.
    """
    if len(characters) < 2:
        return {}
    by_name: dict[str, int] = {}
    for name, pk in index.aliases(set(characters)).items():
        by_name[normalize_tag_name(name)] = pk
        by_name.setdefault(normalize_tag_name(_base_name(name)), pk)
    starts = Q()
    for key in by_name:
        starts |= Q(normalized_name__gte=key, normalized_name__lt=key + TOP)
    # Only the name ranges go to SQL: with the type as well, SQLite would read every
    # relationship instead of the ranges of the name index.
    rows = (
        Tag.objects.filter(starts)
        .order_by()
        .values_list("name", "pk", "synonym_of_id", "type", "canonical")
    )
    found: dict[int, float] = {}
    for name, pk, synonym_of, type, canonical in rows:
        if type != Tag.Type.RELATIONSHIP or not (canonical or synonym_of):
            continue
        members = [normalize_tag_name(member) for member in _MEMBER_SEPARATOR.split(name)]
        people = {
            by_name.get(member) or by_name.get(normalize_tag_name(_base_name(member)))
            for member in members
        }
        if len(members) >= 2 and None not in people and len(people) >= 2:
            found[synonym_of or pk] = sum(scores[person] for person in people)
    return found
