"""Reading the tag graph: canonicals, ancestors, descendants, and each work's filter tags.

A work is *found under* its filter tags: the canonical form of each of its tags (the
tag itself if canonical, its ``synonym_of`` otherwise) plus every canonical ancestor
of those through ``parents`` (fandoms of characters and relationships, meta tags).
Listings then filter on one indexed table and never walk the graph.
"""

from collections.abc import Iterable

from django.db import transaction

from fanshelf.tags.models import Tag

Parents = Tag.parents.through


def _walk(start: Iterable[int], *, up: bool) -> set[int]:
    """Every tag reachable from ``start`` along parent (up) or child (down) edges."""
    here, there = ("from_tag_id", "to_tag_id") if up else ("to_tag_id", "from_tag_id")
    seen: set[int] = set()
    frontier = set(start)
    while frontier:
        step = set(
            Parents.objects.filter(**{f"{here}__in": frontier}).values_list(there, flat=True)
        )
        frontier = step - seen
        seen |= step
    return seen


def ancestors(tag_ids: Iterable[int]) -> set[int]:
    """All tags above these (parents, their parents, …), not including the tags."""
    return _walk(tag_ids, up=True)


def descendants(tag_ids: Iterable[int]) -> set[int]:
    """All tags below these (children, their children, …), not including the tags."""
    return _walk(tag_ids, up=False)


def filter_tags_by_tag(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each tag, the canonical tags a work carrying it is found under."""
    tag_ids = set(tag_ids)
    rows = Tag.objects.filter(pk__in=tag_ids).values_list("pk", "canonical", "synonym_of_id")
    canonical_of = {pk: pk if canonical else synonym_of for pk, canonical, synonym_of in rows}
    result = {}
    for pk in tag_ids:
        canonical = canonical_of.get(pk)
        if canonical is None:
            result[pk] = set()
            continue
        found = {canonical} | ancestors([canonical])
        result[pk] = found
    wanted = set().union(*result.values()) if result else set()
    canonical_ids = set(
        Tag.objects.filter(pk__in=wanted, canonical=True).values_list("pk", flat=True)
    )
    return {pk: found & canonical_ids for pk, found in result.items()}


def works_using(tag_ids: Iterable[int]) -> set[int]:
    """Works whose filter tags may change when these tags are wrangled.

    That is every work carrying one of the tags, a synonym of one, or a tag below
    one of them (or a synonym of such a tag).
    """
    from fanshelf.works.models import Work

    tag_ids = set(tag_ids)
    family = tag_ids | descendants(tag_ids)
    family |= set(Tag.objects.filter(synonym_of_id__in=family).values_list("pk", flat=True))
    return set(
        Work.tags.through.objects.filter(tag_id__in=family).values_list("work_id", flat=True)
    )


def wanted_filter_tags(work_ids: Iterable[int]) -> dict[int, set[int]]:
    """What each work's filter tags should be, from the tag graph as it is now."""
    from fanshelf.works.models import Work

    carried: dict[int, set[int]] = {pk: set() for pk in work_ids}
    for work_id, tag_id in Work.tags.through.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "tag_id"
    ):
        carried[work_id].add(tag_id)
    by_tag = filter_tags_by_tag(set().union(*carried.values()) if carried else set())
    return {
        work_id: set().union(*(by_tag[tag_id] for tag_id in tags)) if tags else set()
        for work_id, tags in carried.items()
    }


def _mark_crossovers(wanted: dict[int, set[int]]) -> None:
    """A crossover is found under two or more fandoms, neither one above the other.

    Fandoms nobody has wrangled yet count as they were typed.
    """
    from fanshelf.works.models import Work

    all_tags = set().union(*wanted.values()) if wanted else set()
    fandoms = set(
        Tag.objects.filter(pk__in=all_tags, type=Tag.Type.FANDOM).values_list("pk", flat=True)
    )
    has_parent_fandom = set(
        Parents.objects.filter(from_tag_id__in=fandoms, to_tag_id__in=fandoms).values_list(
            "from_tag_id", flat=True
        )
    )
    tops = fandoms - has_parent_fandom
    unwrangled: dict[int, int] = {}
    for work_id in Work.tags.through.objects.filter(
        work_id__in=wanted,
        tag__type=Tag.Type.FANDOM,
        tag__canonical=False,
        tag__synonym_of__isnull=True,
    ).values_list("work_id", flat=True):
        unwrangled[work_id] = unwrangled.get(work_id, 0) + 1
    crossover = {
        work_id
        for work_id, tags in wanted.items()
        if len(tags & tops) + unwrangled.get(work_id, 0) > 1
    }
    Work.objects.filter(pk__in=wanted).exclude(pk__in=crossover).filter(crossover=True).update(
        crossover=False
    )
    Work.objects.filter(pk__in=crossover, crossover=False).update(crossover=True)


@transaction.atomic
def refresh_filter_tags(work_ids: Iterable[int]) -> int:
    """Recompute the filter tags of these works; returns how many rows changed.

    Only the difference is written, so running it again changes nothing.
    """
    from fanshelf.works.models import FilterTagging

    work_ids = list(work_ids)
    wanted = wanted_filter_tags(work_ids)
    current: dict[int, dict[int, int]] = {pk: {} for pk in work_ids}
    for row_id, work_id, tag_id in FilterTagging.objects.filter(work_id__in=work_ids).values_list(
        "pk", "work_id", "tag_id"
    ):
        current[work_id][tag_id] = row_id
    stale = [
        row_id
        for work_id in work_ids
        for tag_id, row_id in current[work_id].items()
        if tag_id not in wanted[work_id]
    ]
    missing = [
        FilterTagging(work_id=work_id, tag_id=tag_id)
        for work_id in work_ids
        for tag_id in wanted[work_id] - current[work_id].keys()
    ]
    FilterTagging.objects.filter(pk__in=stale).delete()
    FilterTagging.objects.bulk_create(missing, ignore_conflicts=True)
    _mark_crossovers(wanted)
    return len(stale) + len(missing)
