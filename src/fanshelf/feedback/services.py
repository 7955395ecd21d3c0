"""Write paths for feedback: post, edit, delete and approve comments; give kudos.

Every function checks that the acting person may do what it asks and runs in one
transaction, so a retry after a failure cannot count anything twice. Bad input
raises ``ValidationError`` keyed by form field ("body", "pseud", "guest_name",
"guest_email", "chapter", "parent", "__all__"); what a person may not do raises
``PermissionDenied`` with a sentence for them. The web pages and the API show the
same messages.

The work's ``comment_count`` (visible comments only) and ``kudos_count`` move with
``F()`` updates in the same transaction as the rows they count. ``comment_posted``
goes out after commit when a comment becomes visible (posted, or approved), and
``kudos_given`` when kudos are new.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fanshelf import text
from fanshelf.accounts.models import Pseud
from fanshelf.accounts.services import pseud_for
from fanshelf.core import ratelimit
from fanshelf.feedback import signals
from fanshelf.feedback.models import (
    COMMENT_MAX_LENGTH,
    GUEST_NAME_MAX_LENGTH,
    MAX_DEPTH,
    Comment,
    Kudos,
)
from fanshelf.feedback.spam import check_spam
from fanshelf.moderation.roles import is_moderator
from fanshelf.moderation.standing import require_good_standing
from fanshelf.muting.selectors import BLOCKED_FROM_COMMENTS, BLOCKED_FROM_KUDOS, is_blocked_from
from fanshelf.works.models import Chapter, Work
from fanshelf.works.selectors import visible_works
from fanshelf.works.services import is_creator
from fanshelf.works.signals import send_after_commit

NON_FIELD = "__all__"
# A paragraph that already starts with a block element is not wrapped in <p> again.
BLOCK_START = re.compile(r"^<(p|div|blockquote|ul|ol|h[1-6]|table|details|pre|hr)\b", re.IGNORECASE)


class RateLimited(ValidationError):
    """Too many comments or kudos in a short time (the API answers 429)."""

    def __init__(self, message: str):
        super().__init__({NON_FIELD: [message]})


def client_hash(client_ip: str) -> str:
    """A keyed hash of a client address: comparable, but not the address itself."""
    if not client_ip:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, client_ip.encode(), hashlib.sha256).hexdigest()


def guest_kudos_key(*, client_ip: str, session_key: str) -> str:
    """The key that tells one guest's kudos from another's: sha256 of address and session."""
    return hashlib.sha256(f"{client_ip}\0{session_key}".encode()).hexdigest()


def comment_html(value: str) -> str:
    """Sanitised HTML for a comment as typed: plain text, with or without HTML tags.

    Blank lines separate paragraphs and single newlines become ``<br>``, as in
    ``fanshelf.text.text_to_html``, but tags that readers type (``<em>``, links)
    are kept when the allow-list permits them, and a long one-line comment stays
    one paragraph. Everything else is escaped or dropped by ``sanitize_html``.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [part.strip() for part in re.split(r"\n[ \t]*\n", value) if part.strip()]
    html = "\n".join(
        part
        if BLOCK_START.match(part)
        else "<p>" + "<br>\n".join(line.strip() for line in part.split("\n")) + "</p>"
        for part in paragraphs
    )
    return text.sanitize_html(html)


def _clean_body(body: str) -> tuple[str, str]:
    """The typed text and its HTML, or a ValidationError saying what is wrong."""
    body = body or ""
    if len(body) > COMMENT_MAX_LENGTH:
        message = _(
            "A comment can be at most %(max)s characters long; yours has %(n)s. "
            "Please shorten it, or split it into two comments."
        ) % {"max": f"{COMMENT_MAX_LENGTH:,}", "n": f"{len(body):,}"}
        raise ValidationError({"body": message})
    html = comment_html(body)
    if not text.html_to_text(html).strip():
        raise ValidationError({"body": _("Please write something in your comment.")})
    return body.strip(), html


