"""Read paths for tags: tag pages, works found through a tag, the wrangling bins and log."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fanshelf.tags.models import FIXED_TYPES, Tag, WranglingChange, normalize_tag_name
from fanshelf.works.models import TAG_TYPE_PLURALS, FilterTagging, Work
from fanshelf.works.selectors import visible_works, with_blurb_data

Parents = Tag.parents.through
WorkTagging = Work.tags.through
FEED_LENGTH = 20
NO_FANDOM = "none"


def tag_named(name: str) -> Tag:
    """The tag called ``name`` in any case, spacing or Unicode form, or ``Tag.DoesNotExist``."""
    return Tag.objects.select_related("synonym_of").get(normalized_name=normalize_tag_name(name))


def tag_named_or_none(name: str) -> Tag | None:
    try:
        return tag_named(name)
    except Tag.DoesNotExist:
        return None


@dataclass
class TagGroup:
    label: str
    tags: list[Tag]


@dataclass
class TagPage:
    """What a tag's page shows besides the tag itself."""

    tag: Tag
    synonyms: list[Tag] = field(default_factory=list)
    parents: list[TagGroup] = field(default_factory=list)
    children: list[TagGroup] = field(default_factory=list)

    @property
    def works_tag(self) -> Tag:
        """The tag whose works the page links to: a synonym's works are its canonical's."""
        return self.tag.synonym_of or self.tag


def _group(tags, *, own_type: str, same_label) -> list[TagGroup]:
    """Tags grouped by type in AO3's order; those of ``own_type`` under ``same_label``."""
    tags = list(tags)
    groups = []
    for tag_type in Tag.Type:
        members = [tag for tag in tags if tag.type == tag_type]
        if members:
            label = same_label if tag_type == own_type else TAG_TYPE_PLURALS[tag_type]
            groups.append(TagGroup(label=label, tags=members))
    return groups


def tag_page(tag: Tag) -> TagPage:
    """The tag's synonyms, parents (fandoms, meta tags) and children, each by name."""
    return TagPage(
        tag=tag,
        synonyms=list(tag.synonyms.order_by("name")),
        parents=_group(tag.parents.order_by("name"), own_type=tag.type, same_label=_("Meta tags")),
        children=_group(tag.children.order_by("name"), own_type=tag.type, same_label=_("Sub tags")),
    )


def works_for_tag(*, tag: Tag, viewer) -> QuerySet[Work]:
    """Posted works ``viewer`` may see found through ``tag``, newest update first.

    A canonical tag finds the works whose filter tags hold it (so its synonyms and
    sub tags too); a synonym finds its canonical's works; a tag nobody has wrangled
    yet finds the works carrying it as typed.
    """
    works = visible_works(viewer).filter(state=Work.State.POSTED)
    if tag.canonical:
        works = works.filter(pk__in=FilterTagging.objects.filter(tag=tag).values("work_id"))
    elif tag.synonym_of_id:
        works = works.filter(
            pk__in=FilterTagging.objects.filter(tag_id=tag.synonym_of_id).values("work_id")
        )
    else:
        works = works.filter(pk__in=WorkTagging.objects.filter(tag=tag).values("work_id"))
    return with_blurb_data(works.order_by("-revised_at", "-pk"))


def feed_works(tag: Tag) -> QuerySet[Work]:
    """The newest works under a canonical tag as a guest sees them, for its Atom feed."""
    return works_for_tag(tag=tag, viewer=AnonymousUser())[:FEED_LENGTH]


def canonical_fandoms() -> QuerySet[Tag]:
    return Tag.objects.filter(type=Tag.Type.FANDOM, canonical=True).order_by("name")


def unwrangled_tags(*, tag_type: str = "", fandom: Tag | str | None = None, query: str = ""):
    """Tags nobody has wrangled yet (neither canonical nor a synonym), most used first.

    ``fandom`` narrows them to the tags under that fandom (attached to it as a parent,
    or used on a work found under it); ``NO_FANDOM`` to the tags in no fandom at all.
    ``query`` keeps the tags whose name contains it.
    """
    tags = Tag.objects.filter(canonical=False, synonym_of__isnull=True).exclude(
        type__in=FIXED_TYPES
    )
    if tag_type:
        tags = tags.filter(type=tag_type)
    if query:
        tags = tags.filter(normalized_name__contains=normalize_tag_name(query))
    if fandom == NO_FANDOM:
        tags = tags.filter(
            ~Exists(Parents.objects.filter(from_tag=OuterRef("pk"), to_tag__type=Tag.Type.FANDOM)),
            ~Exists(
                WorkTagging.objects.filter(
                    tag=OuterRef("pk"),
                    work__in=FilterTagging.objects.filter(tag__type=Tag.Type.FANDOM).values(
                        "work_id"
                    ),
                )
            ),
        )
    elif fandom is not None:
        in_fandom = FilterTagging.objects.filter(tag=fandom).values("work_id")
        tags = tags.filter(
            Q(pk__in=Parents.objects.filter(to_tag=fandom).values("from_tag_id"))
            | Q(pk__in=WorkTagging.objects.filter(work__in=in_fandom).values("tag_id"))
        )
    return tags.prefetch_related("parents").order_by("-usage_count", "name")


def wrangling_log() -> QuerySet[WranglingChange]:
    """Every logged wrangling change, newest first, with the people and tags it names."""
    return WranglingChange.objects.select_related(
        "user", "tag", "other", "reverted_by", "reverts"
    ).order_by("-created_at", "-pk")


def tag_index(*, query: str = "") -> QuerySet[Tag]:
    """Tags whose name contains ``query``, canonical and most used first; else the fandoms."""
    if not query:
        return canonical_fandoms()
    return Tag.objects.filter(normalized_name__contains=normalize_tag_name(query)).order_by(
        "-canonical", "-usage_count", "name"
    )
