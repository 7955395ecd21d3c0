"""Write paths for pseuds: the names a user writes under, their icons, the default one.

Every service takes the acting ``user`` and refuses (``PermissionDenied``) to touch a
pseud that is not theirs; bad input is a ``ValidationError`` keyed by field.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fanshelf.accounts.icons import icon_from_upload
from fanshelf.accounts.models import Pseud, User
from fanshelf.text import sanitize_html

NAME_MAX_LENGTH = 40
DESCRIPTION_MAX_LENGTH = 5000
ICON_ALT_MAX_LENGTH = 250


def _check_owner(user: User, pseud: Pseud) -> None:
    if not getattr(user, "is_authenticated", False) or pseud.user_id != user.pk:
        raise PermissionDenied(_("You can only change your own pseuds."))


def _clean_name(user: User, name: str, *, pseud: Pseud | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Type a name for the pseud.")]})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": [_("A pseud name may be at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}]}
        )
    # Names are part of addresses (/users/<name>/pseuds/<pseud>/works/).
    if "/" in name or any(not ch.isprintable() for ch in name):
        raise ValidationError(
            {"name": [_("A pseud name may not contain “/” or control characters.")]}
        )
    if not name.strip("."):
        # Browsers read "." and ".." in an address as "here" and "up".
        raise ValidationError({"name": [_("A pseud name needs a letter or a digit.")]})
    taken = user.pseuds.filter(name__iexact=name)
    if pseud is not None:
        taken = taken.exclude(pk=pseud.pk)
    if taken.exists():
        raise ValidationError(
            {"name": [_("You already have a pseud called “%(name)s”.") % {"name": name}]}
        )
    return name


def _clean_texts(description: str, icon_alt: str) -> tuple[str, str]:
    errors = {}
    if len(description or "") > DESCRIPTION_MAX_LENGTH:
        errors["description"] = [
            _("A description may be at most %(n)d characters.") % {"n": DESCRIPTION_MAX_LENGTH}
        ]
    icon_alt = " ".join((icon_alt or "").split())
    if len(icon_alt) > ICON_ALT_MAX_LENGTH:
        errors["icon_alt"] = [
            _("An icon description may be at most %(n)d characters.") % {"n": ICON_ALT_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    return sanitize_html(description or ""), icon_alt


def _save_icon(pseud: Pseud, icon) -> None:
    """Store the re-encoded icon under a new random name; the old file goes after commit."""
    old = pseud.icon.name if pseud.icon else ""
    pseud.icon.save("icon.png", icon_from_upload(icon), save=False)
    if old:
        _delete_file_on_commit(old)


def _delete_file_on_commit(name: str) -> None:
    storage = Pseud._meta.get_field("icon").storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def create_pseud(
    *, user: User, name: str, description: str = "", icon=None, icon_alt: str = ""
) -> Pseud:
    """Give ``user`` a new pseud, at most ``FANSHELF_MAX_PSEUDS`` in all.

    ``description`` is sanitised HTML; ``icon`` an uploaded image (see accounts.icons).
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to make a pseud."))
    # Lock the account row so two requests at once cannot pass the limit together.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.pseuds.count() >= settings.FANSHELF_MAX_PSEUDS:
        raise ValidationError(
            {
                "name": [
                    _("You may have at most %(n)d pseuds.") % {"n": settings.FANSHELF_MAX_PSEUDS}
                ]
            }
        )
    name = _clean_name(user, name)
    description, icon_alt = _clean_texts(description, icon_alt)
    pseud = Pseud(user=user, name=name, description=description, icon_alt=icon_alt)
    if icon:
        _save_icon(pseud, icon)
    try:
        with transaction.atomic():
            pseud.save()
    except IntegrityError:
        raise ValidationError(
            {"name": [_("You already have a pseud called “%(name)s”.") % {"name": name}]}
        ) from None
    return pseud


@transaction.atomic
def edit_pseud(
    *,
    user: User,
    pseud: Pseud,
    name: str,
    description: str = "",
    icon=None,
    icon_alt: str = "",
    remove_icon: bool = False,
) -> Pseud:
    """Rename and describe one of ``user``'s pseuds, change or remove its icon.

    A new name is written into the search rows of the pseud's works.
    """
    _check_owner(user, pseud)
    errors = {}
    try:
        name = _clean_name(user, name, pseud=pseud)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        description, icon_alt = _clean_texts(description, icon_alt)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    renamed = name != pseud.name
    pseud.name, pseud.description, pseud.icon_alt = name, description, icon_alt
    if icon:
        _save_icon(pseud, icon)
    elif remove_icon and pseud.icon:
        _delete_file_on_commit(pseud.icon.name)
        pseud.icon = ""
    pseud.save()
    if renamed:
        _reindex(pseud.creatorships.values_list("work_id", flat=True))
    return pseud


@transaction.atomic
def make_default(*, user: User, pseud: Pseud) -> Pseud:
    """Make ``pseud`` the one ``user`` posts, comments and bookmarks as unless they choose."""
    _check_owner(user, pseud)
    Pseud.objects.filter(user=user, is_default=True).exclude(pk=pseud.pk).update(is_default=False)
    Pseud.objects.filter(pk=pseud.pk).update(is_default=True)
    pseud.is_default = True
    return pseud


@transaction.atomic
def delete_pseud(*, user: User, pseud: Pseud) -> Pseud:
    """Delete a pseud that is not the default; its works, bookmarks and comments move
    to the default pseud. Returns the default pseud.

    On a work both pseuds co-created, the deleted pseud's credit is dropped.
    """
    from fanshelf.bookmarks.models import Bookmark
    from fanshelf.feedback.models import Comment
    from fanshelf.works.models import Creatorship

    _check_owner(user, pseud)
    pseud = Pseud.objects.select_for_update().get(pk=pseud.pk)
    if pseud.is_default:
        raise ValidationError(
            {
                "pseud": [
                    _("Your default pseud cannot be deleted: make another one the default first.")
                ]
            }
        )
    default = user.pseuds.get(is_default=True)
    moved = list(pseud.creatorships.values_list("work_id", flat=True))
    already = set(
        Creatorship.objects.filter(pseud=default, work_id__in=moved).values_list(
            "work_id", flat=True
        )
    )
    pseud.creatorships.filter(work_id__in=already).delete()
    pseud.creatorships.update(pseud=default)
    Bookmark.objects.filter(pseud=pseud).update(pseud=default)
    Comment.objects.filter(pseud=pseud).update(pseud=default)
    if pseud.icon:
        _delete_file_on_commit(pseud.icon.name)
    pseud.delete()
    _reindex(moved)
    return default


def _reindex(work_ids) -> None:
    # Creator names are part of the search index.
    from fanshelf.discovery import search

    search.backend().index_works(list(work_ids))
