"""Whether a user may act: suspended and banned users may read but not post."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fanshelf.moderation.models import Sanction


def active_sanction(user) -> Sanction | None:
    """The sanction in force on ``user`` now (a ban before a suspension), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "sanctioned", None) is False:  # known when the user was loaded (core.auth)
        return None
    # "ban" sorts before "suspend"; among suspensions the longest comes first.
    return (
        Sanction.objects.filter(Sanction.in_force(), user=user)
        .order_by("kind", "-until", "-pk")
        .first()
    )


def standing_message(sanction: Sanction) -> str:
    """The sentence the sanctioned user reads, with the moderator's message."""
    if sanction.is_ban:
        return _("Your account is banned: %(message)s") % {"message": sanction.message}
    until = date_format(timezone.localtime(sanction.until), "j F Y, H:i")
    return _("Your account is suspended until %(date)s: %(message)s") % {
        "date": until,
        "message": sanction.message,
    }


def refuse_banned_login(user) -> None:
    """Raise the log-in form's ``ValidationError`` if ``user`` is banned (after the password)."""
    sanction = active_sanction(user)
    if sanction is not None and sanction.is_ban:
        raise ValidationError(standing_message(sanction), code="banned")


def require_good_standing(user) -> None:
    """Raise ``PermissionDenied`` with the moderator's message if ``user`` is sanctioned.

    Called at the top of every service that posts or changes content (works,
    chapters, comments, kudos, bookmarks, imports, reports). Guests pass.
    """
    sanction = active_sanction(user)
    if sanction is not None:
        raise PermissionDenied(standing_message(sanction))
