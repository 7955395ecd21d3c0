"""Reports from readers, what moderators did about them, sanctions and security events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DETAILS_MAX_LENGTH = 5000
MESSAGE_MAX_LENGTH = 2000


class Report(models.Model):
    """A reader's report of a work, a comment, a user or a bookmark."""

    class Kind(models.TextChoices):
        WORK = "work", _("Work")
        COMMENT = "comment", _("Comment")
        USER = "user", _("User")
        BOOKMARK = "bookmark", _("Bookmark")

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        HARASSMENT = "harassment", _("Harassment")
        HATEFUL = "hateful", _("Hateful content")
        PLAGIARISM = "plagiarism", _("Plagiarism")
        WRONG_TAGS = "wrong_tags", _("Wrong rating, warnings or tags")
        PERSONAL_INFO = "personal_info", _("Personal information")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ASSIGNED = "assigned", _("Assigned")
        RESOLVED = "resolved", _("Resolved")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # One of these is set, by ``kind``; they go empty if the target is deleted,
    # and ``target_description`` still says what was reported.
    work = models.ForeignKey(
        "works.Work", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "feedback.Comment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_about",
    )
    bookmark = models.ForeignKey(
        "bookmarks.Bookmark", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_description = models.CharField(max_length=300)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    details = models.TextField(_("details"), max_length=DETAILS_MAX_LENGTH, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_made",
    )
    reporter_email = models.EmailField(_("your email"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_assigned",
    )
    resolution = models.TextField(_("resolution note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_resolved",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.target_description}"

    @property
    def target(self):
        return getattr(self, self.kind)


class ModerationAction(models.Model):
    """One thing a moderator did; rows are written once and never changed."""

    class Kind(models.TextChoices):
        ASSIGN = "assign", _("Assigned a report")
        RESOLVE = "resolve", _("Resolved a report")
        HIDE_WORK = "hide_work", _("Hid a work")
        UNHIDE_WORK = "unhide_work", _("Unhid a work")
        DELETE_COMMENT = "delete_comment", _("Deleted a comment")
        SUSPEND = "suspend", _("Suspended a user")
        BAN = "ban", _("Banned a user")
        LIFT = "lift", _("Lifted a sanction")

    # Kept when the moderator's account is deleted: the log outlives its writers.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_actions",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    target_description = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.moderator}: {self.get_kind_display()} ({self.target_description})"


class WorkHiding(models.Model):
    """A work a moderator hid: the state to restore and the message its creators see."""

    work = models.OneToOneField("works.Work", on_delete=models.CASCADE, related_name="hiding")
    previous_state = models.CharField(max_length=16)
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.work} hidden"


class Sanction(models.Model):
    """A suspension (until a date) or a ban (no end) of a user's account."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    until = models.DateTimeField(null=True, blank=True)
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "lifted_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user}"

    @staticmethod
    def in_force(now=None) -> Q:
        """Sanctions not lifted and not expired at ``now``."""
        now = now or timezone.now()
        return Q(lifted_at__isnull=True) & (Q(until__isnull=True) | Q(until__gt=now))

    @classmethod
    def any_in_force(cls, user_id) -> models.Exists:
        """Whether a sanction is in force on ``user_id`` (an ``OuterRef``), for ``annotate``:
        loading a user with it saves ``moderation.standing`` a query later."""
        return models.Exists(cls.objects.filter(cls.in_force(), user=user_id))

    @property
    def is_ban(self) -> bool:
        return self.kind == self.Kind.BAN


class SecurityEvent(models.Model):
    """A refused or suspicious attempt, shown to moderators; never a password or token."""

    class Kind(models.TextChoices):
        LOGIN_THROTTLED = "login_throttled", _("Log-in throttled")
        PASSWORD_RESET_THROTTLED = "reset_throttled", _("Password reset throttled")
        PSEUD_TAMPERING = "pseud_tampering", _("Acting as another user's pseud")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    username = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.address}"