def _require_readable(work: Work, viewer) -> None:
    """Feedback goes only to posted works the viewer may read."""
    if not visible_works(viewer).filter(pk=work.pk).exists():
        raise PermissionDenied(_("This work does not exist, or you cannot see it."))
    if work.state != Work.State.POSTED:
        raise PermissionDenied(_("This work is not posted yet; feedback opens when it is."))


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def _require_comments_allowed(work: Work, user) -> None:
    policy = work.comment_policy
    if policy == Work.CommentPolicy.DISABLED:
        raise PermissionDenied(_("The creator has turned comments off on this work."))
    if policy == Work.CommentPolicy.REGISTERED and user is None:
        raise PermissionDenied(
            _("Only registered users can comment on this work. Please log in to comment.")
        )


def _commenter_pseud(user, pseud: Pseud | str | None) -> Pseud:
    refusal = _("You can only comment as one of your own pseuds.")
    try:
        return pseud_for(user, pseud, refusal=refusal)
    except PermissionDenied:
        # On the comment form this is a mistake in a field, not a forbidden page.
        raise ValidationError({"pseud": refusal}) from None


def _guest_identity(guest_name: str, guest_email: str) -> tuple[str, str]:
    errors = {}
    name = " ".join((guest_name or "").split())
    email = (guest_email or "").strip()
    if not name:
        errors["guest_name"] = _("Please give a name to show with your comment.")
    elif len(name) > GUEST_NAME_MAX_LENGTH:
        errors["guest_name"] = _("Your name can be at most %(max)d characters.") % {
            "max": GUEST_NAME_MAX_LENGTH
        }
    if not email:
        errors["guest_email"] = _("Please give your email address (it is never shown).")
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["guest_email"] = _("“%(email)s” is not an email address.") % {"email": email}
    if errors:
        raise ValidationError(errors)
    return name, email


def _parent_for_reply(work: Work, parent: Comment) -> Comment:
    # Locked (on PostgreSQL) so it cannot be deleted between this check and the reply.
    found = Comment.objects.select_for_update().filter(pk=parent.pk).first()
    if found is None or found.work_id != work.pk:
        raise ValidationError({"parent": _("The comment you reply to does not exist.")})
    if found.is_deleted:
        raise ValidationError({"parent": _("The comment you reply to was deleted.")})
    if not found.is_visible:
        raise ValidationError(
            {"parent": _("The comment you reply to is awaiting the creator's approval.")}
        )
    return found


def _check_rate(name: str, message: str, *keys: str) -> None:
    if not ratelimit.allow(name, *keys):
        raise RateLimited(message)


def _check_spam(body: str, *, user, guest_email: str) -> None:
    reason = check_spam(body, user=user, guest_email=guest_email)
    if reason:
        raise ValidationError(
            {
                "body": _("Your comment was not posted because it looks like spam: %(reason)s.")
                % {"reason": reason}
            }
        )


def _count_comment(work_id: int, change: int) -> None:
    Work.objects.filter(pk=work_id).update(comment_count=F("comment_count") + change)


