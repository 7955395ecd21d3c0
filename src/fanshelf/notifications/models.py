from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Exactly one of these is set on a subscription.
TARGETS = ("work", "series", "creator")


def _only(target: str) -> Q:
    return Q(**{f"{name}__isnull": name != target for name in TARGETS})


class Subscription(models.Model):
    """A reader following a work (new chapters), a series (new works) or a user (new works)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    series = models.ForeignKey(
        "works.Series",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscribers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_only("work") | _only("series") | _only("creator"),
                name="subscription_has_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", target],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"one_subscription_per_{target}",
                )
                for target in TARGETS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.target}"

    @property
    def target(self):
        """The work, series or user followed."""
        return self.work or self.series or self.creator

    @property
    def target_type(self) -> str:
        """``"work"``, ``"series"`` or ``"user"``, as the API and forms name them."""
        if self.work_id:
            return "work"
        return "series" if self.series_id else "user"


class Notification(models.Model):
    """Something a user should hear about, kept in their inbox and maybe emailed.

    What to show is stored as it was said at the time (``text``, ``url``), so the
    inbox needs no joins and still reads well after a title changes.
    """

    class Kind(models.TextChoices):
        NEW_CHAPTER = "new_chapter", _("New chapter")
        NEW_WORK = "new_work", _("New work")
        COMMENT = "comment", _("Comment")
        REPLY = "reply", _("Reply")
        KUDOS = "kudos", _("Kudos")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    chapter = models.ForeignKey(
        "works.Chapter", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A plain id: the comment may be deleted later and its notification should stay.
    comment_id = models.PositiveBigIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox page, newest first, and the unread count in the header.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The email task picks what has not been emailed yet.
            models.Index(
                fields=["recipient"],
                condition=Q(emailed_at__isnull=True),
                name="notification_to_email",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def absolute_url(self) -> str:
        """The link as an email or an API client needs it, on ``settings.SITE_URL``."""
        return settings.SITE_URL + self.url


class NotificationPreference(models.Model):
    """How a user wants to hear about notifications; no row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("email me my notifications"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: email {'on' if self.email_enabled else 'off'}"
