"""Read paths for subscriptions and the inbox."""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from fanshelf.accounts.models import User
from fanshelf.notifications.models import Notification, NotificationPreference, Subscription
from fanshelf.works.models import Series, Work

INBOX_ORDERS = ("unread", "newest")


def inbox(*, user, order: str = "unread", unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications: unread ones first (newest first within each), or newest first.

    Notifications carry their own text and link, so the page needs no joins.
    """
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    if order == "newest":
        return notifications.order_by("-created_at", "-pk")
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return notifications.alias(unread=unread).order_by("-unread", "-created_at", "-pk")


def unread_count(*, user) -> int:
    """How many notifications ``user`` has not read: one indexed count."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_of(*, user, notification_id: int) -> Notification:
    """One of the user's notifications; ``Notification.DoesNotExist`` for anyone else's."""
    return Notification.objects.get(pk=notification_id, recipient=user)


def subscriptions_of(*, user) -> QuerySet[Subscription]:
    """What ``user`` follows, newest first, with the followed works, series and users.

    A followed work the user can no longer read (taken back to draft, hidden by a
    moderator) is left out, so its title does not show.
    """
    from fanshelf.works.selectors import visible_works

    readable = Q(work__isnull=True) | Q(work__in=visible_works(user).values("pk"))
    return (
        Subscription.objects.filter(user=user)
        .filter(readable)
        .select_related("work", "series", "creator")
    )


def subscription_of(*, user, subscription_id: int) -> Subscription:
    """One of the user's subscriptions; ``Subscription.DoesNotExist`` for anyone else's."""
    return Subscription.objects.get(pk=subscription_id, user=user)


def target_field(target) -> str:
    """The subscription field that holds ``target``: "work", "series" or "creator"."""
    if isinstance(target, Work):
        return "work"
    if isinstance(target, Series):
        return "series"
    if isinstance(target, User):
        return "creator"
    raise TypeError(f"cannot subscribe to {type(target).__name__}")


def subscription_to(*, user, target) -> Subscription | None:
    """The user's subscription to a work, series or user, if they have one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Subscription.objects.filter(user=user, **{target_field(target): target}).first()


def preference_of(*, user) -> NotificationPreference:
    """The user's notification settings; the defaults (unsaved) if they never changed them."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


def wants_email(user) -> bool:
    """Whether ``user`` wants notifications by email (the default) and has an address."""
    if not user.email or not user.is_active:
        return False
    return preference_of(user=user).email_enabled


def subscriber_ids(**target) -> QuerySet:
    """Ids of the users subscribed to a target: ``work=``, ``series=`` or ``creator__in=``."""
    return (
        Subscription.objects.filter(user__is_active=True, **target)
        .values_list("user_id", flat=True)
        .distinct()
    )
