"""Read paths of moderation: what a reporter may report, the queue, the log, events."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from fanshelf.moderation.models import ModerationAction, Report, Sanction, SecurityEvent
from fanshelf.moderation.roles import MODERATING_ROLES
from fanshelf.works.models import Work


def reportable_target(*, kind: str, pk: int, viewer):
    """The target ``viewer`` may see, or None: a report never reveals what is hidden."""
    from fanshelf.bookmarks.selectors import visible_bookmarks
    from fanshelf.feedback.models import Comment
    from fanshelf.feedback.selectors import comments_for_viewer
    from fanshelf.works.selectors import is_creator_cached, visible_works, with_blurb_data

    if kind == Report.Kind.WORK:
        return visible_works(viewer).filter(pk=pk).first()
    if kind == Report.Kind.USER:
        return get_user_model().objects.filter(pk=pk, is_active=True).first()
    if kind == Report.Kind.BOOKMARK:
        return visible_bookmarks(viewer).select_related("user").filter(pk=pk).first()
    if kind == Report.Kind.COMMENT:
        comment = Comment.objects.filter(pk=pk).only("work_id").first()
        if comment is None:
            return None
        work = with_blurb_data(visible_works(viewer)).filter(pk=comment.work_id).first()
        if work is None:
            return None
        creator = is_creator_cached(viewer, work)
        return (
            comments_for_viewer(work=work, viewer=viewer, creator=creator)
            .exclude(state=Comment.State.DELETED)
            .select_related("work")
            .filter(pk=pk)
            .first()
        )
    return None


@dataclass
class QueueFilters:
    status: str = ""
    kind: str = ""
    assignee: str = ""  # "me", "none", or a moderator's id

    @classmethod
    def from_query(cls, query) -> "QueueFilters":
        status = query.get("status", "")
        kind = query.get("kind", "")
        return cls(
            status=status if status in Report.Status.values else "",
            kind=kind if kind in Report.Kind.values else "",
            assignee=query.get("assignee", "")[:20],
        )


def report_queue(*, filters: QueueFilters, viewer) -> QuerySet[Report]:
    """Reports oldest first, unresolved ones by default; targets joined, no N+1."""
    reports = Report.objects.select_related(
        "work", "comment", "user", "bookmark__user", "reporter", "assignee"
    )
    if filters.status:
        reports = reports.filter(status=filters.status)
    else:
        reports = reports.exclude(status=Report.Status.RESOLVED)
    if filters.kind:
        reports = reports.filter(kind=filters.kind)
    if filters.assignee == "me":
        reports = reports.filter(assignee=viewer)
    elif filters.assignee == "none":
        reports = reports.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        reports = reports.filter(assignee_id=int(filters.assignee))
    return reports.order_by("created_at", "pk")


def open_report_count() -> int:
    """Reports not yet resolved, for the moderators' header link."""
    return Report.objects.exclude(status=Report.Status.RESOLVED).count()


def moderators() -> QuerySet:
    """Users who can be assigned reports."""
    return (
        get_user_model()
        .objects.filter(role__in=MODERATING_ROLES, is_active=True)
        .order_by("username")
    )


def report_detail(pk: int) -> Report:
    return Report.objects.select_related(
        "work",
        "comment",
        "comment__work",
        "user",
        "bookmark",
        "bookmark__user",
        "reporter",
        "assignee",
        "resolved_by",
    ).get(pk=pk)


def report_actions(report: Report) -> QuerySet[ModerationAction]:
    return report.actions.select_related("moderator").order_by("created_at", "pk")


def action_log() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related("moderator", "report").order_by(
        "-created_at", "-pk"
    )


def security_events() -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.order_by("-created_at", "-pk")


def sanctions_of(user) -> QuerySet[Sanction]:
    return Sanction.objects.filter(user=user).select_related("by").order_by("-created_at", "-pk")


def hidden_work_notice(work: Work) -> str:
    """The moderator's message on a hidden work, for its creators."""
    from fanshelf.moderation.models import WorkHiding

    if work.state != Work.State.HIDDEN:
        return ""
    hiding = WorkHiding.objects.filter(work=work).only("message").first()
    return hiding.message if hiding else ""
