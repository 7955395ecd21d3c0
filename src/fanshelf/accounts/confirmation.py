"""Email confirmation: a signed, timed link mailed to the address to confirm.

The link carries the user id and the address itself, so changing the email makes
older links useless. Lifetime: ``settings.FANSHELF_EMAIL_CONFIRM_SECONDS``.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from fanshelf.accounts.emails import send_account_email
from fanshelf.accounts.models import User

SALT = "fanshelf.accounts.confirm-email"


def confirmation_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=SALT, compress=True)


def send_confirmation_email(*, user: User) -> None:
    """Mail ``user`` a link confirming their current address (once the transaction commits)."""
    token = confirmation_token(user)
    context = {
        "user": user,
        "path": reverse("account:confirm_email", args=[token]),
        "hours": settings.FANSHELF_EMAIL_CONFIRM_SECONDS // 3600,
    }
    transaction.on_commit(
        lambda: send_account_email(to=user.email, template="confirm_email", context=context)
    )


@transaction.atomic
def confirm_email(*, token: str) -> User:
    """Mark the address in ``token`` as confirmed and return its user.

    A tampered or expired link, or one for an address the account no longer has,
    raises ``ValidationError``.
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.FANSHELF_EMAIL_CONFIRM_SECONDS)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This confirmation link has expired. Log in and ask for a new one.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not valid.")) from None
    user = User.objects.select_for_update().filter(pk=data.get("user"), is_active=True).first()
    if user is None or user.email.casefold() != str(data.get("email", "")).casefold():
        raise ValidationError(
            _("This confirmation link is for an address the account no longer uses.")
        )
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
    return user
