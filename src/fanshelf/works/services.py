"""Write paths for works and chapters: post, edit, add and reorder chapters, delete.

Every function checks that the acting user may do what it asks, runs in one
transaction and raises ``ValidationError`` keyed by field for bad input, so the web
form, the API and the importer report the same messages.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fanshelf import text
from fanshelf.accounts.models import Pseud, User
from fanshelf.accounts.services import pseud_for
from fanshelf.core import pagecache
from fanshelf.discovery import search
from fanshelf.moderation.standing import require_good_standing
from fanshelf.tags import graph
from fanshelf.tags.models import Tag
from fanshelf.tags.services import find_or_create_tag, fixed_tags
from fanshelf.works import signals
from fanshelf.works.models import (
    CHAPTER_MAX_LENGTH,
    FREEFORM_TAGS_MAX,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Chapter,
    Creatorship,
    Series,
    Work,
)

TEXT_FORMATS = ("html", "plain", "markdown")
AS_POSTED = object()  # expected_chapters: as many as are posted now
FIXED_TAG_TYPES = (Tag.Type.RATING, Tag.Type.WARNING, Tag.Type.CATEGORY)
FREE_TAG_TYPES = (Tag.Type.FANDOM, Tag.Type.RELATIONSHIP, Tag.Type.CHARACTER, Tag.Type.FREEFORM)
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
WORK_FIELDS = {
    "title",
    "summary",
    "notes",
    "end_notes",
    "language",
    "expected_chapters",
    "restricted",
    "anonymous",
    "comment_policy",
    "source",
    "show_source",
}


def to_html(value: str, text_format: str = "html") -> str:
    """Sanitised HTML from what an author typed as HTML, plain text or Markdown."""
    if not value or not value.strip():
        return ""
    if text_format == "plain":
        return text.text_to_html(value)
    if text_format == "markdown":
        return text.markdown_to_html(value)
    if text_format == "html":
        # Text with no markup at all reads as plain text, keeping its paragraphs.
        if "<" not in value:
            return text.text_to_html(value)
        return text.sanitize_html(value)
    raise ValidationError({"text_format": _("Unknown text format “%(f)s”.") % {"f": text_format}})


@dataclass
class ChapterText:
    """One chapter as an author gives it, before sanitising."""

    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    text_format: str = "html"
    published_at: object = None


@dataclass
class WorkTags:
    """A work's tags by type, as names."""

    rating: str = ""
    warning: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    fandom: list[str] = field(default_factory=list)
    relationship: list[str] = field(default_factory=list)
    character: list[str] = field(default_factory=list)
    freeform: list[str] = field(default_factory=list)

    @classmethod
    def from_mapping(cls, tags: Mapping[str, Iterable[str] | str]) -> "WorkTags":
        unknown = set(tags) - {t.value for t in Tag.Type}
        if unknown:
            raise ValidationError(
                {"tags": _("Unknown tag types: %(t)s.") % {"t": ", ".join(sorted(unknown))}}
            )
        rating = tags.get("rating") or ""
        if not isinstance(rating, str):
            rating = list(rating)
            if len(rating) > 1:
                raise ValidationError({"rating": _("A work has exactly one rating.")})
            rating = rating[0] if rating else ""
        values = {}
        for key in cls.__dataclass_fields__:
            if key != "rating":
                names = tags.get(key) or []
                values[key] = [names] if isinstance(names, str) else list(names)
        return cls(rating=rating, **values)

    def as_dict(self) -> dict:
        result = {key: list(getattr(self, key)) for key in self.__dataclass_fields__}
        result["rating"] = [self.rating] if self.rating else []
        return result


