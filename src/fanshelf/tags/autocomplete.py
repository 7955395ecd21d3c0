"""Tag autocomplete: the tags whose names start with what an author is typing.

Used by ``GET /api/v1/tags`` and by any form that suggests tags. Canonical tags come
first, then the others; within each, the most used first, then by name.

It must answer in a few milliseconds on a large archive (docs/performance.md), so
it matches a range of ``normalized_name`` (``>= q`` and ``< q`` followed by the
highest code point) rather than ``LIKE``, and ranks on columns of the tag itself
(``usage_count`` is kept up to date when works are saved) instead of counting works.
The index ``tag_autocomplete_idx`` holds the name, type, canonical flag and usage
count, so the ranking reads that index alone even when a one-letter prefix matches
thousands of tags; only the few rows returned are read from the table. (On
PostgreSQL the column has the ``C`` collation whatever the database's locale, see
``CodePointCharField``, so the range means "starts with" there too.)
"""

from collections.abc import Iterable

from django.db.models import Q

from fanshelf.tags import graph
from fanshelf.tags.models import NAME_MAX_LENGTH, Tag, normalize_tag_name

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
# Greater than any character a normalized name can hold, so key + TOP bounds every
# name that starts with key (U+FFFF would miss names going on with an emoji).
TOP = "\U0010ffff"
SCOPED_TYPES = (Tag.Type.CHARACTER, Tag.Type.RELATIONSHIP)
RANKING = ("-canonical", "-usage_count", "normalized_name", "pk")


def prefix_key(text: str) -> str:
    """What a typed prefix is matched as: the normalized name, keeping one trailing
    space so that "kylo " finds "Kylo Ren" but not "Kylor"."""
    key = normalize_tag_name(text)
    if key and text[-1:].isspace():
        key += " "
    return key[: NAME_MAX_LENGTH * 2]


def fandom_scope(names: Iterable[str]) -> set[int]:
    """The canonical fandoms named (a synonym stands for its canonical), and the
    fandoms below them, whose characters and relationships an author may mean."""
    keys = {normalize_tag_name(name) for name in names} - {""}
    if not keys:
        return set()
    rows = Tag.objects.filter(normalized_name__in=keys, type=Tag.Type.FANDOM).values_list(
        "pk", "canonical", "synonym_of_id"
    )
    fandoms = {pk if canonical else synonym_of for pk, canonical, synonym_of in rows} - {None}
    if not fandoms:
        return set()
    return fandoms | graph.descendants(fandoms)


def _in_fandoms(fandom_ids: set[int]) -> Q:
    """Tags with one of these fandoms as a parent, or whose canonical has one.

    Both sides name tags by id, which every index holds, so the ranking query
    still reads only the autocomplete index.
    """
    children = Tag.parents.through.objects.filter(to_tag_id__in=fandom_ids).values("from_tag_id")
    synonyms = Tag.objects.filter(synonym_of_id__in=children).values("pk")
    return Q(pk__in=children) | Q(pk__in=synonyms)


def autocomplete_tags(
    *,
    q: str,
    type: str | None = None,
    fandoms: Iterable[str] = (),
    limit: int = DEFAULT_LIMIT,
) -> list[Tag]:
    """Up to ``limit`` tags whose names start with ``q``, best first.

    ``type`` keeps one type of tag. ``fandoms`` (names) keeps only the characters and
    relationships of those fandoms; when none of them matches, the unscoped answer is
    given instead, so a tag not yet wrangled into its fandom can still be found.
    """
    key = prefix_key(q)
    limit = max(1, min(limit, MAX_LIMIT))
    if not key:
        return []
    matching = Tag.objects.filter(normalized_name__gte=key, normalized_name__lt=key + TOP)
    if type:
        matching = matching.filter(type=type)
    scope = fandom_scope(fandoms) if type in (None, "", *SCOPED_TYPES) else set()
    if scope:
        in_scope = _in_fandoms(scope) if type else ~Q(type__in=SCOPED_TYPES) | _in_fandoms(scope)
        found = _best(matching.filter(in_scope), limit)
        if found:
            return found
    return _best(matching, limit)


def _best(matching, limit: int) -> list[Tag]:
    # Rank ids first, from the index alone (a short prefix matches thousands of
    # tags), then read the few rows wanted.
    best_ids = matching.order_by(*RANKING).values("pk")[:limit]
    return list(Tag.objects.filter(pk__in=best_ids).order_by(*RANKING))
