"""Comments and kudos: what readers leave on a work.

The work's ``comment_count`` and ``kudos_count`` are kept by ``feedback.services``
in the same transaction as the rows they count, so listings never count rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 10_000
# Depths 0..4: five levels of a thread. A reply to a comment at the deepest level
# stays at that level, shown after it ("deeper replies flatten").
MAX_DEPTH = 4
GUEST_NAME_MAX_LENGTH = 100


class Comment(models.Model):
    """A comment on a work, or on one of its chapters; a reply when it has a parent."""

    class State(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HELD = "held", _("Awaiting approval")
        DELETED = "deleted", _("Deleted")

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="comments")
    # A deleted chapter's comments stay on the work, so the work's count stays exact.
    chapter = models.ForeignKey(
        "works.Chapter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The top-level comment of the thread, so a page of threads is fetched in one query.
    root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    pseud = models.ForeignKey(
        "accounts.Pseud",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    guest_name = models.CharField(_("name"), max_length=GUEST_NAME_MAX_LENGTH, blank=True)
    guest_email = models.EmailField(_("email"), blank=True)

    # What the commenter typed (shown again when they edit) and its sanitised HTML.
    text = models.TextField(blank=True)
    body = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.VISIBLE)

    # A keyed hash of the client's address, never the address itself: enough to
    # tell that two comments came from one place when looking into abuse.
    client_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["work", "root", "created_at"]),
            models.Index(fields=["work", "chapter", "root", "created_at"]),
            models.Index(fields=["root", "created_at"]),
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["state", "work"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__lte=MAX_DEPTH), name="comment_depth_at_most_4"
            ),
        ]

    def __str__(self) -> str:
        return _("Comment %(id)s by %(name)s on %(work)s") % {
            "id": self.pk,
            "name": self.author_name,
            "work": self.work_id,
        }

    def get_absolute_url(self) -> str:
        return reverse("feedback:comment", args=[self.pk])

    @property
    def author_name(self) -> str:
        """The name shown with the comment: the pseud's, or the guest's own."""
        if self.pseud_id:
            return self.pseud.name
        if self.user_id:
            return self.user.username
        return self.guest_name or _("a former user")

    @property
    def is_guest(self) -> bool:
        return not self.user_id and not self.pseud_id

    @property
    def is_visible(self) -> bool:
        return self.state == self.State.VISIBLE

    @property
    def is_held(self) -> bool:
        return self.state == self.State.HELD

    @property
    def is_deleted(self) -> bool:
        return self.state == self.State.DELETED


class Kudos(models.Model):
    """One reader's kudos on a work: a user's, or a guest's (by a hashed key)."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
    )
    # sha256 of the guest's address and session key: one kudos per guest, and the
    # address is never stored. NULL (not "") for a user's kudos, so the two unique
    # constraints and the check read plainly.
    guest_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=Q(user__isnull=False),
                name="one_kudos_per_user",
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"],
                condition=Q(guest_key__isnull=False),
                name="one_kudos_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest_key__isnull=True)
                | Q(user__isnull=True, guest_key__isnull=False),
                name="kudos_from_a_user_or_a_guest",
            ),
        ]
        indexes = [models.Index(fields=["work", "-created_at"])]

    def __str__(self) -> str:
        who = self.user.username if self.user_id else _("a guest")
        return _("Kudos from %(who)s on %(work)s") % {"who": who, "work": self.work_id}
