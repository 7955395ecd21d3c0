"""Moderation services: reports, assignment, resolution and every action with its log row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanshelf.feedback.models import Comment
from fanshelf.moderation import services
from fanshelf.moderation.models import ModerationAction, Report, Sanction
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


def _report(work, reporter=None, **kwargs):
    kwargs.setdefault("reporter_email", "" if reporter else "guest@example.org")
    return services.report(
        kind="work", target=work, reason="spam", details="Ads.", reporter=reporter, **kwargs
    )


def test_user_reports_a_work(work, reader):
    report = _report(work, reader)
    assert report.status == Report.Status.OPEN
    assert report.reporter == reader and report.work == work
    assert "Perfect" in report.target_description


def test_guest_report_needs_an_email(work):
    with pytest.raises(ValidationError) as error:
        services.report(kind="work", target=work, reason="spam", reporter_email="")
    assert "reporter_email" in error.value.message_dict
    report = _report(work)
    assert report.reporter is None and report.reporter_email == "guest@example.org"


def test_report_checks_reason_and_details_length(work, reader):
    with pytest.raises(ValidationError) as error:
        services.report(
            kind="work", target=work, reason="boring", details="x" * 5001, reporter=reader
        )
    assert set(error.value.message_dict) == {"reason", "details"}


def test_reports_are_rate_limited_per_user_and_per_guest_address(work, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "2/3600"}
    _report(work, reader)
    _report(work, reader)
    with pytest.raises(services.TooManyReports):
        _report(work, reader)
    _report(work, client_ip="10.0.0.1")
    _report(work, client_ip="10.0.0.1")
    with pytest.raises(services.TooManyReports):
        _report(work, client_ip="10.0.0.1")
    _report(work, client_ip="10.0.0.2")


def test_only_moderators_act(work, reader, author):
    report = _report(work, reader)
    with pytest.raises(PermissionDenied):
        services.assign(moderator=reader, report=report)
    with pytest.raises(PermissionDenied):
        services.resolve(moderator=reader, report=report, note="x")
    with pytest.raises(PermissionDenied):
        services.hide_work(moderator=reader, work=work, message="x")
    with pytest.raises(PermissionDenied):
        services.suspend(moderator=reader, user=author, days=3, message="x")
    with pytest.raises(PermissionDenied):
        services.ban(moderator=reader, user=author, message="x")
    assert not ModerationAction.objects.exists()


def test_assign_to_self_and_to_another_moderator_are_logged(work, reader, moderator, make_user):
    other = make_user("othermod", role="admin")
    report = _report(work, reader)
    services.assign(moderator=moderator, report=report)
    report.refresh_from_db()
    assert report.assignee == moderator and report.status == Report.Status.ASSIGNED
    services.assign(moderator=moderator, report=report, assignee=other)
    report.refresh_from_db()
    assert report.assignee == other
    with pytest.raises(ValidationError):
        services.assign(moderator=moderator, report=report, assignee=reader)
    kinds = list(report.actions.values_list("kind", "moderator__username"))
    assert kinds == [("assign", "mod"), ("assign", "mod")]


def test_resolve_needs_a_note_and_is_logged(work, reader, moderator):
    report = _report(work, reader)
    with pytest.raises(ValidationError):
        services.resolve(moderator=moderator, report=report, note="  ")
    services.resolve(moderator=moderator, report=report, note="Not spam.")
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert report.resolved_by == moderator and report.resolved_at is not None
    assert report.resolution == "Not spam."
    action = ModerationAction.objects.get()
    assert (action.kind, action.reason, action.report) == ("resolve", "Not spam.", report)
    with pytest.raises(ValidationError):
        services.resolve(moderator=moderator, report=report, note="again")


def test_hide_and_unhide_restore_the_previous_state_and_log(work, moderator):
    report = Report.objects.create(kind="work", work=work, target_description="w", reason="spam")
    services.hide_work(moderator=moderator, work=work, message="Spam links", report=report)
    work.refresh_from_db()
    assert work.state == Work.State.HIDDEN
    assert work.hiding.message == "Spam links"
    with pytest.raises(ValidationError):
        services.hide_work(moderator=moderator, work=work, message="again")
    services.unhide_work(moderator=moderator, work=work, reason="Cleaned up")
    work.refresh_from_db()
    assert work.state == Work.State.POSTED
    log = list(ModerationAction.objects.order_by("pk").values_list("kind", "reason", "report"))
    assert log == [("hide_work", "Spam links", report.pk), ("unhide_work", "Cleaned up", None)]


def test_unhiding_a_hidden_draft_makes_it_a_draft_again(make_work, moderator):
    draft = make_work(state=Work.State.DRAFT)
    services.hide_work(moderator=moderator, work=draft, message="x")
    services.unhide_work(moderator=moderator, work=draft)
    draft.refresh_from_db()
    assert draft.state == Work.State.DRAFT


def test_moderator_deletes_a_comment_and_the_count_follows(work, comment, moderator, reader):
    work.refresh_from_db()
    assert work.comment_count == 1
    with pytest.raises(PermissionDenied):
        services.delete_comment(moderator=reader, comment=comment)  # not a moderator
    services.delete_comment(moderator=moderator, comment=comment, reason="Harassment")
    work.refresh_from_db()
    assert work.comment_count == 0
    assert not Comment.objects.filter(pk=comment.pk).exists()
    action = ModerationAction.objects.get()
    assert action.kind == "delete_comment" and f"Comment {comment.pk}" in action.target_description


def test_feedback_delete_comment_still_refuses_other_users(comment, moderator, make_user):
    from fanshelf.feedback.services import delete_comment

    with pytest.raises(PermissionDenied):
        delete_comment(comment=comment, user=make_user(), by_moderator=True)
    with pytest.raises(PermissionDenied):
        delete_comment(comment=comment, user=moderator)  # the logged path is the way


def test_suspend_for_days_and_lift_are_logged(reader, moderator):
    with pytest.raises(ValidationError):
        services.suspend(moderator=moderator, user=reader, days=0, message="x")
    with pytest.raises(ValidationError):
        services.suspend(moderator=moderator, user=reader, days=366, message="x")
    with pytest.raises(ValidationError):
        services.suspend(moderator=moderator, user=reader, days=3, message="")
    sanction = services.suspend(moderator=moderator, user=reader, days=3, message="Cool off")
    assert sanction.kind == Sanction.Kind.SUSPEND and sanction.until is not None
    services.lift(moderator=moderator, sanction=sanction, reason="Apologised")
    sanction.refresh_from_db()
    assert sanction.lifted_at is not None
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["suspend", "lift"]
    with pytest.raises(ValidationError):
        services.lift(moderator=moderator, sanction=sanction)


def test_ban_has_no_end_and_moderators_cannot_sanction_themselves(reader, moderator, make_user):
    sanction = services.ban(moderator=moderator, user=reader, message="Spam bot")
    assert sanction.until is None and sanction.kind == "ban"
    assert ModerationAction.objects.get().kind == "ban"
    with pytest.raises(ValidationError):
        services.ban(moderator=moderator, user=moderator, message="x")
    with pytest.raises(PermissionDenied):
        services.ban(moderator=moderator, user=make_user(role="moderator"), message="x")