@transaction.atomic
def post_comment(
    *,
    work: Work,
    chapter: Chapter | None = None,
    parent: Comment | None = None,
    user=None,
    pseud: Pseud | str | None = None,
    guest_name: str = "",
    guest_email: str = "",
    body: str,
    client_ip: str = "",
) -> Comment:
    """Post a comment on a work or one of its chapters, or a reply to a comment.

    Users comment as one of their pseuds (``pseud``: a Pseud or its name, the
    default pseud when empty); guests give ``guest_name`` and ``guest_email``,
    where the work's comment policy lets guests comment. A reply goes on the
    chapter of the comment it answers; replies deeper than five levels stay at the
    fifth. On a moderated work the comment is held until a creator approves it
    (the creators' own comments are not held). ``client_ip`` counts towards the
    rate limit and is stored only as a keyed hash.
    """
    user = _user_or_none(user)
    require_good_standing(user)
    _require_readable(work, user or AnonymousUser())
    _require_comments_allowed(work, user)
    if is_blocked_from(work=work, user=user):
        raise PermissionDenied(str(BLOCKED_FROM_COMMENTS))
    errors: dict = {}
    if parent is not None:
        try:
            parent = _parent_for_reply(work, parent)
            chapter = parent.chapter
        except ValidationError as error:
            errors.update(error.message_dict)
    elif chapter is not None and (
        chapter.work_id != work.pk or chapter.state != Chapter.State.POSTED
    ):
        errors["chapter"] = [_("This work has no such chapter.")]
    try:
        typed, html = _clean_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    commenter_pseud = None
    try:
        if user is not None:
            commenter_pseud = _commenter_pseud(user, pseud)
            guest_name = guest_email = ""
        else:
            guest_name, guest_email = _guest_identity(guest_name, guest_email)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    same_person = {"user": user} if user else {"user": None, "guest_email__iexact": guest_email}
    if (
        Comment.objects.filter(work=work, chapter=chapter, parent=parent, text=typed)
        .filter(**same_person)
        .exclude(state=Comment.State.DELETED)
        .exists()
    ):
        raise ValidationError({"body": _("You already posted this comment here.")})
    _check_rate(
        "comment",
        _(
            "You have posted several comments in a short time. Please wait a few "
            "minutes, then post this one again (your text is kept below)."
        ),
        f"user:{user.pk}" if user else "",
        f"ip:{client_ip}" if client_ip else "",
    )
    _check_spam(typed, user=user, guest_email=guest_email)

    by_creator = user is not None and is_creator(user, work)
    held = work.comment_policy == Work.CommentPolicy.MODERATED and not by_creator
    comment = Comment.objects.create(
        work=work,
        chapter=chapter,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=min(parent.depth + 1, MAX_DEPTH) if parent else 0,
        user=user,
        pseud=commenter_pseud,
        guest_name=guest_name,
        guest_email=guest_email,
        text=typed,
        body=html,
        state=Comment.State.HELD if held else Comment.State.VISIBLE,
        client_hash=client_hash(client_ip),
    )
    if not held:
        _count_comment(work.pk, +1)
        send_after_commit(signals.comment_posted, Comment, comment=comment)
    return comment


def _locked(comment: Comment) -> Comment | None:
    """The comment as stored now, locked for the rest of the transaction (PostgreSQL)."""
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("work")
        .filter(pk=comment.pk)
        .first()
    )


def can_edit(user, comment: Comment) -> bool:
    """Whether ``user`` may edit the comment: only its writer, while it is not deleted."""
    user = _user_or_none(user)
    return user is not None and comment.user_id == user.pk and not comment.is_deleted


def can_delete(user, comment: Comment, *, creator: bool | None = None) -> bool:
    """Whether ``user`` may delete the comment: its writer, or a creator of the work.

    ``creator`` says whether the user created the work, when the caller knows it.
    """
    user = _user_or_none(user)
    if user is None or comment.is_deleted:
        return False
    if comment.user_id == user.pk:
        return True
    return creator if creator is not None else is_creator(user, comment.work)


@transaction.atomic
def edit_comment(*, comment: Comment, user, body: str) -> Comment:
    """Replace the text of one's own comment; a changed text is marked as edited."""
    require_good_standing(user)
    stored = _locked(comment)
    if stored is None or stored.is_deleted:
        raise ValidationError({NON_FIELD: _("This comment was deleted.")})
    if not can_edit(user, stored):
        raise PermissionDenied(_("Only the person who wrote a comment can edit it."))
    _require_readable(stored.work, user)
    if is_blocked_from(work=stored.work, user=user):
        raise PermissionDenied(str(BLOCKED_FROM_COMMENTS))
    typed, html = _clean_body(body)
    if typed == stored.text:
        return stored
    _check_spam(typed, user=user, guest_email="")
    stored.text, stored.body, stored.edited_at = typed, html, timezone.now()
    stored.save(update_fields=["text", "body", "edited_at"])
    return stored


