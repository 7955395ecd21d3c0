"""The JSON shape of a work, shared by ``fanshelf export`` and the API."""

from django.conf import settings

from fanshelf.works.models import Chapter, Work
from fanshelf.works.services import tags_by_type

FORMAT = "fanshelf-work"
FORMAT_VERSION = 1


def creators_of(work: Work, *, reveal_anonymous: bool = False) -> list[dict]:
    """The work's creators as pseud and user names; none for anonymous works."""
    if work.anonymous and not reveal_anonymous:
        return []
    return [{"pseud": c.pseud.name, "user": c.pseud.user.username} for c in work.creatorships.all()]


def chapter_to_dict(chapter: Chapter) -> dict:
    return {
        "id": chapter.pk,
        "position": chapter.position,
        "title": chapter.title,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "body_html": chapter.body,
        "word_count": chapter.word_count,
        "state": chapter.state,
        "published_at": chapter.published_at.isoformat() if chapter.published_at else None,
    }


def work_to_dict(
    work: Work, *, chapters: list[Chapter] | None = None, reveal_anonymous: bool = False
) -> dict:
    """Everything about a work: metadata, tags by type, creators and chapters."""
    if chapters is None:
        chapters = list(work.chapters.order_by("position"))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": work.pk,
        "url": settings.SITE_URL + work.get_absolute_url(),
        "title": work.title,
        "creators": creators_of(work, reveal_anonymous=reveal_anonymous),
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "tags": tags_by_type(work),
        "series": (
            {"title": work.series.title, "position": work.series_position} if work.series else None
        ),
        "state": work.state,
        "restricted": work.restricted,
        "anonymous": work.anonymous,
        "comment_policy": work.comment_policy,
        "complete": work.is_complete,
        "expected_chapters": work.expected_chapters,
        "chapter_count": work.chapter_count,
        "word_count": work.word_count,
        "source": work.source,
        "published_at": work.published_at.isoformat() if work.published_at else None,
        "revised_at": work.revised_at.isoformat() if work.revised_at else None,
        "stats": {
            "hits": work.hit_count,
            "kudos": work.kudos_count,
            "comments": work.comment_count,
            "bookmarks": work.bookmark_count,
        },
        "chapters": [chapter_to_dict(chapter) for chapter in chapters],
    }
