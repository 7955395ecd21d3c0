"""Write paths of moderation: reports, and what moderators do about them.

Every moderator action checks the role here (``PermissionDenied`` for anyone else)
and writes its ``ModerationAction`` row in the same transaction as the change, so
the log never misses an action and never shows one that did not happen.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanshelf.core import ratelimit
from fanshelf.moderation.models import (
    DETAILS_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    ModerationAction,
    Report,
    Sanction,
    WorkHiding,
)
from fanshelf.moderation.roles import is_moderator, require_moderator
from fanshelf.moderation.standing import require_good_standing
from fanshelf.works.models import Work

SUSPENSION_DAYS = (1, 365)


class TooManyReports(ValidationError):
    """The reporter sent more reports than ``RATE_LIMITS["report"]`` allows."""


def describe(kind: str, target) -> str:
    """A short text naming a target, kept in reports and the log after it is gone."""
    if kind == Report.Kind.WORK:
        text = _("Work %(id)s “%(title)s”") % {"id": target.pk, "title": target.title}
    elif kind == Report.Kind.COMMENT:
        text = _("Comment %(id)s on work %(work)s") % {"id": target.pk, "work": target.work_id}
    elif kind == Report.Kind.USER:
        text = _("User %(name)s") % {"name": target.username}
    else:
        text = _("Bookmark %(id)s by %(name)s") % {"id": target.pk, "name": target.user}
    return text[:300]


def _log(*, moderator, kind: str, target: str, reason: str = "", report=None) -> ModerationAction:
    return ModerationAction.objects.create(
        moderator=moderator,
        kind=kind,
        target_description=target[:300],
        reason=reason,
        report=report,
    )


def _required_text(value: str, field: str, message: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("Please keep it under %(n)s characters.") % {"n": f"{max_length:,}"}}
        )
    return value


@transaction.atomic
def report(
    *,
    kind: str,
    target,
    reason: str,
    details: str = "",
    reporter=None,
    reporter_email: str = "",
    client_ip: str = "",
) -> Report:
    """File a report of ``target`` (a Work, Comment, User or Bookmark, by ``kind``).

    The caller has checked that the reporter may see the target. Users report as
    themselves; guests give an email. Limited by ``RATE_LIMITS["report"]`` per user,
    or per address for guests (``TooManyReports``). Moderators are not emailed:
    the report waits in the queue.
    """
    reporter = reporter if getattr(reporter, "is_authenticated", False) else None
    require_good_standing(reporter)
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": _("This cannot be reported.")})
    errors: dict = {}
    if reason not in Report.Reason.values:
        errors["reason"] = [_("Choose a reason.")]
    details = (details or "").strip()
    if len(details) > DETAILS_MAX_LENGTH:
        errors["details"] = [
            _("Please keep the details under %(n)s characters.") % {"n": f"{DETAILS_MAX_LENGTH:,}"}
        ]
    email = ""
    if reporter is None:
        email = (reporter_email or "").strip()
        try:
            if not email:
                raise ValidationError("")
            validate_email(email)
        except ValidationError:
            errors["reporter_email"] = [_("Give an email address so we can reach you.")]
    if errors:
        raise ValidationError(errors)
    key = f"user:{reporter.pk}" if reporter else f"ip:{client_ip}"
    if not ratelimit.allow("report", key):
        raise TooManyReports(
            {
                "__all__": _(
                    "You have sent many reports in a short time. Please wait an hour, "
                    "then send this one again (your text is kept below)."
                )
            }
        )
    return Report.objects.create(
        kind=kind,
        **{kind: target},
        target_description=describe(kind, target),
        reason=reason,
        details=details,
        reporter=reporter,
        reporter_email=email,
    )


def _locked_report(report_obj: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report_obj.pk)


@transaction.atomic
def assign(*, moderator, report: Report, assignee=None) -> Report:
    """Assign a report to ``assignee`` (a moderator; ``moderator`` themselves by default)."""
    require_moderator(moderator)
    assignee = assignee or moderator
    if not is_moderator(assignee):
        raise ValidationError({"assignee": _("Reports can only be assigned to moderators.")})
    stored = _locked_report(report)
    if stored.status == Report.Status.RESOLVED:
        raise ValidationError({"__all__": _("This report is already resolved.")})
    stored.assignee, stored.status = assignee, Report.Status.ASSIGNED
    stored.save(update_fields=["assignee", "status"])
    _log(
        moderator=moderator,
        kind=ModerationAction.Kind.ASSIGN,
        target=stored.target_description,
        reason=_("Assigned to %(name)s") % {"name": assignee.username},
        report=stored,
    )
    return stored


@transaction.atomic
def resolve(*, moderator, report: Report, note: str) -> Report:
    """Close a report with a note saying what was done (required)."""
    require_moderator(moderator)
    note = _required_text(note, "note", _("Say how the report was resolved."), DETAILS_MAX_LENGTH)
    stored = _locked_report(report)
    if stored.status == Report.Status.RESOLVED:
        raise ValidationError({"__all__": _("This report is already resolved.")})
    stored.status, stored.resolution = Report.Status.RESOLVED, note
    stored.resolved_by, stored.resolved_at = moderator, timezone.now()
    stored.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    _log(
        moderator=moderator,
        kind=ModerationAction.Kind.RESOLVE,
        target=stored.target_description,
        reason=note,
        report=stored,
    )
    return stored


def _reindex(work: Work) -> None:
    from fanshelf.discovery import search

    search.backend().index_works([work.pk])


@transaction.atomic
def hide_work(*, moderator, work: Work, message: str, report: Report | None = None) -> Work:
    """Hide a work from everyone but its creators, who see ``message``; unhide restores it."""
    require_moderator(moderator)
    message = _required_text(
        message, "message", _("Tell the creators why the work is hidden."), MESSAGE_MAX_LENGTH
    )
    work = Work.objects.select_for_update().get(pk=work.pk)
    if work.state == Work.State.HIDDEN:
        raise ValidationError({"__all__": _("This work is already hidden.")})
    WorkHiding.objects.update_or_create(
        work=work,
        defaults={"previous_state": work.state, "message": message, "hidden_by": moderator},
    )
    work.state = Work.State.HIDDEN
    work.save(update_fields=["state"])
    # Search rows are only kept for posted works: this drops the hidden work's.
    _reindex(work)
    _log(
        moderator=moderator,
        kind=ModerationAction.Kind.HIDE_WORK,
        target=describe(Report.Kind.WORK, work),
        reason=message,
        report=report,
    )
    return work


@transaction.atomic
def unhide_work(*, moderator, work: Work, reason: str = "", report: Report | None = None) -> Work:
    """Give a hidden work back the state it had before it was hidden."""
    require_moderator(moderator)
    work = Work.objects.select_for_update().get(pk=work.pk)
    hiding = WorkHiding.objects.filter(work=work).first()
    if work.state != Work.State.HIDDEN:
        raise ValidationError({"__all__": _("This work is not hidden.")})
    work.state = hiding.previous_state if hiding else Work.State.POSTED
    work.save(update_fields=["state"])
    if hiding:
        hiding.delete()
    _reindex(work)
    _log(
        moderator=moderator,
        kind=ModerationAction.Kind.UNHIDE_WORK,
        target=describe(Report.Kind.WORK, work),
        reason=(reason or "").strip(),
        report=report,
    )
    return work


@transaction.atomic
def delete_comment(*, moderator, comment, reason: str = "", report: Report | None = None) -> None:
    """Delete a comment as a moderator; the work's comment count follows."""
    from fanshelf.feedback import services as feedback

    require_moderator(moderator)
    target = describe(Report.Kind.COMMENT, comment)
    feedback.delete_comment(comment=comment, user=moderator, by_moderator=True)
    _log(
        moderator=moderator,
        kind=ModerationAction.Kind.DELETE_COMMENT,
        target=target,
        reason=(reason or "").strip(),
        report=report,
    )


