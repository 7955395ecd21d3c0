"""Turning imported works into archive works, one transaction per work."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fanshelf.accounts.models import User
from fanshelf.imports import duplicates
from fanshelf.imports.models import ImportRecord
from fanshelf.imports.readers import ImportedWork, ImportProblem
from fanshelf.imports.tag_matching import match_tags
from fanshelf.moderation.standing import require_good_standing
from fanshelf.tags.defaults import ARCHIVE_WARNINGS, RATINGS
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, post_work

# AO3's own choices for works whose file says nothing: not rated, no warning chosen.
DEFAULT_RATING = RATINGS[0]
DEFAULT_WARNING = ARCHIVE_WARNINGS[0]
NO_FANDOM = "No Fandom"


@dataclass
class ImportDefaults:
    """Tags to use where a file says nothing, chosen by the person importing."""

    fandoms: tuple[str, ...] = ()
    rating: str = ""


def tags_for(imported: ImportedWork, defaults: ImportDefaults) -> dict[str, list[str]]:
    """The tags ``imported`` will be posted with: free tags the archive knows moved to
    their canonical type, and AO3's defaults where the file gives no rating, warning
    or fandom. Previews show exactly these."""
    tags = match_tags({key: list(value) for key, value in imported.tags.items()})
    tags["rating"] = tags.get("rating") or [defaults.rating or DEFAULT_RATING]
    tags["warning"] = tags.get("warning") or [DEFAULT_WARNING]
    tags["fandom"] = tags.get("fandom") or list(defaults.fandoms) or [NO_FANDOM]
    return tags


@transaction.atomic
def create_work(
    imported: ImportedWork,
    *,
    user: User,
    pseud: str | None = None,
    as_draft: bool = False,
    defaults: ImportDefaults | None = None,
    show_source: bool = False,
) -> Work:
    """Post (or save as a draft) one imported work for ``user``."""
    defaults = defaults or ImportDefaults()
    chapter_count = len(imported.chapters)
    expected = imported.expected_chapters
    if expected is not None and expected < chapter_count:
        expected = chapter_count
    return post_work(
        user=user,
        pseud=pseud,
        title=imported.title,
        summary=imported.summary_html,
        notes=imported.notes_html,
        end_notes=imported.end_notes_html,
        language=imported.language,
        series=imported.series,
        tags=tags_for(imported, defaults),
        expected_chapters=expected,
        restricted=imported.restricted,
        anonymous=imported.anonymous,
        comment_policy=imported.comment_policy,
        source=imported.source,
        show_source=show_source,
        state=Work.State.DRAFT if as_draft or imported.state == "draft" else Work.State.POSTED,
        published_at=imported.published_at,
        chapters=[
            ChapterText(
                body=chapter.body_html,
                title=chapter.title,
                summary=chapter.summary_html,
                notes=chapter.notes_html,
                end_notes=chapter.end_notes_html,
                published_at=chapter.published_at,
            )
            for chapter in imported.chapters
        ],
    )


def import_work(
    imported: ImportedWork,
    *,
    user: User,
    pseud: str | None = None,
    as_draft: bool = False,
    defaults: ImportDefaults | None = None,
    show_source: bool = False,
    fingerprint: duplicates.TextFingerprint | None = None,
) -> tuple[Work, bool]:
    """The work for ``imported`` and whether it is new: a work ``user`` already imported
    from the same content (``ImportedWork.key``) is returned as it is, never made twice,
    so an interrupted import can simply be run again. The work and its ImportRecord are
    written in one transaction: a killed import leaves either both or neither; so is
    its near-duplicate ``fingerprint`` (``duplicates.fingerprint_of`` of its text) when
    the caller computed one to look for duplicates first. ValidationError when the
    work cannot be posted."""
    require_good_standing(user)
    key = imported.key()
    record = ImportRecord.objects.filter(user=user, key=key).select_related("work").first()
    if record is not None:
        return record.work, False
    try:
        with transaction.atomic():
            work = create_work(
                imported,
                user=user,
                pseud=pseud,
                as_draft=as_draft,
                defaults=defaults,
                show_source=show_source,
            )
            ImportRecord.objects.create(user=user, key=key, work=work, source=imported.source[:500])
            if fingerprint is not None and work.is_posted:
                duplicates.store_fingerprint(work, fingerprint)
    except IntegrityError:
        # Another import of the same content won the race; its work is the one.
        record = ImportRecord.objects.filter(user=user, key=key).select_related("work").first()
        if record is None:
            raise
        return record.work, False
    return work, True


def problem_from(error: ValidationError) -> ImportProblem:
    """One line naming every field a work could not be posted with."""
    reasons = "; ".join(
        f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
        for field, messages in error.message_dict.items()
    )
    return ImportProblem(reasons)