def is_creator(user, work: Work) -> bool:
    """Whether ``user`` is one of the work's creators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return work.creatorships.filter(pseud__user=user).exists()


def require_creator(user, work: Work) -> None:
    if not is_creator(user, work):
        raise PermissionDenied(_("Only the work's creators can change it."))


def _clean_text_fields(values: dict, text_format: str) -> dict:
    errors, cleaned = {}, {}
    limits = {
        "summary": SUMMARY_MAX_LENGTH,
        "notes": NOTES_MAX_LENGTH,
        "end_notes": NOTES_MAX_LENGTH,
    }
    for name, limit in limits.items():
        if name not in values:
            continue
        raw = values[name] or ""
        if len(raw) > limit:
            errors[name] = _("%(field)s must be at most %(max)d characters (it has %(n)d).") % {
                "field": Work._meta.get_field(name).verbose_name.capitalize(),
                "max": limit,
                "n": len(raw),
            }
            continue
        cleaned[name] = to_html(raw, text_format)
    if "title" in values:
        title = " ".join((values["title"] or "").split())
        if not title:
            errors["title"] = _("Please give your work a title.")
        elif len(title) > TITLE_MAX_LENGTH:
            errors["title"] = _("The title must be at most %(max)d characters.") % {
                "max": TITLE_MAX_LENGTH
            }
        cleaned["title"] = title
    if "language" in values:
        language = (values["language"] or "en").strip()
        if not LANGUAGE_CODE.match(language):
            errors["language"] = _("“%(code)s” is not a language code such as en or pt-BR.") % {
                "code": language
            }
        cleaned["language"] = language
    if "comment_policy" in values and values["comment_policy"] not in Work.CommentPolicy.values:
        errors["comment_policy"] = _("Unknown comment setting.")
    if errors:
        raise ValidationError(errors)
    for name in ("expected_chapters", "restricted", "anonymous", "comment_policy", "show_source"):
        if name in values:
            cleaned[name] = values[name]
    if "source" in values:
        cleaned["source"] = (values["source"] or "")[: Work._meta.get_field("source").max_length]
    return cleaned


def _resolve_tags(tags: WorkTags, *, posting: bool) -> list[Tag]:
    errors = {}
    resolved: list[Tag] = []
    if tags.rating:
        try:
            resolved += fixed_tags(Tag.Type.RATING, [tags.rating])
        except ValidationError as error:
            errors["rating"] = error.messages
    elif posting:
        errors["rating"] = [_("Please choose a rating.")]
    for tag_type in (Tag.Type.WARNING, Tag.Type.CATEGORY):
        try:
            resolved += fixed_tags(tag_type, getattr(tags, tag_type))
        except ValidationError as error:
            errors[tag_type] = error.messages
    if posting and not tags.warning:
        errors["warning"] = [_("Please choose at least one archive warning.")]
    if posting and not tags.fandom:
        errors["fandom"] = [_("Please add at least one fandom.")]
    if len(tags.freeform) > FREEFORM_TAGS_MAX:
        errors["freeform"] = [
            _("A work can have at most %(max)d additional tags.") % {"max": FREEFORM_TAGS_MAX}
        ]
    for tag_type in FREE_TAG_TYPES:
        for name in getattr(tags, tag_type):
            try:
                resolved.append(find_or_create_tag(name=name, type=tag_type))
            except ValidationError as error:
                errors.setdefault(tag_type, []).extend(error.messages)
    if errors:
        # Tags created on the way are rolled back with the caller's transaction.
        raise ValidationError(errors)
    return list(dict.fromkeys(resolved))


def _chapter_fields(chapter: ChapterText) -> dict:
    if len(chapter.body or "") > CHAPTER_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A chapter can be at most %(max)s characters.")
                % {"max": f"{CHAPTER_MAX_LENGTH:,}"}
            }
        )
    body = to_html(chapter.body or "", chapter.text_format)
    if not text.html_to_text(body).strip():
        raise ValidationError({"body": _("The chapter text is empty.")})
    title = " ".join((chapter.title or "").split())
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError({"chapter_title": _("The chapter title is too long.")})
    notes = {}
    for name in ("summary", "notes", "end_notes"):
        raw = getattr(chapter, name) or ""
        limit = SUMMARY_MAX_LENGTH if name == "summary" else NOTES_MAX_LENGTH
        if len(raw) > limit:
            raise ValidationError(
                {
                    f"chapter_{name}": _("Chapter %(field)s must be at most %(max)d characters.")
                    % {"field": name.replace("_", " "), "max": limit}
                }
            )
        notes[name] = to_html(raw, chapter.text_format)
    return {"title": title, "body": body, "word_count": text.count_words(body), **notes}


def _series_for(user: User, series_title: str) -> Series | None:
    series_title = " ".join((series_title or "").split())
    if not series_title:
        return None
    if len(series_title) > TITLE_MAX_LENGTH:
        raise ValidationError({"series": _("The series title is too long.")})
    series, _created = Series.objects.get_or_create(owner=user, title=series_title)
    return series


def _pseud_for(user, pseud: Pseud | str | None) -> Pseud:
    return pseud_for(user, pseud, refusal=_("You can only post as one of your own pseuds."))


def refresh_counts(work: Work) -> None:
    """Recompute the work's denormalised word and chapter counts from posted chapters."""
    posted = work.chapters.filter(state=Chapter.State.POSTED)
    work.chapter_count = posted.count()
    work.word_count = sum(posted.values_list("word_count", flat=True))
    work.save(update_fields=["chapter_count", "word_count"])


