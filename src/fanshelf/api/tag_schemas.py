"""The shapes the tags endpoints read and write, described for the OpenAPI document.

As in ``schemas``, input models are plain pydantic models that refuse unknown fields,
and the output schemas only document what the views send (``tag_to_dict`` and
friends in ``fanshelf.api.tags``); a test keeps the two in step.
"""

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

from fanshelf.tags.models import NAME_MAX_LENGTH

SUGGEST_TEXT_MAX_LENGTH = 600_000

DRY_RUN = Field(
    False, description="Only say what would happen (works_moved); change and log nothing."
)


class WrangleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dry_run: bool = DRY_RUN


class CanonicalIn(WrangleIn):
    canonical: bool = Field(True, description="false makes the tag not canonical.")


class SynonymIn(WrangleIn):
    synonym_of: str | None = Field(
        description="Name of the canonical tag (same type) this tag is another name for; "
        "null to make it no longer a synonym."
    )


class ParentIn(WrangleIn):
    parent: str = Field(description="Name of a canonical fandom, or meta tag of the same type.")


class RenameIn(WrangleIn):
    name: str = Field(max_length=NAME_MAX_LENGTH * 2, description="The new name.")


class SuggestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        description=f"The work's text, HTML or plain; at most {SUGGEST_TEXT_MAX_LENGTH:,} "
        "characters."
    )
    fandoms: list[str] = Field([], description="Fandom names chosen: only their characters.")
    tagged: list[str] = Field([], description="Tag names already on the work: not suggested.")


class TagHitOut(Schema):
    id: int
    name: str
    type: str
    canonical: bool
    usage_count: int = Field(description="How many works carry this tag as typed.")
    url: str


class TagHitsOut(Schema):
    results: list[TagHitOut]


class TagRefOut(Schema):
    id: int
    name: str
    type: str
    canonical: bool
    url: str


class TagOut(Schema):
    id: int
    name: str
    type: str
    canonical: bool
    usage_count: int
    url: str
    synonym_of: TagRefOut | None = Field(description="The canonical tag, for a synonym.")
    synonyms: list[TagRefOut]
    parents: list[TagRefOut] = Field(description="Fandoms and meta tags above this tag.")
    children: list[TagRefOut] = Field(description="Characters, relationships, sub tags below.")


class ChangeOut(Schema):
    id: int
    action: str = Field(
        description="canonical, uncanonical, synonym, unsynonym, add_parent, "
        "remove_parent or rename."
    )
    summary: str = Field(description="The change in words.")
    tag: TagRefOut
    other: TagRefOut | None = Field(description="The canonical or parent tag, if any.")
    old_value: str = Field(
        description="The old name of a renamed tag; for synonym, the id of the "
        "canonical tag it was a synonym of before, if any."
    )
    new_value: str = Field(description="The new name of a renamed tag.")
    user: str | None = Field(description="The wrangler's username.")
    created_at: str = Field(description="ISO 8601")
    reverted_by: int | None = Field(description="The change that reverted this one.")
    reverts: int | None = Field(description="The change this one reverted.")


class ChangePageOut(Schema):
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[ChangeOut]


class UnwrangledPageOut(Schema):
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[TagHitOut]


class WrangleOut(Schema):
    dry_run: bool
    changed: bool = Field(description="false when the tag already was as asked.")
    works_moved: int = Field(
        description="Works whose filter tags this changes (a rename changes none); "
        "they are brought up to date in the background."
    )
    tag: TagOut = Field(description="The tag after the change (as it would be, on a dry run).")
    change: ChangeOut | None = Field(description="The logged change; null on a dry run.")


class SuggestionsOut(Schema):
    fandom: list[str]
    character: list[str]
    relationship: list[str]
