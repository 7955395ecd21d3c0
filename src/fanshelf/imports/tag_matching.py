"""Free tags that name the archive's own fandoms, characters and relationships.

tumblr has one kind of tag; the archive has several. A tumblr tag such as "star wars"
or "kylux" that names a canonical fandom, character or relationship tag, or a synonym
of one, is filed under that type by its canonical name. Every other tag ("my writing",
"fanfic", "hurt/comfort") stays an additional tag, as written.
"""

from fanshelf.tags.models import Tag, normalize_tag_name

MATCHED_TYPES = (Tag.Type.FANDOM, Tag.Type.CHARACTER, Tag.Type.RELATIONSHIP)


def match_tags(tags: dict[str, list[str]]) -> dict[str, list[str]]:
    """``tags`` (names by type) with each free tag that names a canonical fandom,
    character or relationship, by its name or a synonym's, moved to that type under
    the canonical name. One query for all the names; ``tags`` itself is not changed."""
    matched = {key: list(names) for key, names in tags.items()}
    free = matched.get(Tag.Type.FREEFORM) or []
    if not free:
        return matched
    found = {
        tag.normalized_name: tag
        for tag in Tag.objects.filter(
            normalized_name__in={normalize_tag_name(name) for name in free}
        ).select_related("synonym_of")
    }
    kept = []
    for name in free:
        canonical = _canonical(found.get(normalize_tag_name(name)))
        if canonical is None or canonical.type not in MATCHED_TYPES:
            kept.append(name)
            continue
        names = matched.setdefault(canonical.type, [])
        if canonical.normalized_name not in {normalize_tag_name(other) for other in names}:
            names.append(canonical.name)
    matched[Tag.Type.FREEFORM] = kept
    return matched


def _canonical(tag: Tag | None) -> Tag | None:
    if tag is None:
        return None
    if tag.canonical:
        return tag
    synonym_of = tag.synonym_of
    return synonym_of if synonym_of is not None and synonym_of.canonical else None
