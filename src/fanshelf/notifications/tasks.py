"""Background work for notifications: emailing them, after the change that made them commits."""

import logging
from collections.abc import Iterable

from django.db import transaction

from fanshelf.core.tasks import archive_task
from fanshelf.notifications import emails

logger = logging.getLogger(__name__)


@archive_task()
def email_notifications(user_ids: list[int]) -> int:
    """Email each of these users what is waiting for them; returns how many emails went out.

    Safe to run twice: notifications are marked emailed before they are sent. When
    sending to one user fails, the others still get theirs, the failed user's
    notifications wait for their next email, and the task ends in an error.
    """
    sent, failed = 0, []
    for user_id in user_ids:
        try:
            sent += emails.send_pending(user_id=user_id)
        except Exception:
            logger.exception("Could not email notifications to user %s", user_id)
            failed.append(user_id)
    if failed:
        raise RuntimeError(f"Emailing notifications failed for users {failed}")
    return sent


def email_after_commit(user_ids: Iterable[int]) -> None:
    """Queue the emails for these users for when the current transaction commits."""
    user_ids = sorted(set(user_ids))
    if user_ids:
        transaction.on_commit(lambda: email_notifications.enqueue(user_ids))