@transaction.atomic
def delete_comment(*, comment: Comment, user, by_moderator: bool = False) -> None:
    """Delete a comment, as its writer or as a creator of the work.

    ``by_moderator``: a moderator deletes it (``moderation.services.delete_comment``,
    which logs the action); the role is checked here too.

    A comment with replies stays in its thread as a "This comment was deleted."
    placeholder, its text wiped; one without replies disappears, and so do the
    placeholders above it that no longer have replies. Deleting twice is a no-op.
    """
    stored = _locked(comment)
    if stored is None or stored.is_deleted:
        return
    if not (can_delete(user, stored) or by_moderator and is_moderator(user)):
        raise PermissionDenied(
            _("Only the person who wrote a comment, or the work's creators, can delete it.")
        )
    was_visible = stored.is_visible
    if Comment.objects.filter(parent=stored).exists():
        stored.state = Comment.State.DELETED
        stored.text = stored.body = ""
        stored.save(update_fields=["state", "text", "body"])
    else:
        parent_id = stored.parent_id
        stored.delete()
        _remove_empty_placeholders(parent_id)
    if was_visible:
        _count_comment(stored.work_id, -1)


def _remove_empty_placeholders(comment_id: int | None) -> None:
    while comment_id is not None:
        placeholder = (
            Comment.objects.filter(pk=comment_id, state=Comment.State.DELETED)
            .only("pk", "parent_id")
            .first()
        )
        if placeholder is None or Comment.objects.filter(parent_id=comment_id).exists():
            return
        comment_id = placeholder.parent_id
        placeholder.delete()


@transaction.atomic
def approve_comment(*, comment: Comment, user) -> Comment:
    """Show a held comment on a moderated work; only the work's creators may."""
    stored = _locked(comment)
    if stored is None or stored.is_deleted:
        raise ValidationError({NON_FIELD: _("This comment was deleted.")})
    if not is_creator(user, stored.work):
        raise PermissionDenied(_("Only the work's creators can approve comments on it."))
    if stored.is_visible:
        return stored
    stored.state = Comment.State.VISIBLE
    stored.save(update_fields=["state"])
    _count_comment(stored.work_id, +1)
    send_after_commit(signals.comment_posted, Comment, comment=stored)
    return stored


@transaction.atomic
def give_kudos(*, work: Work, user=None, guest_key: str | None = None, client_ip: str = "") -> bool:
    """Leave kudos on a work, as a user or as a guest (``guest_kudos_key``).

    Returns True for new kudos, False when this person had already left kudos (a
    polite no-op: nothing is counted twice). Creators cannot leave kudos on their
    own work. ``client_ip`` counts towards the rate limit and is not stored.
    """
    user = _user_or_none(user)
    require_good_standing(user)
    if user is None and not guest_key:
        raise ValidationError({NON_FIELD: _("Kudos come from a user or a guest.")})
    _require_readable(work, user or AnonymousUser())
    if user is not None and is_creator(user, work):
        raise PermissionDenied(
            _("You can't leave kudos on your own work, but we're sure it's great!")
        )
    if is_blocked_from(work=work, user=user):
        raise PermissionDenied(str(BLOCKED_FROM_KUDOS))
    giver = {"user": user} if user is not None else {"guest_key": guest_key}
    if Kudos.objects.filter(work=work, **giver).exists():
        return False
    _check_rate(
        "kudos",
        _("You have left a lot of kudos in a short time. Please try again later."),
        f"user:{user.pk}" if user else f"guest:{guest_key}",
        f"ip:{client_ip}" if client_ip else "",
    )
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(work=work, **giver)
    except IntegrityError:
        # The same person's other request got there first.
        return False
    Work.objects.filter(pk=work.pk).update(kudos_count=F("kudos_count") + 1)
    send_after_commit(signals.kudos_given, Kudos, kudos=kudos)
    return True
