"""Write paths for accounts: users, their default pseud, sign-up, changes of
email and username, API tokens."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from fanshelf.accounts.confirmation import send_confirmation_email
from fanshelf.accounts.invitations import signup_by_invitation, usable_invitation
from fanshelf.accounts.models import ApiToken, Pseud, User

TOKEN_USE_RESOLUTION = timedelta(minutes=5)
ROLE_FLAGS = {
    User.Role.READER: {"is_staff": False, "is_superuser": False},
    User.Role.WRANGLER: {"is_staff": False, "is_superuser": False},
    User.Role.ARCHIVIST: {"is_staff": False, "is_superuser": False},
    User.Role.MODERATOR: {"is_staff": True, "is_superuser": False},
    User.Role.ADMIN: {"is_staff": True, "is_superuser": True},
}


@transaction.atomic
def create_user(
    *,
    username: str,
    email: str,
    password: str,
    role: str = User.Role.READER,
    email_confirmed: bool = False,
) -> User:
    """Create an account with its default pseud (named like the account).

    ``email_confirmed`` is for accounts an administrator makes (``fanshelf user add``,
    the demo): sign-up leaves it off and sends a link to confirm the address.

    Raises ``ValidationError`` (keyed by field) for a taken name, a bad email or a
    weak password, so a form, the API and a command report the same messages.
    """
    if role not in User.Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    user = User(
        username=username.strip(),
        email=email.strip(),
        role=role,
        email_confirmed=email_confirmed,
        **ROLE_FLAGS[role],
    )
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if username_taken(user.username):
        errors["username"] = [_("That username is taken.")]
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    Pseud.objects.create(user=user, name=user.username, is_default=True)
    return user


def username_taken(username: str, *, by_other_than: User | None = None) -> bool:
    """Whether ``username`` (any case) is used, or reserved for orphaned works."""
    if username.casefold() == settings.FANSHELF_ORPHAN_ACCOUNT.casefold():
        return True
    taken = User.objects.filter(username__iexact=username)
    if by_other_than is not None:
        taken = taken.exclude(pk=by_other_than.pk)
    return taken.exists()


@transaction.atomic
def sign_up(*, username: str, email: str, password: str, invitation_code: str = "") -> User:
    """Create a reader's account from the sign-up form and mail the confirmation link.

    When sign-up is by invitation, ``invitation_code`` must be an unused code; it is
    used up here, and an account made with the invited address starts confirmed.
    Every problem is reported at once, as a ``ValidationError`` keyed by field.
    """
    errors, invitation = {}, None
    if signup_by_invitation():
        try:
            invitation = usable_invitation(invitation_code)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        user = create_user(username=username, email=email, password=password)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if invitation is not None:
        invitation.used_by, invitation.used_at = user, timezone.now()
        invitation.save(update_fields=["used_by", "used_at"])
        if invitation.email.casefold() == user.email.casefold():
            user.email_confirmed = True
            user.save(update_fields=["email_confirmed"])
    if not user.email_confirmed:
        send_confirmation_email(user=user)
    return user


def _check_password(user: User, password: str) -> None:
    if not user.check_password(password or ""):
        raise ValidationError({"password": _("That is not your password.")})


@transaction.atomic
def change_email(*, user: User, password: str, email: str) -> None:
    """Give ``user`` a new address (after checking their password); it must be confirmed again."""
    _check_password(user, password)
    email = (email or "").strip()
    try:
        User._meta.get_field("email").run_validators(email)
        if not email:
            raise ValidationError(_("Type an email address."))
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    if email.casefold() == user.email.casefold():
        raise ValidationError({"email": _("That is already your email address.")})
    user.email, user.email_confirmed = email, False
    user.save(update_fields=["email", "email_confirmed"])
    send_confirmation_email(user=user)


@transaction.atomic
def change_username(*, user: User, username: str) -> None:
    """Rename ``user``; their default pseud follows if it was named like the account.

    Usernames are unique ignoring case; a user may change the case of their own.
    """
    username = (username or "").strip()
    field = User._meta.get_field("username")
    try:
        field.clean(username, user)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from None
    if username_taken(username, by_other_than=user):
        raise ValidationError({"username": _("That username is taken.")})
    old = user.username
    pseud = user.pseuds.filter(is_default=True, name__iexact=old).first()
    clash = user.pseuds.filter(name__iexact=username)
    if pseud is not None and not clash.exclude(pk=pseud.pk).exists():
        pseud.name = username
        pseud.save(update_fields=["name"])
        # Creator names are part of the search index.
        from fanshelf.discovery import search

        search.backend().index_works(pseud.creatorships.values_list("work_id", flat=True))
    user.username = username
    user.save(update_fields=["username"])


def issue_api_token(*, user: User) -> str:
    """Create an API token for ``user`` and return it; only its hash is kept."""
    raw_key = ApiToken.generate_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw_key), prefix=raw_key[:8])
    return raw_key


def user_for_token(raw_key: str) -> User | None:
    """The active user a bearer token belongs to, or None (also for a banned user).

    A suspended user's token still reads, as a suspended user's session does; the
    posting services refuse them (``moderation.standing``).
    """
    from fanshelf.moderation.models import Sanction
    from fanshelf.moderation.standing import active_sanction

    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw_key), user__is_active=True)
        .annotate(sanctioned=Sanction.any_in_force(OuterRef("user_id")))
        .first()
    )
    if token is None:
        return None
    token.user.sanctioned = token.sanctioned  # read once: the services ask again
    if token.sanctioned and (sanction := active_sanction(token.user)) and sanction.is_ban:
        return None
    # Record use at most every few minutes, so reads through the API stay reads.
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def pseud_for(user: User, pseud: Pseud | str | None, *, refusal: str) -> Pseud:
    """The pseud ``user`` acts as: theirs by name (any case) or object, else their default.

    Another user's pseud raises ``PermissionDenied(refusal)`` ("You can only post as one
    of your own pseuds."); a name they have no pseud for is a ``ValidationError`` on
    the "pseud" field.
    """
    if pseud is None or (isinstance(pseud, str) and not pseud.strip()):
        return user.default_pseud
    if isinstance(pseud, Pseud):
        if pseud.user_id != user.pk:
            from fanshelf.moderation.security import record_security_event

            record_security_event(
                kind="pseud_tampering", username=user.username, detail=f"pseud {pseud.pk}"
            )
            raise PermissionDenied(refusal)
        return pseud
    found = user.pseuds.filter(name__iexact=pseud.strip()).first()
    if found is None:
        raise ValidationError(
            {"pseud": _("You have no pseud called “%(name)s”.") % {"name": pseud}}
        )
    return found
