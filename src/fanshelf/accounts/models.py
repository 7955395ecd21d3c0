import hashlib
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
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


def icon_path(pseud, filename: str) -> str:
    """Where an icon is stored: a random name, never the uploaded file's (icons are PNGs)."""
    return str(PurePosixPath("icons") / f"{secrets.token_hex(16)}.png")


class Pseud(models.Model):
    """A name a user writes under; works belong to pseuds, not to users."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pseuds"
    )
    name = models.CharField(_("name"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # A 100×100 PNG re-encoded by accounts.icons (no metadata of the upload survives).
    icon = models.ImageField(_("icon"), upload_to=icon_path, blank=True)
    icon_alt = models.CharField(_("icon description"), max_length=250, blank=True)

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

    @property
    def icon_description(self) -> str:
        """The icon's alt text: the owner's words, else "<name>'s icon"."""
        return self.icon_alt or _("%(name)s’s icon") % {"name": self.name}


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


class Profile(models.Model):
    """What a user says about themselves on their profile page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # Sanitised HTML (fanshelf.text.sanitize_html).
    about = models.TextField(_("about"), blank=True)
    # When the user joined: a profile is made on the first edit, dated from the account.
    created = models.DateTimeField(_("joined"), default=timezone.now)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class ProfileLink(models.Model):
    """A link from a profile to the user elsewhere: a handle on a known site, or a URL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile_links"
    )
    # A key of accounts.links.SITES.
    site = models.CharField(_("site"), max_length=20)
    handle_or_url = models.CharField(_("name or address"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.site}: {self.handle_or_url}"


class CoCreatorInvitation(models.Model):
    """A creator's offer to credit another user's pseud on a work, waiting for their yes.

    Nobody is credited on a work without consenting: the Creatorship is made only
    when the invited user accepts (``accounts.cocreators``).
    """

    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="co_creator_invitations"
    )
    pseud = models.ForeignKey(
        Pseud, on_delete=models.CASCADE, related_name="co_creator_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="one_invitation_per_pseud")
        ]

    def __str__(self) -> str:
        return f"{self.pseud} invited to {self.work}"