def _sanction(*, moderator, user, kind: str, until, message: str, report) -> Sanction:
    require_moderator(moderator)
    message = _required_text(
        message, "message", _("Write a message to the user."), MESSAGE_MAX_LENGTH
    )
    if user.pk == moderator.pk:
        raise ValidationError({"__all__": _("You cannot sanction yourself.")})
    if is_moderator(user) and not moderator.is_superuser and moderator.role != "admin":
        raise PermissionDenied(_("Only an administrator can sanction a moderator."))
    sanction = Sanction.objects.create(
        user=user, kind=kind, until=until, message=message, by=moderator
    )
    action = (
        ModerationAction.Kind.BAN if kind == Sanction.Kind.BAN else ModerationAction.Kind.SUSPEND
    )
    reason = message if until is None else f"{message} (until {until:%Y-%m-%d %H:%M} UTC)"
    _log(
        moderator=moderator,
        kind=action,
        target=describe(Report.Kind.USER, user),
        reason=reason,
        report=report,
    )
    return sanction


@transaction.atomic
def suspend(*, moderator, user, days: int, message: str, report: Report | None = None) -> Sanction:
    """Suspend ``user`` for 1–365 days: they can read, but not post, comment or bookmark."""
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    low, high = SUSPENSION_DAYS
    if not low <= days <= high:
        raise ValidationError(
            {
                "days": _("A suspension lasts from %(low)s to %(high)s days.")
                % {"low": low, "high": high}
            }
        )
    until = timezone.now() + timedelta(days=days)
    return _sanction(
        moderator=moderator,
        user=user,
        kind=Sanction.Kind.SUSPEND,
        until=until,
        message=message,
        report=report,
    )


@transaction.atomic
def ban(*, moderator, user, message: str, report: Report | None = None) -> Sanction:
    """Ban ``user``: they cannot log in, and their open sessions end."""
    return _sanction(
        moderator=moderator,
        user=user,
        kind=Sanction.Kind.BAN,
        until=None,
        message=message,
        report=report,
    )


@transaction.atomic
def lift(*, moderator, sanction: Sanction, reason: str = "") -> Sanction:
    """End a suspension or a ban now."""
    require_moderator(moderator)
    sanction = Sanction.objects.select_for_update().select_related("user").get(pk=sanction.pk)
    if sanction.lifted_at is not None:
        raise ValidationError({"__all__": _("This sanction was already lifted.")})
    sanction.lifted_at = timezone.now()
    sanction.save(update_fields=["lifted_at"])
    _log(
        moderator=moderator,
        kind=ModerationAction.Kind.LIFT,
        target=describe(Report.Kind.USER, sanction.user),
        reason=(reason or "").strip() or sanction.get_kind_display(),
    )
    return sanction
