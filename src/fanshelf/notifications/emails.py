"""Notification emails: one per notification when few are waiting, one digest when many.

What is waiting for a user is every notification they have neither read on the site
nor been emailed. When more than ``settings.FANSHELF_EMAIL_DIGEST_AFTER`` are
waiting they all go out in one digest; otherwise each gets its own email, except
kudos, which are quieter: they wait until they can join a digest.

Rows are claimed (``emailed_at`` set) in one short transaction before anything is
sent, so a task that runs twice, or two workers at once, never send one notification
twice; if sending fails the claim is released and a later run tries again.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanshelf.accounts.models import User
from fanshelf.notifications import selectors
from fanshelf.notifications.models import Notification

SUBJECT_LENGTH = 120


def digest_after() -> int:
    """How many waiting notifications one email each may cover before a digest takes over."""
    return max(0, int(settings.FANSHELF_EMAIL_DIGEST_AFTER))


def _claim(user: User) -> list[Notification]:
    """Pick what to email now and mark it emailed, in one transaction."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update()
            .filter(recipient=user, emailed_at__isnull=True, read_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if len(waiting) <= digest_after():
            waiting = [n for n in waiting if n.kind != Notification.Kind.KUDOS]
        if waiting:
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                emailed_at=timezone.now()
            )
    return waiting


def _release(notifications: list[Notification]) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=None)


def _context(user: User) -> dict:
    return {
        "user": user,
        "site_url": settings.SITE_URL,
        "inbox_url": settings.SITE_URL + reverse("notifications:inbox"),
    }


def _one_line(text: str) -> str:
    # Header values must not hold line breaks.
    return Truncator(" ".join(str(text).split())).chars(SUBJECT_LENGTH)


def notification_email(user: User, notification: Notification) -> EmailMessage:
    """The email for a single notification."""
    body = render_to_string(
        "notifications/email/notification.txt",
        {**_context(user), "notification": notification},
    )
    subject = _("[Fanshelf] %(text)s") % {"text": notification.text}
    return EmailMessage(_one_line(subject), body, to=[user.email])


def digest_email(user: User, notifications: list[Notification]) -> EmailMessage:
    """One email listing several notifications, newest first."""
    count = len(notifications)
    subject = ngettext(
        "%(count)d new notification on Fanshelf", "%(count)d new notifications on Fanshelf", count
    ) % {"count": count}
    body = render_to_string(
        "notifications/email/digest.txt",
        {**_context(user), "notifications": notifications[::-1], "count": count},
    )
    return EmailMessage(_one_line(subject), body, to=[user.email])


def send_pending(*, user_id: int) -> int:
    """Email one user what is waiting for them; returns how many emails were sent.

    Nothing is sent to users who turned emails off, have no address or are inactive.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None or not selectors.wants_email(user):
        return 0
    claimed = _claim(user)
    if not claimed:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        if len(claimed) > digest_after():
            batches = [(digest_email(user, claimed), claimed)]
        else:
            batches = [(notification_email(user, n), [n]) for n in claimed]
    sent = 0
    with get_connection() as connection:
        for number, (message, _covered) in enumerate(batches):
            message.connection = connection
            try:
                message.send()
            except Exception:
                # Whatever was not sent yet is waiting again, for the next run.
                _release([n for _message, rest in batches[number:] for n in rest])
                raise
            sent += 1
    return sent
