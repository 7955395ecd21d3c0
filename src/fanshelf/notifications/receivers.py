"""Turning what happens on the archive into notifications for the people who follow it.

Connected in ``NotificationsConfig.ready()``. The signals are sent after the change
commits; each receiver builds its notifications in one transaction, inserts them
together and queues their emails. Nobody hears of their own actions, drafts never
notify anyone, and an anonymous work never names its creators.

A receiver that fails logs the error instead of raising it: the post, comment or
kudos it heard about is already saved, and the person who made it should not see
an error page because a notification could not be written.
"""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from fanshelf import text
from fanshelf.feedback.models import Comment, Kudos
from fanshelf.notifications.models import Notification
from fanshelf.notifications.selectors import subscriber_ids
from fanshelf.notifications.services import notify
from fanshelf.works.models import Chapter, Creatorship, Work

logger = logging.getLogger(__name__)
EXCERPT_LENGTH = 100


def _quietly(receiver):
    @functools.wraps(receiver)
    def wrapped(sender, **kwargs):
        try:
            # Stored text is written in the archive's language, whoever caused it.
            with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
                return receiver(sender, **kwargs)
        except Exception:
            logger.exception("Could not write notifications for %s", receiver.__name__)
            return None

    return wrapped


def _creatorships(work: Work) -> list[Creatorship]:
    return list(work.creatorships.select_related("pseud"))


def _names(creatorships: list[Creatorship]) -> str:
    return ", ".join(c.pseud.name for c in creatorships)


@_quietly
def on_work_posted(sender, *, work: Work, **kwargs) -> list[Notification]:
    """A work was posted: tell the subscribers of its creators and of its series."""
    work = Work.objects.select_related("series").filter(pk=work.pk).first()
    if work is None or work.state != Work.State.POSTED:
        return []
    creatorships = _creatorships(work)
    creator_ids = {c.pseud.user_id for c in creatorships}
    url = work.get_absolute_url()
    notifications: dict[int, Notification] = {}
    if work.series_id:
        message = _("A new work in the series %(series)s: %(title)s") % {
            "series": work.series.title,
            "title": work.title,
        }
        for user_id in subscriber_ids(series=work.series_id):
            notifications[user_id] = Notification(
                recipient_id=user_id, kind=Notification.Kind.NEW_WORK, work=work, text=message
            )
    # Following a person must never reveal which anonymous works are theirs.
    if not work.anonymous:
        message = _("%(creators)s posted a new work: %(title)s") % {
            "creators": _names(creatorships),
            "title": work.title,
        }
        for user_id in subscriber_ids(creator__in=creator_ids):
            notifications[user_id] = Notification(
                recipient_id=user_id, kind=Notification.Kind.NEW_WORK, work=work, text=message
            )
    return _send(notifications, creator_ids, url)


@_quietly
def on_chapter_posted(sender, *, chapter: Chapter, **kwargs) -> list[Notification]:
    """A chapter was posted on a posted work: tell the work's subscribers."""
    chapter = Chapter.objects.select_related("work").filter(pk=chapter.pk).first()
    if chapter is None or chapter.state != Chapter.State.POSTED:
        return []
    work = chapter.work
    if work.state != Work.State.POSTED:
        return []
    creator_ids = {c.pseud.user_id for c in _creatorships(work)}
    message = _("New chapter of %(title)s: %(chapter)s") % {
        "title": work.title,
        "chapter": chapter.heading,
    }
    notifications = {
        user_id: Notification(
            recipient_id=user_id,
            kind=Notification.Kind.NEW_CHAPTER,
            work=work,
            chapter=chapter,
            text=message,
        )
        for user_id in subscriber_ids(work=work)
    }
    return _send(notifications, creator_ids, chapter.get_absolute_url())


@_quietly
def on_comment_posted(sender, *, comment: Comment, **kwargs) -> list[Notification]:
    """A comment is visible: tell the work's creators, and the writer of the comment it answers."""
    comment = (
        Comment.objects.select_related("work", "pseud", "user", "parent")
        .filter(pk=comment.pk, state=Comment.State.VISIBLE)
        .first()
    )
    if comment is None or comment.work.state != Work.State.POSTED:
        return []
    work = comment.work
    creator_ids = {c.pseud.user_id for c in _creatorships(work)}
    name = comment.author_name
    if work.anonymous and comment.user_id in creator_ids:
        name = _("The anonymous creator")
    excerpt = Truncator(" ".join(text.html_to_text(comment.body).split()))
    values = {"name": name, "title": work.title, "excerpt": excerpt.chars(EXCERPT_LENGTH)}
    common = {"work": work, "chapter_id": comment.chapter_id, "comment_id": comment.pk}
    notifications: dict[int, Notification] = {}
    message = _("%(name)s commented on your work %(title)s: “%(excerpt)s”") % values
    for user_id in creator_ids:
        notifications[user_id] = Notification(
            recipient_id=user_id, kind=Notification.Kind.COMMENT, text=message, **common
        )
    # A creator whose comment was answered hears of the reply, once.
    if comment.parent is not None and comment.parent.user_id:
        message = _("%(name)s replied to your comment on %(title)s: “%(excerpt)s”") % values
        notifications[comment.parent.user_id] = Notification(
            recipient_id=comment.parent.user_id,
            kind=Notification.Kind.REPLY,
            text=message,
            **common,
        )
    return _send(notifications, {comment.user_id}, comment.get_absolute_url())


@_quietly
def on_kudos_given(sender, *, kudos: Kudos, **kwargs) -> list[Notification]:
    """Someone left kudos: tell the work's creators (emailed only in digests)."""
    kudos = Kudos.objects.select_related("work", "user").filter(pk=kudos.pk).first()
    if kudos is None or kudos.work.state != Work.State.POSTED:
        return []
    work = kudos.work
    creator_ids = {c.pseud.user_id for c in _creatorships(work)}
    giver = kudos.user
    if giver is not None:
        message = _("%(name)s left kudos on %(title)s") % {
            "name": giver.username,
            "title": work.title,
        }
    else:
        message = _("A guest left kudos on %(title)s") % {"title": work.title}
    notifications = {
        user_id: Notification(
            recipient_id=user_id, kind=Notification.Kind.KUDOS, work=work, text=message
        )
        for user_id in creator_ids
    }
    return _send(notifications, {kudos.user_id}, work.get_absolute_url())


def _send(notifications: dict[int, Notification], skip: set, url: str) -> list[Notification]:
    """Store the notifications, leaving out the people in ``skip`` (who did the thing)."""
    wanted = []
    for user_id, notification in notifications.items():
        if user_id in skip:
            continue
        notification.url = url
        notification.text = Truncator(notification.text).chars(
            Notification._meta.get_field("text").max_length
        )
        wanted.append(notification)
    return notify(wanted)
