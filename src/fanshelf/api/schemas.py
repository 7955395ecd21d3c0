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

from typing import Annotated, Literal

from ninja import Schema
from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

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


class WorkPageOut(Schema):
    count: int = Field(description="Works visible to the caller, on all pages.")
    page: int
    next: str | None = Field(description="URL of the next page, or null.")
    previous: str | None = Field(description="URL of the previous page, or null.")
    results: list[WorkSummaryOut]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="Every problem, in sentences.")
    errors: dict[str, list[str]] = Field(description="Messages by field name.")
