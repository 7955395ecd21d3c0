"""The shapes the API reads and writes, described for the OpenAPI document.

Input follows the export format (``fanshelf.works.export``), so a work exported with
``fanshelf export --format json`` can be posted back as it is: fields the API does
not read (``id``, ``url``, ``stats``…) are ignored on POST. PATCH refuses unknown
fields instead, so a misspelt field is reported rather than silently dropped.

Input models are plain pydantic models: ninja's ``Schema`` also reads attributes of
non-dict values, which would turn a body like ``[1, 2]`` into "title is missing".
The output schemas only document the responses: the views send
``work_to_dict``'s output unchanged, and a test keeps these schemas in step with it.
"""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from fanshelf.discovery.filters import CROSSOVERS, SORTS
from fanshelf.works.models import Work

TextFormat = Literal["html", "plain", "markdown"]
WorkState = Literal["draft", "posted"]


def _one_or_many(value):
    return [value] if isinstance(value, str) else value


def _series_title(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return value.get("title") or ""
    return value


# A rating may be given as "Teen And Up Audiences" or, as exports do, as a list of one.
Rating = Annotated[
    list[str],
    BeforeValidator(_one_or_many),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": "One rating, as a string or a list of one.",
        }
    ),
]

# A series by its title, as a string or as the export's {"title": …}; "" or null for none.
SeriesTitle = Annotated[
    str,
    BeforeValidator(_series_title),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "properties": {"title": {"type": "string"}}},
                {"type": "null"},
            ],
            "description": "The series title (created if you have none of that name); "
            "empty or null for no series.",
        }
    ),
]


class TagsIn(BaseModel):
    """Tags by type, as names. Rating, warnings and categories must be the archive's own."""

    model_config = ConfigDict(extra="forbid")

    rating: Rating = []
    warning: list[str] = []
    category: list[str] = []
    fandom: list[str] = []
    relationship: list[str] = []
    character: list[str] = []
    freeform: list[str] = []


class ChapterIn(BaseModel):
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    body_html: str = Field(
        validation_alias=AliasChoices("body_html", "body"),
        description='The chapter text, read according to text_format ("body" is accepted too).',
    )


class NewChapterIn(ChapterIn):
    text_format: TextFormat = "html"
    state: WorkState = Field(
        "posted", description="A draft chapter stays hidden; on a draft work it is always a draft."
    )


class WorkIn(BaseModel):
    title: str
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    language: str = "en"
    tags: TagsIn = TagsIn()
    series: SeriesTitle = ""
    expected_chapters: int | None = Field(
        None,
        ge=1,
        description="How many chapters the work will have; null if unknown. "
        "Left out, it is the number of chapters given (a complete work).",
    )
    restricted: bool = False
    anonymous: bool = False
    comment_policy: Work.CommentPolicy = Work.CommentPolicy.OPEN
    source: str = ""
    state: WorkState = "posted"
    text_format: TextFormat = Field(
        "html", description="How to read the chapters, summary and notes."
    )
    pseud: str = Field("", description="Post under this pseud of yours; default pseud if empty.")
    chapters: list[ChapterIn]


class WorkPatch(BaseModel):
    """Only the fields sent change. Tag types sent replace that type's tags; others stay."""

    model_config = ConfigDict(extra="forbid")

    title: str = None
    summary: str = None
    notes: str = None
    end_notes: str = None
    language: str = None
    tags: TagsIn = None
    series: SeriesTitle = None
    expected_chapters: int | None = Field(None, ge=1, description="null if unknown.")
    restricted: bool = None
    anonymous: bool = None
    comment_policy: Work.CommentPolicy = None
    state: WorkState = Field(None, description='"posted" publishes a draft.')
    text_format: TextFormat = Field("html", description="How to read the summary and notes.")


class CreatorOut(Schema):
    pseud: str
    user: str


class SeriesOut(Schema):
    title: str
    position: int | None


class TagsOut(Schema):
    rating: list[str]
    warning: list[str]
    category: list[str]
    fandom: list[str]
    relationship: list[str]
    character: list[str]
    freeform: list[str]


class StatsOut(Schema):
    hits: int
    kudos: int
    comments: int
    bookmarks: int


class ChapterOut(Schema):
    id: int
    position: int
    title: str
    summary: str
    notes: str
    end_notes: str
    body_html: str
    word_count: int
    state: str
    published_at: str | None = Field(description="ISO 8601")


