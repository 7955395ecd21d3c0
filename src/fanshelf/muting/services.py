"""Write paths for muting and blocking: mute, unmute, block, unblock.

Each takes the acting ``user`` and the ``target`` user as keyword arguments, runs
in one transaction and is safe to repeat: muting someone already muted (or
unmuting someone who is not) changes nothing and returns False. How many people
one user may mute or block is capped by ``FANSHELF_MUTE_LIMIT`` and
``FANSHELF_BLOCK_LIMIT`` (settings), so the lists stay cheap to apply to every page.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fanshelf.muting.models import Block, Mute
from fanshelf.muting.selectors import forget_cached

NON_FIELD = "__all__"


def _require_user(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to mute or block other users."))


def _add(model, *, user, target, field: str, limit: int, messages: dict) -> bool:
    _require_user(user)
    if target.pk == user.pk:
        raise ValidationError({NON_FIELD: messages["self"]})
    existing = model.objects.filter(user=user)
    if existing.filter(**{field: target}).exists():
        return False
    if existing.count() >= limit:
        raise ValidationError({NON_FIELD: messages["limit"] % {"max": f"{limit:,}"}})
    try:
        with transaction.atomic():
            model.objects.create(user=user, **{field: target})
    except IntegrityError:
        # The same person's other request got there first.
        return False
    finally:
        forget_cached(user)
    return True


def _remove(model, *, user, target, field: str) -> bool:
    _require_user(user)
    deleted, _rows = model.objects.filter(user=user, **{field: target}).delete()
    forget_cached(user)
    return bool(deleted)


@transaction.atomic
def mute(*, user, target) -> bool:
    """Mute ``target`` for ``user``: True if newly muted, False if they already were.

    Muting is private: ``target`` is not told, and only ``user``'s pages change.
    """
    return _add(
        Mute,
        user=user,
        target=target,
        field="muted",
        limit=settings.FANSHELF_MUTE_LIMIT,
        messages={
            "self": _("You cannot mute yourself."),
            "limit": _(
                "You already mute %(max)s users, the most the archive allows. "
                "Unmute someone on your muting page first."
            ),
        },
    )


@transaction.atomic
def unmute(*, user, target) -> bool:
    """Stop muting ``target``: True if they were muted, False if they were not."""
    return _remove(Mute, user=user, target=target, field="muted")


@transaction.atomic
def block(*, user, target) -> bool:
    """Block ``target`` from commenting on, replying within and giving kudos to
    ``user``'s works: True if newly blocked, False if they already were.
    """
    return _add(
        Block,
        user=user,
        target=target,
        field="blocked",
        limit=settings.FANSHELF_BLOCK_LIMIT,
        messages={
            "self": _("You cannot block yourself."),
            "limit": _(
                "You already block %(max)s users, the most the archive allows. "
                "Unblock someone on your muting page first."
            ),
        },
    )


@transaction.atomic
def unblock(*, user, target) -> bool:
    """Lift a block: True if ``target`` was blocked, False if they were not."""
    return _remove(Block, user=user, target=target, field="blocked")
