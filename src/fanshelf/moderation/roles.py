"""Who moderates: users whose role is moderator or admin (and superusers)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fanshelf.accounts.roles import has_role

MODERATING_ROLES = ("moderator", "admin")


def is_moderator(user) -> bool:
    """Whether ``user`` may use the moderation queue and act on reports."""
    return has_role(user, MODERATING_ROLES)


def require_moderator(user) -> None:
    """Raise ``PermissionDenied`` unless ``user`` is a moderator."""
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators can do that."))
