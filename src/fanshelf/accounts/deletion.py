"""Deleting an account, with its works orphaned (kept) or deleted.

Orphaned works keep their text, comments and kudos; their creator becomes the
pseud of one shared account (``settings.FANSHELF_ORPHAN_ACCOUNT``, created on
demand, with no usable password so nobody can log in as it).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanshelf.accounts.models import Pseud, User
from fanshelf.discovery import search
from fanshelf.works import services as works_services
from fanshelf.works.models import Creatorship, Work

ORPHAN = "orphan"
DELETE = "delete"
WORK_CHOICES = [
    (ORPHAN, gettext_lazy("Orphan my works: keep them on the archive without my name")),
    (DELETE, gettext_lazy("Delete my works (works shared with co-creators stay, without me)")),
]


def orphan_pseud() -> Pseud:
    """The pseud orphaned works are moved to; its account is made the first time."""
    name = settings.FANSHELF_ORPHAN_ACCOUNT
    account = User.objects.filter(username__iexact=name).first()
    if account is None:
        account = User(username=name, email="", email_confirmed=True)
        account.set_unusable_password()
        account.save()
    elif account.has_usable_password():
        # A person owns that name: never hand them other people's works.
        raise ImproperlyConfigured(f"The orphan account {name!r} belongs to someone who logs in.")
    pseud, _created = Pseud.objects.get_or_create(
        user=account, is_default=True, defaults={"name": account.username}
    )
    return pseud


@transaction.atomic
def delete_account(*, user: User, password: str, works: str) -> None:
    """Delete ``user`` after checking ``password``; ``works`` is ``"orphan"`` or ``"delete"``.

    Everything happens in one transaction: the works are moved or deleted, the
    account and what hangs on it (pseuds, bookmarks, history…) are deleted, and the
    search index is brought up to date. Their comments stay, without a name.
    """
    errors = {}
    if not user.check_password(password or ""):
        errors["password"] = [_("That is not your password.")]
    if works not in (ORPHAN, DELETE):
        errors["works"] = [_("Choose what happens to your works.")]
    if errors:
        raise ValidationError(errors)
    if user.username.casefold() == settings.FANSHELF_ORPHAN_ACCOUNT.casefold():
        raise PermissionDenied(_("The orphan account cannot be deleted."))
    own = Creatorship.objects.filter(pseud__user=user).order_by("work_id", "position", "pk")
    work_ids = set(own.values_list("work_id", flat=True))
    shared_ids = set(
        Creatorship.objects.filter(work_id__in=work_ids)
        .exclude(pseud__user=user)
        .values_list("work_id", flat=True)
    )
    if works == DELETE:
        for work in Work.objects.filter(pk__in=work_ids - shared_ids):
            works_services.delete_work(user=user, work=work)
        reindex = shared_ids
    else:
        _orphan(own, orphan_pseud(), work_ids)
        reindex = work_ids
    user.delete()
    search.backend().index_works(reindex)


def _orphan(creatorships, orphan: Pseud, work_ids: set[int]) -> None:
    # One orphan creatorship per work, in the place of the user's first pseud on it;
    # the user's other pseuds on the same work go with the account.
    taken = set(
        Creatorship.objects.filter(pseud=orphan, work_id__in=work_ids).values_list(
            "work_id", flat=True
        )
    )
    for creatorship in creatorships:
        if creatorship.work_id in taken:
            continue
        creatorship.pseud = orphan
        creatorship.save(update_fields=["pseud"])
        taken.add(creatorship.work_id)
