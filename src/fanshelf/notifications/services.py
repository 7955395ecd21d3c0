"""Write paths for subscriptions, the inbox and notification settings.

Like every service in Fanshelf, each function checks that the acting user may do
what it asks, runs in one transaction and raises ``ValidationError`` keyed by field
for bad input (``"work"``, ``"series"``, ``"user"`` or ``"__all__"``), so the web
pages and the API report the same messages.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from fanshelf.accounts.models import User
from fanshelf.core import ratelimit
from fanshelf.notifications.models import Notification, NotificationPreference, Subscription
from fanshelf.works.models import Series, Work
from fanshelf.works.selectors import visible_works, works_in_series
from fanshelf.works.services import is_creator

RATE_LIMITED = "rate_limited"


def _require_user(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to subscribe."))


def _pk(value) -> int | None:
    """A primary key from a model instance or anything that reads as a whole number."""
    if value is None or value == "":
        return None
    if isinstance(value, Model):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # matches nothing, so it is reported as not found


def _work_target(user: User, work) -> dict:
    found = visible_works(user).filter(pk=_pk(work)).first()
    if found is None:
        raise Work.DoesNotExist(_("This work does not exist, or you cannot see it."))
    if is_creator(user, found):
        raise ValidationError({"work": _("You cannot subscribe to your own work.")})
    return {"work": found}


def _series_target(user: User, series) -> dict:
    found = Series.objects.filter(pk=_pk(series)).first()
    if found is None or not works_in_series(series=found, viewer=user).exists():
        raise Series.DoesNotExist(_("This series does not exist, or you cannot see it."))
    if found.owner_id == user.pk:
        raise ValidationError({"series": _("You cannot subscribe to your own series.")})
    return {"series": found}


def _creator_target(user: User, creator) -> dict:
    if isinstance(creator, User):
        found = creator if creator.is_active else None
        name = creator.username
    else:
        name = str(creator).strip()
        found = User.objects.filter(username__iexact=name, is_active=True).first()
    if found is None:
        raise User.DoesNotExist(_("There is no user called “%(name)s”.") % {"name": name})
    if found.pk == user.pk:
        raise ValidationError({"user": _("You cannot subscribe to yourself.")})
    return {"creator": found}


def _target(user: User, *, work, series, creator) -> dict:
    given = [value for value in (work, series, creator) if value not in (None, "")]
    if len(given) != 1:
        raise ValidationError(
            {"__all__": _("Choose exactly one work, series or user to subscribe to.")}
        )
    if work not in (None, ""):
        return _work_target(user, work)
    if series not in (None, ""):
        return _series_target(user, series)
    return _creator_target(user, creator)


@transaction.atomic
def subscribe(*, user: User, work=None, series=None, creator=None) -> tuple[Subscription, bool]:
    """Follow a work (new chapters), a series (new works) or a user (their new works).

    Give exactly one target: a ``Work`` or work id, a ``Series`` or series id, a
    ``User`` or username. A target that does not exist or that ``user`` cannot see
    raises its model's ``DoesNotExist`` with a message; their own work, series or self
    a ``ValidationError``. Subscribing twice is a polite no-op: the answer is the
    existing subscription and ``False`` (like ``get_or_create``). Limited by the
    "subscription" rate limit per user.
    """
    _require_user(user)
    if not ratelimit.allow("subscription", f"user:{user.pk}"):
        limited = ValidationError(
            _("You are subscribing too fast; please wait a while."), code=RATE_LIMITED
        )
        raise ValidationError({"__all__": limited})
    target = _target(user, work=work, series=series, creator=creator)
    existing = Subscription.objects.filter(user=user, **target).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=user, **target), True
    except IntegrityError:
        # Another request subscribed at the same moment: keep theirs.
        return Subscription.objects.get(user=user, **target), False


@transaction.atomic
def unsubscribe(*, user: User, subscription: Subscription) -> None:
    """Stop following: delete one of the user's own subscriptions."""
    _require_user(user)
    if subscription.user_id != user.pk:
        raise PermissionDenied(_("This is not your subscription."))
    subscription.delete()


@transaction.atomic
def unsubscribe_from(*, user: User, work=None, series=None, creator=None) -> bool:
    """Stop following a work, series or user given as for ``subscribe``.

    Returns whether there was a subscription to remove.
    """
    _require_user(user)
    given = {"work": _pk(work), "series": _pk(series)}
    if creator not in (None, ""):
        if isinstance(creator, User):
            given["creator"] = creator.pk
        else:
            found = User.objects.filter(username__iexact=str(creator).strip()).first()
            given["creator"] = found.pk if found else -1
    targets = {f"{name}_id": pk for name, pk in given.items() if pk is not None}
    if len(targets) != 1:
        raise ValidationError(
            {"__all__": _("Choose exactly one work, series or user to unsubscribe from.")}
        )
    deleted, _by_model = Subscription.objects.filter(user=user, **targets).delete()
    return deleted > 0


def _require_recipient(user, notification: Notification) -> None:
    if not getattr(user, "is_authenticated", False) or notification.recipient_id != user.pk:
        raise PermissionDenied(_("This is not your notification."))


@transaction.atomic
def mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (again is a no-op)."""
    _require_recipient(user, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_unread(*, user: User, notification: Notification) -> Notification:
    """Put a notification back among the unread ones."""
    _require_recipient(user, notification)
    if notification.read_at is not None:
        notification.read_at = None
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    _require_user(user)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def delete_notification(*, user: User, notification: Notification) -> None:
    """Remove a notification from the user's inbox."""
    _require_recipient(user, notification)
    notification.delete()


@transaction.atomic
def set_email_enabled(*, user: User, enabled: bool) -> NotificationPreference:
    """Turn notification emails on or off for ``user``.

    Turning them back on sends nothing old at once: unread notifications not yet
    emailed go out with the next email, in a digest if there are many.
    """
    _require_user(user)
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": bool(enabled)}
    )
    return preference


def notify(notifications: list[Notification]) -> list[Notification]:
    """Store new notifications and queue their emails for when the transaction commits.

    Used by the receivers in ``fanshelf.notifications.receivers``; one insert for
    all of them, and one email task for all their recipients.
    """
    if not notifications:
        return []
    from fanshelf.notifications.tasks import email_after_commit

    with transaction.atomic():
        created = Notification.objects.bulk_create(notifications, batch_size=500)
        email_after_commit({notification.recipient_id for notification in notifications})
    return created


def is_rate_limited(error: ValidationError) -> bool:
    """Whether a ``ValidationError`` from ``subscribe`` is the rate limit speaking."""
    errors = error.error_dict.get("__all__", []) if hasattr(error, "error_dict") else []
    return any(item.code == RATE_LIMITED for item in errors)
