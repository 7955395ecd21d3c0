"""Archive migration, as the OTW's Open Doors does it for closing archives.

An archivist imports the works of a closing archive under their own account; each
work keeps the names (and emails) of its real creators as ``ExternalCreator``s and is
shown "by NAME [archived by ARCHIVIST]". A creator claims their works later: they ask
for a link at ``/claims/``, the archive emails a signed link to the address the works
were archived with, and whoever opens that link while logged in (the link is the
proof that they own the address) confirms, and the works move to their default pseud.
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fanshelf.accounts.models import User
from fanshelf.core import ratelimit
from fanshelf.core.tasks import archive_task
from fanshelf.discovery import search
from fanshelf.imports.models import ExternalCreator, ExternalCreatorship
from fanshelf.imports.readers import ImportedWork, ImportProblem
from fanshelf.imports.readers.base import decode
from fanshelf.imports.services import ImportDefaults, import_work
from fanshelf.works.models import Creatorship, Work

ARCHIVING_ROLES = (User.Role.ARCHIVIST, User.Role.ADMIN)
NAME_MAX_LENGTH = ExternalCreator._meta.get_field("name").max_length
CLAIM_SALT = "fanshelf.imports.claims"
DEFAULT_CLAIM_LINK_SECONDS = 7 * 86400
NON_FIELD = "__all__"


def can_archive(user) -> bool:
    """Whether ``user`` may import works on behalf of other creators."""
    return getattr(user, "is_authenticated", False) and user.role in ARCHIVING_ROLES


def _creator_names(imported: ImportedWork) -> list[str]:
    names = {}
    for name in imported.creators:
        name = " ".join(str(name).split())[:NAME_MAX_LENGTH]
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())


def _checked_email(email: str, *, name: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ImportProblem(
                _("“%(email)s” is not a valid email address (for %(name)s)")
                % {"email": email, "name": name}
            ) from None
    return email


def _external_creator(archivist: User, name: str, email: str) -> ExternalCreator:
    """The archivist's unclaimed creator of this name and email (any case), or a new one."""
    found = (
        ExternalCreator.objects.filter(
            archivist=archivist, name__iexact=name, email__iexact=email, claimed_by__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    return ExternalCreator.objects.create(name=name, email=email, archivist=archivist)


def archive_work(
    imported: ImportedWork,
    *,
    archivist: User,
    emails: Mapping[str, str] | None = None,
    pseud=None,
    as_draft: bool = False,
    defaults: ImportDefaults | None = None,
    show_source: bool = False,
) -> tuple[Work, bool]:
    """Import ``imported`` under ``archivist``'s account for the creators it names, and
    whether the work is new.

    ``emails`` maps a creator's name in lower case to their email, kept for the claim.
    Like ``import_work``, content the archivist already imported is returned as it is
    (an interrupted migration can be run again); the work, its import record and its
    external creators are written in one transaction. PermissionDenied unless
    ``archivist`` is an archivist or an admin; ImportProblem when the file names no
    creator or an email is not valid; ValidationError when the work cannot be posted.
    """
    if not can_archive(archivist):
        raise PermissionDenied(_("Only archivists can import works for other creators."))
    names = _creator_names(imported)
    if not names:
        raise ImportProblem(_("the file names no creator to archive it for"))
    emails = {key.strip().lower(): value for key, value in (emails or {}).items()}
    addresses = {name: _checked_email(emails.get(name.lower(), ""), name=name) for name in names}
    with transaction.atomic():
        work, created = import_work(
            imported,
            user=archivist,
            pseud=pseud,
            as_draft=as_draft,
            defaults=defaults,
            show_source=show_source,
        )
        # A work made by an earlier run already has its creators (or they claimed it).
        if created:
            for name in names:
                creator = _external_creator(archivist, name, addresses[name])
                ExternalCreatorship.objects.create(work=work, creator=creator)
            # Readers search for the names the old archive gave, not the archivist's.
            search.backend().index_works([work.pk])
    return work, created


def read_creator_emails(path: Path) -> dict[str, str]:
    """Creators' emails from a CSV file of ``name,email`` rows (a header row is
    optional), as ``{name in lower case: email}`` for ``archive_work``.

    ImportProblem naming the line for an invalid email, a row without both columns or
    a name listed twice with different emails; also for a file that cannot be read.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportProblem(_("cannot read it (%(reason)s)") % {"reason": error.strerror}) from None
    emails: dict[str, str] = {}
    reader = csv.reader(io.StringIO(decode(data)))
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            if reader.line_num == 1 and [cell.lower() for cell in cells] == ["name", "email"]:
                continue
            _add_email_row(emails, cells, reader.line_num)
    except csv.Error as error:
        raise ImportProblem(
            _("line %(line)d: not a CSV row (%(reason)s)")
            % {"line": reader.line_num, "reason": error}
        ) from None
    return emails


def _add_email_row(emails: dict[str, str], cells: list[str], line: int) -> None:
    if len(cells) != 2 or not cells[0]:
        raise ImportProblem(
            _("line %(line)d: expected a name and an email, separated by a comma") % {"line": line}
        )
    name, email = " ".join(cells[0].split()), cells[1]
    try:
        validate_email(email)
    except ValidationError:
        raise ImportProblem(
            _("line %(line)d: “%(email)s” is not a valid email address")
            % {"line": line, "email": email}
        ) from None
    known = emails.get(name.lower())
    if known is not None and known.lower() != email.lower():
        raise ImportProblem(
            _("line %(line)d: %(name)s is listed twice, with different emails")
            % {"line": line, "name": name}
        )
    emails[name.lower()] = email


# Claims ------------------------------------------------------------------------------


class ClaimLinkProblem(Exception):
    """A claim link that cannot be used; the message says why, for the page."""


class ClaimAlreadyUsed(ClaimLinkProblem):
    """A claim link whose works have all been claimed already."""

    def __init__(self, message: str = ""):
        super().__init__(message or _("These works have already been claimed."))


class ClaimRateLimited(ValidationError):
    """Too many claim links asked for in a short time."""

    def __init__(self, message: str):
        super().__init__({NON_FIELD: [message]})


@dataclass(frozen=True)
class ClaimLink:
    """What a signed claim link holds: the address it was sent to and the creators
    (ExternalCreator ids) archived with that address when it was sent."""

    email: str
    creator_ids: tuple[int, ...]


def claim_link_seconds() -> int:
    """How long a claim link stays valid (``settings.FANSHELF_CLAIM_LINK_SECONDS``)."""
    return int(getattr(settings, "FANSHELF_CLAIM_LINK_SECONDS", DEFAULT_CLAIM_LINK_SECONDS))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=CLAIM_SALT)


def unclaimed_creators(email: str):
    """The unclaimed external creators archived with ``email`` (any case) that still
    have works."""
    return (
        ExternalCreator.objects.filter(email__iexact=email.strip(), claimed_by__isnull=True)
        .filter(works__isnull=False)
        .distinct()
        .order_by("pk")
    )


def claim_token(email: str, creator_ids) -> str:
    """The signed, timestamped token of a claim link."""
    payload = {"email": email.strip().lower(), "creators": sorted(creator_ids)}
    return _signer().sign_object(payload, compress=True)


def read_claim_token(token: str) -> ClaimLink:
    """The claim link a token stands for; ClaimLinkProblem when it has expired or was
    changed (by a mail program that broke it, or by hand)."""
    try:
        payload = _signer().unsign_object(token, max_age=claim_link_seconds())
    except signing.SignatureExpired:
        raise ClaimLinkProblem(
            _("This claim link has expired. Ask for a new one; each link works for a week.")
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise ClaimLinkProblem(
            _(
                "This claim link is not valid: it may have been cut short. Copy the whole "
                "link from the email, or ask for a new one."
            )
        ) from None
    try:
        return ClaimLink(
            email=str(payload["email"]), creator_ids=tuple(int(i) for i in payload["creators"])
        )
    except (KeyError, TypeError, ValueError):
        raise ClaimLinkProblem(_("This claim link is not valid. Ask for a new one.")) from None


def claim_url(token: str) -> str:
    return settings.SITE_URL + reverse("claims:confirm", args=[token])


def request_claim(*, user: User, email: str) -> None:
    """Email a claim link to ``email`` if any unclaimed works were archived with it.

    The lookup and the email happen in a background task, so neither the answer nor
    the time it takes tells the person asking whether the address is known.
    ClaimRateLimited when ``user`` asked too often; ValidationError for an address
    that is not valid.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to claim works."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if not ratelimit.allow("claim", str(user.pk)):
        raise ClaimRateLimited(
            _("You asked for claim links too often. Please wait an hour and try again.")
        )
    transaction.on_commit(lambda: send_claim_link.enqueue(email))


@archive_task()
def send_claim_link(email: str) -> bool:
    """Email the claim link for ``email`` if it has unclaimed works; whether one was sent."""
    creators = list(unclaimed_creators(email))
    if not creators:
        return False
    context = {
        "names": sorted({creator.name for creator in creators}),
        "work_count": ExternalCreatorship.objects.filter(creator__in=creators).count(),
        "link": claim_url(claim_token(email, [creator.pk for creator in creators])),
        "days": max(1, round(claim_link_seconds() / 86400)),
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("imports/claims/email_subject.txt", context).split())
    body = render_to_string("imports/claims/email_body.txt", context)
    send_mail(subject, body, None, [email])
    return True


def claimable(link: ClaimLink) -> list[ExternalCreator]:
    """The creators a claim link can still claim (unclaimed, same address, with works)."""
    return list(
        ExternalCreator.objects.filter(
            pk__in=link.creator_ids, email__iexact=link.email, claimed_by__isnull=True
        )
        .filter(works__isnull=False)
        .distinct()
        .order_by("pk")
    )


def works_to_claim(creators: list[ExternalCreator]) -> list[Work]:
    """The works archived for these creators, by title."""
    return list(
        Work.objects.filter(external_creatorships__creator__in=creators)
        .distinct()
        .order_by("title", "pk")
    )


def claim_works(*, user: User, token: str) -> list[Work]:
    """Move the works archived for the link's creators to ``user``'s default pseud.

    Each work gets ``user``'s default pseud as a creator and loses its external
    creator; the archivist's creatorship goes once no unclaimed creator is left on the
    work. The creators are marked claimed by ``user``, and the works reindexed for
    search (creator names are indexed). All in one transaction.
    ClaimLinkProblem for an expired or changed link; ClaimAlreadyUsed for a used one.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to claim works."))
    link = read_claim_token(token)
    with transaction.atomic():
        creators = list(
            ExternalCreator.objects.select_for_update()
            .filter(pk__in=link.creator_ids, email__iexact=link.email, claimed_by__isnull=True)
            .order_by("pk")
        )
        shares = list(
            ExternalCreatorship.objects.filter(creator__in=creators).select_related("creator")
        )
        if not shares:
            raise ClaimAlreadyUsed()
        pseud = user.default_pseud
        work_ids = sorted({share.work_id for share in shares})
        for work_id in work_ids:
            _give_creatorship(work_id, pseud)
        ExternalCreatorship.objects.filter(pk__in=[share.pk for share in shares]).delete()
        for share in shares:
            _release_archivist(share.work_id, share.creator.archivist_id, keep_user=user.pk)
        ExternalCreator.objects.filter(pk__in=[c.pk for c in creators]).update(
            claimed_by=user, claimed_at=timezone.now()
        )
        search.backend().index_works(work_ids)
    return list(Work.objects.filter(pk__in=work_ids).order_by("title", "pk"))


def _give_creatorship(work_id: int, pseud) -> None:
    if Creatorship.objects.filter(work_id=work_id, pseud=pseud).exists():
        return
    first = Creatorship.objects.filter(work_id=work_id).order_by("position", "pk").first()
    Creatorship.objects.create(
        work_id=work_id, pseud=pseud, position=first.position if first else 0
    )


def _release_archivist(work_id: int, archivist_id: int | None, *, keep_user: int) -> None:
    """The archivist stops being a creator of the work once every creator claimed it."""
    if archivist_id is None or archivist_id == keep_user:
        return
    if ExternalCreatorship.objects.filter(
        work_id=work_id, creator__archivist_id=archivist_id
    ).exists():
        return
    Creatorship.objects.filter(work_id=work_id, pseud__user_id=archivist_id).delete()
