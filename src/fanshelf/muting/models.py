"""Mutes and blocks: one person's choices about another, each pair at most once.

A mute is private to the muter: the muted user's works, comments and bookmarks
disappear from the muter's pages, and nobody else's. A block acts on the blocked
user: they can no longer comment on, reply within or leave kudos on the blocker's
works.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Mute(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mute")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "muted"], name="one_mute_per_pair"),
            models.CheckConstraint(condition=~Q(user=F("muted")), name="no_self_mute"),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.muted}"


class Block(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "blocked"], name="one_block_per_pair"),
            models.CheckConstraint(condition=~Q(user=F("blocked")), name="no_self_block"),
        ]
        # "Is this person blocked by one of the work's creators?" looks up by blocked.
        indexes = [models.Index(fields=["blocked", "user"])]

    def __str__(self) -> str:
        return f"{self.user} blocks {self.blocked}"
