"""Write paths for accounts: users, their default pseud, API tokens."""

from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
def create_user(*, username: str, email: str, password: str, role: str = User.Role.READER) -> User:
    """Create an account with its default pseud (named like the account).

    Raises ``ValidationError`` (keyed by field) for a taken name, a bad email or a
    weak password, so a form, the API and a command report the same messages.
    """
    if role not in User.Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    user = User(username=username.strip(), email=email.strip(), role=role, **ROLE_FLAGS[role])
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if User.objects.filter(username__iexact=user.username).exists():
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


def issue_api_token(*, user: User) -> str:
    """Create an API token for ``user`` and return it; only its hash is kept."""
    raw_key = ApiToken.generate_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(raw_key), prefix=raw_key[:8])
    return raw_key


def user_for_token(raw_key: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw_key), user__is_active=True)
        .first()
    )
    if token is None:
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
            raise PermissionDenied(refusal)
        return pseud
    found = user.pseuds.filter(name__iexact=pseud.strip()).first()
    if found is None:
        raise ValidationError(
            {"pseud": _("You have no pseud called “%(name)s”.") % {"name": pseud}}
        )
    return found
