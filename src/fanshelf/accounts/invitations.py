"""Sign-up by invitation: a queue of requests, served oldest first within a daily quota.

With ``settings.FANSHELF_SIGNUP == "invitation"`` a new account needs an unused
invitation code. Codes are random and signed (a mistyped or forged code is refused
before the database is asked) and are kept in ``Invitation`` until used once.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fanshelf.accounts.emails import send_account_email
from fanshelf.accounts.models import Invitation, InvitationRequest, User

SALT = "fanshelf.accounts.invitation"
QUOTA_PERIOD = timedelta(days=1)


def signup_by_invitation() -> bool:
    return settings.FANSHELF_SIGNUP == "invitation"


def new_code() -> str:
    return signing.Signer(salt=SALT).sign(secrets.token_urlsafe(18))


def request_invitation(*, email: str) -> None:
    """Put ``email`` in the queue, unless it is queued already or has an account.

    The caller answers the same in every case, so the form reveals no accounts.
    """
    email = email.strip()
    if User.objects.filter(email__iexact=email).exists():
        return
    if InvitationRequest.objects.filter(email__iexact=email).exists():
        return
    InvitationRequest.objects.create(email=email)


@transaction.atomic
def send_invitations(*, quota: int | None = None) -> int:
    """Invite the oldest waiting requests, at most ``quota`` in any 24 hours; return how many.

    ``quota`` defaults to ``settings.FANSHELF_INVITATIONS_PER_DAY``. Running the
    command more than once a day never sends more than the quota.
    """
    quota = settings.FANSHELF_INVITATIONS_PER_DAY if quota is None else quota
    now = timezone.now()
    sent_lately = InvitationRequest.objects.filter(invited_at__gt=now - QUOTA_PERIOD).count()
    room = max(quota - sent_lately, 0)
    waiting = list(
        InvitationRequest.objects.select_for_update().filter(invited_at__isnull=True)[:room]
    )
    for request in waiting:
        invitation = Invitation.objects.create(code=new_code(), email=request.email)
        request.invited_at = now
        request.save(update_fields=["invited_at"])
        _mail_invitation(invitation)
    return len(waiting)


def _mail_invitation(invitation: Invitation) -> None:
    context = {
        "code": invitation.code,
        "path": reverse("sign_up") + "?" + urlencode({"code": invitation.code}),
    }
    transaction.on_commit(
        lambda: send_account_email(to=invitation.email, template="invitation", context=context)
    )


def usable_invitation(code: str) -> Invitation:
    """The unused invitation with this code, locked for use; ``ValidationError`` otherwise."""
    code = (code or "").strip()
    if not code:
        raise ValidationError(
            {"invitation_code": _("Sign-up is by invitation: type your invitation code.")}
        )
    try:
        signing.Signer(salt=SALT).unsign(code)
    except signing.BadSignature:
        raise ValidationError(
            {"invitation_code": _("That invitation code is not valid.")}
        ) from None
    invitation = Invitation.objects.select_for_update().filter(code=code).first()
    if invitation is None:
        raise ValidationError({"invitation_code": _("That invitation code is not valid.")})
    if invitation.used_at is not None:
        raise ValidationError({"invitation_code": _("That invitation code was already used.")})
    return invitation
