"""Co-creators by consent: a creator invites another user's pseud; it is credited only
when that user accepts.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from fanshelf.accounts.models import CoCreatorInvitation, User


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def check_creator(user, work) -> None:
    """Raise ``PermissionDenied`` unless ``user`` is credited on ``work``."""
    from fanshelf.works.models import Creatorship

    if not _signed_in(user) or not Creatorship.objects.filter(work=work, pseud__user=user).exists():
        raise PermissionDenied(_("Only the work's creators can invite co-creators."))


@transaction.atomic
def invite_co_creator(
    *, user: User, work, username: str, pseud_name: str = ""
) -> CoCreatorInvitation:
    """Invite ``username``'s pseud (their default one if ``pseud_name`` is empty) to be
    credited on ``work``; only a creator of the work may.

    Nothing is credited here: the invited user accepts or declines. Errors are a
    ``ValidationError`` on "username" or "pseud"; a user who blocks the inviter
    cannot be invited, and the message does not say why.
    """
    from fanshelf.muting.models import Block
    from fanshelf.works.models import Creatorship

    check_creator(user, work)
    username, pseud_name = (username or "").strip(), (pseud_name or "").strip()
    invitee = User.objects.filter(username__iexact=username, is_active=True).first()
    if not username or invitee is None:
        raise ValidationError(
            {"username": [_("There is no user called “%(name)s”.") % {"name": username}]}
        )
    if invitee.pk == user.pk:
        raise ValidationError({"username": [_("You are already a creator of this work.")]})
    if Block.objects.filter(user=invitee, blocked=user).exists():
        raise ValidationError({"username": [_("You cannot invite this user.")]})
    pseuds = invitee.pseuds.all()
    pseud = (
        pseuds.filter(name__iexact=pseud_name).first()
        if pseud_name
        else pseuds.filter(is_default=True).first()
    )
    if pseud is None:
        raise ValidationError(
            {
                "pseud": [
                    _("%(user)s has no pseud called “%(name)s”.")
                    % {"user": invitee.username, "name": pseud_name}
                ]
            }
        )
    if Creatorship.objects.filter(work=work, pseud__user=invitee).exists():
        raise ValidationError(
            {
                "username": [
                    _("%(user)s is already a creator of this work.") % {"user": invitee.username}
                ]
            }
        )
    invitation, created = CoCreatorInvitation.objects.get_or_create(
        work=work, pseud=pseud, defaults={"invited_by": user}
    )
    if not created:
        raise ValidationError({"pseud": [_("%(name)s is already invited.") % {"name": pseud.name}]})
    return invitation


def _own_invitation(user, invitation: CoCreatorInvitation) -> CoCreatorInvitation:
    if not _signed_in(user):
        raise PermissionDenied(_("This invitation is not yours."))
    found = (
        CoCreatorInvitation.objects.select_for_update()
        .select_related("pseud", "work")
        .filter(pk=invitation.pk)
        .first()
    )
    if found is None:
        raise ValidationError(
            {"invitation": [_("This invitation was withdrawn or already answered.")]}
        )
    if found.pseud.user_id != user.pk:
        raise PermissionDenied(_("This invitation is not yours."))
    return found


@transaction.atomic
def accept_invitation(*, user: User, invitation: CoCreatorInvitation):
    """Credit the invited pseud on the work, after its creators; returns the Creatorship."""
    from fanshelf.discovery import search
    from fanshelf.works.models import Creatorship

    invitation = _own_invitation(user, invitation)
    work = invitation.work
    last = Creatorship.objects.filter(work=work).aggregate(last=Max("position"))["last"]
    creatorship, _created = Creatorship.objects.get_or_create(
        work=work, pseud=invitation.pseud, defaults={"position": (last or 0) + 1}
    )
    invitation.delete()
    search.backend().index_works([work.pk])
    return creatorship


@transaction.atomic
def decline_invitation(*, user: User, invitation: CoCreatorInvitation) -> None:
    """Say no: the invitation goes and nothing is credited."""
    _own_invitation(user, invitation).delete()


def pending_invitations(user: User) -> QuerySet[CoCreatorInvitation]:
    """The invitations waiting for ``user``'s answer, newest first."""
    return CoCreatorInvitation.objects.filter(pseud__user=user).select_related(
        "work", "pseud", "invited_by"
    )


def invitations_for_work(work) -> QuerySet[CoCreatorInvitation]:
    """The invitations a work's creators sent that are not answered yet."""
    return CoCreatorInvitation.objects.filter(work=work).select_related("pseud__user")