class WorkSummaryOut(Schema):
    """A work as in a listing: everything but the chapters."""

    format: str
    format_version: int
    id: int
    url: str
    title: str
    creators: list[CreatorOut] = Field(
        description="Empty for an anonymous work, except to its creators."
    )
    summary: str
    notes: str
    end_notes: str
    language: str
    tags: TagsOut
    series: SeriesOut | None
    state: str
    restricted: bool
    anonymous: bool
    comment_policy: str
    complete: bool
    expected_chapters: int | None
    chapter_count: int
    word_count: int
    source: str
    published_at: str | None = Field(description="ISO 8601")
    revised_at: str | None = Field(description="ISO 8601")
    stats: StatsOut


class WorkOut(WorkSummaryOut):
    """A work in the export format, with the chapters the caller may read."""

    chapters: list[ChapterOut]


class WorkListQuery(Schema):
    """What ``GET /works`` filters by. Tag parameters take names, may repeat and may
    hold comma-separated lists; a synonym finds its canonical tag's works."""

    q: str = Field(
        "",
        description="Full-text search: “a phrase”, -word, title:, summary:, "
        "creator:. Longer than 500 characters, the rest is ignored (with a note).",
    )
    tags: list[str] = Field(
        [],
        description="Works with all of these tags (canonical tags "
        "also find their synonyms and sub tags).",
    )
    exclude_tags: list[str] = Field([], description="Works with none of these tags.")
    rating: list[str] = Field([], description="Works with any of these ratings.")
    warnings: list[str] = Field([], description="Works with all of these archive warnings.")
    categories: list[str] = Field([], description="Works with all of these categories.")
    complete: Literal["", "complete", "wip"] = Field(
        "", description="complete: finished works only; wip: works in progress only."
    )
    single_chapter: bool = Field(False, description="Only works of one chapter, complete.")
    crossover: Literal[tuple(CROSSOVERS)] = Field(
        "include", description="Works with fandoms that are not related: include, exclude, only."
    )
    language: str = Field("", max_length=16, description="A language code, e.g. en.")
    words_from: int | None = Field(None, ge=0)
    words_to: int | None = Field(None, ge=0)
    updated_from: datetime.date | None = Field(None, description="YYYY-MM-DD")
    updated_to: datetime.date | None = Field(None, description="YYYY-MM-DD")
    published_from: datetime.date | None = Field(None, description="YYYY-MM-DD")
    published_to: datetime.date | None = Field(None, description="YYYY-MM-DD")
    sort: Literal[tuple(SORTS)] | None = Field(
        None, description="Default: relevance with q, else updated. Relevance needs q."
    )
    page: int = Field(1, ge=1)
    facets: bool = Field(True, description="false leaves out the facets, for a faster answer.")


class FacetOut(Schema):
    name: str
    count: int = Field(
        description="Works on all pages with this tag (or its synonyms and "
        "sub tags), counted from the first 1,000 when facets_sampled."
    )
    url: str = Field(description="This listing narrowed to works with the tag.")
    exclude_url: str = Field(description="This listing without the works with the tag.")


class WorkPageOut(Schema):
    count: int = Field(
        description="Works visible to the caller that match, on all pages; at most 2,000."
    )
    count_capped: bool = Field(
        description="True when more than 2,000 works match: count is then 2,000 and the "
        "pages stop there (narrow the filters to reach the rest)."
    )
    page: int
    next: str | None = Field(description="URL of the next page (same filters), or null.")
    previous: str | None = Field(description="URL of the previous page (same filters), or null.")
    results: list[WorkSummaryOut]
    facets: dict[str, list[FacetOut]] = Field(
        description="The top 10 tags of each type (rating, warning, category, fandom, "
        "relationship, character, freeform) in the matching works; {} with facets=false."
    )
    facets_sampled: bool = Field(
        description="Whether the facets were counted from the first 1,000 works only."
    )
    notes: list[str] = Field(
        description="What was ignored or adjusted in the request, in sentences: unknown "
        "tags, a search shortened or read differently."
    )


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="Every problem, in sentences.")
    errors: dict[str, list[str]] = Field(description="Messages by field name.")


# The error answers each kind of endpoint documents in the OpenAPI description.
# Every endpoint counts against the "api" rate limit (api/urls.py), so any may answer 429,
# and any answers 503 while the database is away (core/unavailable.py).
READ_ERRORS = {
    400: ValidationErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    429: ErrorOut,
    503: ErrorOut,
}
# Writes may be refused (403) and may send a body larger than the server reads (413).
WRITE_ERRORS = {**READ_ERRORS, 403: ErrorOut, 413: ErrorOut}
# Writes with a rate limit of their own (comments, kudos, bookmarks, subscriptions).
LIMITED_WRITE_ERRORS = WRITE_ERRORS