@transaction.atomic
def post_work(
    *,
    user: User,
    title: str,
    chapters: list[ChapterText],
    tags: WorkTags | Mapping | None = None,
    pseud: Pseud | str | None = None,
    summary: str = "",
    notes: str = "",
    end_notes: str = "",
    text_format: str = "html",
    language: str = "en",
    series: str = "",
    expected_chapters: int | None | object = AS_POSTED,
    restricted: bool = False,
    anonymous: bool = False,
    comment_policy: str = Work.CommentPolicy.OPEN,
    source: str = "",
    show_source: bool = False,
    state: str = Work.State.POSTED,
    published_at=None,
) -> Work:
    """Create a work with its first chapters, posted or as a draft.

    ``chapters`` hold the text as typed; ``text_format`` ("html", "plain" or
    "markdown") says how to read the work's summary and notes. ``expected_chapters``
    defaults to the chapters given (a complete work); ``None`` means unknown ("?").
    """
    require_good_standing(user)
    if state not in (Work.State.DRAFT, Work.State.POSTED):
        raise ValidationError({"state": _("A new work is either a draft or posted.")})
    if not chapters:
        raise ValidationError({"body": _("A work needs at least one chapter.")})
    posting = state == Work.State.POSTED
    if expected_chapters is AS_POSTED:
        expected_chapters = len(chapters)
    tags = tags if isinstance(tags, WorkTags) else WorkTags.from_mapping(tags or {})
    errors: dict = {}
    fields: dict = {}
    try:
        fields = _clean_text_fields(
            {
                "title": title,
                "summary": summary,
                "notes": notes,
                "end_notes": end_notes,
                "language": language,
                "expected_chapters": expected_chapters,
                "restricted": restricted,
                "anonymous": anonymous,
                "comment_policy": comment_policy,
                "source": source,
                "show_source": bool(show_source),
            },
            text_format,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    chapter_fields = []
    for number, chapter in enumerate(chapters, 1):
        try:
            chapter_fields.append(_chapter_fields(chapter))
        except ValidationError as error:
            # One chapter keeps the form's field names; several say which chapter.
            prefix = "" if len(chapters) == 1 else f"chapters.{number}."
            errors.update({prefix + key: value for key, value in error.message_dict.items()})
    try:
        resolved_tags = _resolve_tags(tags, posting=posting)
    except ValidationError as error:
        errors.update(error.message_dict)
    if expected_chapters is not None and expected_chapters < len(chapters):
        errors["expected_chapters"] = [
            _("Expected chapters cannot be fewer than the chapters posted.")
        ]
    try:
        creator = _pseud_for(user, pseud)
        series_obj = _series_for(user, series)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    published_at = published_at or (now if posting else None)
    work = Work.objects.create(
        **fields,
        state=state,
        series=series_obj,
        series_position=_next_series_position(series_obj),
        published_at=published_at,
        revised_at=_latest(published_at, *(c.published_at for c in chapters)) if posting else None,
    )
    Creatorship.objects.create(work=work, pseud=creator)
    _set_tags(work, resolved_tags)
    chapter_state = Chapter.State.POSTED if posting else Chapter.State.DRAFT
    Chapter.objects.bulk_create(
        Chapter(
            work=work,
            position=position,
            state=chapter_state,
            published_at=(chapter.published_at or published_at) if posting else None,
            **values,
        )
        for position, (chapter, values) in enumerate(zip(chapters, chapter_fields, strict=True), 1)
    )
    _count_all_chapters(work)
    search.backend().index_works([work.pk])
    if posting:
        signals.send_after_commit(signals.work_posted, Work, work=work)
    return work


def _set_tags(work: Work, tags: list[Tag]) -> None:
    """Replace the work's tags, keeping tag usage counts and filter tags in step."""
    before = set(work.tags.values_list("pk", flat=True))
    after = {tag.pk for tag in tags}
    work.tags.set(tags)
    Tag.objects.filter(pk__in=after - before).update(usage_count=F("usage_count") + 1)
    Tag.objects.filter(pk__in=before - after, usage_count__gt=0).update(
        usage_count=F("usage_count") - 1
    )
    graph.refresh_filter_tags([work.pk])


def _latest(*moments):
    present = [moment for moment in moments if moment]
    return max(present) if present else None


def _next_series_position(series: Series | None) -> int | None:
    if series is None:
        return None
    return (series.works.aggregate(last=Max("series_position"))["last"] or 0) + 1


def _count_all_chapters(work: Work) -> None:
    # A draft shows its author every chapter it will have; a posted work only posted ones.
    if work.state == Work.State.DRAFT:
        chapters = work.chapters.all()
        work.chapter_count = chapters.count()
        work.word_count = sum(chapters.values_list("word_count", flat=True))
        work.save(update_fields=["chapter_count", "word_count"])
    else:
        refresh_counts(work)


@transaction.atomic
def update_work(
    *,
    user: User,
    work: Work,
    tags: WorkTags | Mapping | None = None,
    text_format: str = "html",
    series: str | None = None,
    **changes,
) -> Work:
    """Change a work's metadata. Only the fields given change; tags are replaced when given."""
    require_good_standing(user)
    require_creator(user, work)
    unknown = set(changes) - WORK_FIELDS
    if unknown:
        raise ValidationError(
            {
                "__all__": _("These fields cannot be changed: %(f)s.")
                % {"f": ", ".join(sorted(unknown))}
            }
        )
    errors = {}
    fields = {}
    try:
        fields = _clean_text_fields(changes, text_format)
    except ValidationError as error:
        errors.update(error.message_dict)
    resolved = None
    if tags is not None:
        tags = tags if isinstance(tags, WorkTags) else WorkTags.from_mapping(tags)
        try:
            resolved = _resolve_tags(tags, posting=work.state != Work.State.DRAFT)
        except ValidationError as error:
            errors.update(error.message_dict)
    expected = fields.get("expected_chapters", work.expected_chapters)
    if expected is not None and expected < work.chapter_count:
        errors["expected_chapters"] = [
            _("Expected chapters cannot be fewer than the chapters posted.")
        ]
    if series is not None:
        try:
            series_obj = _series_for(user, series)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if series_obj != work.series:
                fields["series"] = series_obj
                fields["series_position"] = _next_series_position(series_obj)
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(work, name, value)
    if work.is_posted:
        work.revised_at = timezone.now()
    work.save()
    if resolved is not None:
        _set_tags(work, resolved)
    search.backend().index_works([work.pk])
    return work


@transaction.atomic
def publish_work(*, user: User, work: Work) -> Work:
    """Post a draft: it and its chapters become visible, dated now."""
    require_creator(user, work)
    if work.state == Work.State.POSTED:
        return work
    if work.state != Work.State.DRAFT:
        message = _("Only a draft can be posted; this work is %(state)s.") % {
            "state": work.get_state_display().lower()
        }
        raise ValidationError({"state": message})
    tags = WorkTags.from_mapping(tags_by_type(work))
    _resolve_tags(tags, posting=True)
    now = timezone.now()
    work.state = Work.State.POSTED
    work.published_at = work.revised_at = now
    work.save(update_fields=["state", "published_at", "revised_at"])
    work.chapters.update(state=Chapter.State.POSTED, published_at=now)
    refresh_counts(work)
    search.backend().index_works([work.pk])
    signals.send_after_commit(signals.work_posted, Work, work=work)
    return work


def tags_by_type(work: Work) -> dict[str, list[str]]:
    """The work's tag names grouped by type, every type present."""
    grouped = {tag_type.value: [] for tag_type in Tag.Type}
    for tag in work.tags.all():
        grouped[tag.type].append(tag.name)
    return grouped


@transaction.atomic
def add_chapter(
    *, user: User, work: Work, chapter: ChapterText, state: str = Chapter.State.POSTED
) -> Chapter:
    """Add a chapter at the end. Posting it to a posted work updates the work's date."""
    require_good_standing(user)
    require_creator(user, work)
    if state not in Chapter.State.values:
        raise ValidationError({"state": _("Unknown chapter state.")})
    values = _chapter_fields(chapter)
    if work.state == Work.State.DRAFT:
        state = Chapter.State.DRAFT
    # Two chapters posted to one work at once would take the same position (and the
    # counts would miss one): the work's row lock makes them take turns on PostgreSQL;
    # SQLite's write transactions already do.
    Work.objects.select_for_update().filter(pk=work.pk).values_list("pk").first()
    position = (work.chapters.aggregate(last=Max("position"))["last"] or 0) + 1
    now = timezone.now()
    posted = state == Chapter.State.POSTED
    new = Chapter.objects.create(
        work=work,
        position=position,
        state=state,
        published_at=(chapter.published_at or now) if posted else None,
        **values,
    )
    if posted:
        work.revised_at = new.published_at
        if work.expected_chapters is not None and work.expected_chapters < position:
            work.expected_chapters = position
        work.save(update_fields=["revised_at", "expected_chapters"])
    _count_all_chapters(work)
    search.backend().index_works([work.pk])
    if posted and work.is_posted:
        signals.send_after_commit(signals.chapter_posted, Chapter, chapter=new)
    return new


@transaction.atomic
def update_chapter(*, user: User, chapter: Chapter, changes: ChapterText) -> Chapter:
    """Replace a chapter's title, notes and text."""
    work = chapter.work
    require_good_standing(user)
    require_creator(user, work)
    for name, value in _chapter_fields(changes).items():
        setattr(chapter, name, value)
    chapter.save()
    if work.is_posted:
        work.revised_at = timezone.now()
        work.save(update_fields=["revised_at"])
    _count_all_chapters(work)
    search.backend().index_works([work.pk])
    return chapter


@transaction.atomic
def post_chapter(*, user: User, chapter: Chapter) -> Chapter:
    """Post a chapter saved as a draft on a posted work."""
    work = chapter.work
    require_creator(user, work)
    if chapter.state == Chapter.State.DRAFT and work.is_posted:
        chapter.state = Chapter.State.POSTED
        chapter.published_at = work.revised_at = timezone.now()
        chapter.save(update_fields=["state", "published_at"])
        work.save(update_fields=["revised_at"])
        refresh_counts(work)
        signals.send_after_commit(signals.chapter_posted, Chapter, chapter=chapter)
    search.backend().index_works([work.pk])
    return chapter


@transaction.atomic
def reorder_chapters(*, user: User, work: Work, chapter_ids: list[int]) -> None:
    """Put the work's chapters in the order of ``chapter_ids`` (all of them, once each)."""
    require_creator(user, work)
    current = list(work.chapters.values_list("pk", flat=True))
    if sorted(current) != sorted(chapter_ids):
        raise ValidationError({"__all__": _("Give every chapter of the work exactly once.")})
    # Two passes, so no moment has two chapters at one position.
    offset = len(current) + 1000
    for position, pk in enumerate(chapter_ids, 1):
        Chapter.objects.filter(pk=pk).update(position=position + offset)
    for position, pk in enumerate(chapter_ids, 1):
        Chapter.objects.filter(pk=pk).update(position=position)
    search.backend().index_works([work.pk])
    pagecache.bump_after_commit(pagecache.work_scope(work.pk))


@transaction.atomic
def delete_chapter(*, user: User, chapter: Chapter) -> None:
    """Delete a chapter; the last one cannot go (delete the work instead)."""
    work = chapter.work
    require_creator(user, work)
    if work.chapters.count() <= 1:
        raise ValidationError(
            {"__all__": _("A work needs at least one chapter; delete the work instead.")}
        )
    chapter.delete()
    remaining = list(work.chapters.order_by("position").values_list("pk", flat=True))
    for position, pk in enumerate(remaining, 1):
        Chapter.objects.filter(pk=pk).update(position=position)
    _count_all_chapters(work)
    search.backend().index_works([work.pk])


@transaction.atomic
def delete_work(*, user: User, work: Work) -> None:
    """Delete a work with its chapters."""
    require_creator(user, work)
    Tag.objects.filter(works=work, usage_count__gt=0).update(usage_count=F("usage_count") - 1)
    search.backend().remove_works([work.pk])
    work.delete()
