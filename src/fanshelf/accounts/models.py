import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An account. Its public names are its pseuds; the username is its default pseud."""

    class Role(models.TextChoices):
        READER = "reader", _("Reader")
        WRANGLER = "wrangler", _("Tag wrangler")
        ARCHIVIST = "archivist", _("Archivist")
        MODERATOR = "moderator", _("Moderator")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.READER)
    # Set when the owner follows the signed link mailed to ``email``; a new address
    # must be confirmed again.
    email_confirmed = models.BooleanField(_("email confirmed"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    @property
    def default_pseud(self) -> "Pseud":
        return self.pseuds.get(is_default=True)


class Pseud(models.Model):
    """A name a user writes under; works belong to pseuds, not to users."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pseuds"
    )
    name = models.CharField(_("name"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "user", name="pseud_name_per_user_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_default=True), name="one_default_pseud"
            ),
        ]

    def __str__(self) -> str:
        if self.name == self.user.username:
            return self.name
        return f"{self.name} ({self.user.username})"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return "fs_" + secrets.token_urlsafe(32)


class InvitationRequest(models.Model):
    """Someone asking to join an archive whose sign-up is by invitation; served oldest first."""

    email = models.EmailField(_("email"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.email


class Invitation(models.Model):
    """A code that lets one person create an account; used once."""

    code = models.CharField(max_length=100, unique=True)
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} ({self.code[:8]}…)"
