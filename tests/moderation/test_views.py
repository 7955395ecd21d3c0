"""Report forms, the queue and the moderators' pages."""

import pytest
from django.urls import reverse

from fanshelf.moderation import services
from fanshelf.moderation.models import ModerationAction, Report, Sanction
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


def report_url(kind, pk):
    return reverse("moderation:report_target", args=[kind, pk])


def test_report_links_on_work_comment_bookmark_and_user_pages(
    client, work, comment, bookmark, author
):
    page = client.get(work.get_absolute_url()).content.decode()
    assert report_url("work", work.pk) in page
    assert report_url("comment", comment.pk) in page
    bookmarks = client.get(reverse("bookmarks:work", args=[work.pk])).content.decode()
    assert report_url("bookmark", bookmark.pk) in bookmarks
    works_page = client.get(reverse("users:works", args=[author.username])).content.decode()
    assert report_url("user", author.pk) in works_page


def test_user_reports_a_comment_and_is_thanked(client, comment, author):
    client.force_login(author)
    response = client.post(
        report_url("comment", comment.pk), {"reason": "harassment", "details": "Rude."}
    )
    assert response["Location"] == reverse("moderation:thanks")
    report = Report.objects.get()
    assert (report.kind, report.comment, report.reporter) == ("comment", comment, author)
    thanks = client.get(response["Location"]).content.decode()
    assert "not emailed" in thanks


def test_guest_must_give_an_email_and_keeps_what_was_typed(client, bookmark):
    url = report_url("bookmark", bookmark.pk)
    response = client.post(url, {"reason": "spam", "details": "Selling things."})
    page = response.content.decode()
    assert response.status_code == 200 and "Selling things." in page
    assert not Report.objects.exists()
    client.post(url, {"reason": "spam", "details": "x", "reporter_email": "g@example.org"})
    assert Report.objects.get().reporter_email == "g@example.org"


def test_reporting_what_the_reporter_cannot_see_is_404(client, make_work, reader, bookmark):
    draft = make_work(state=Work.State.DRAFT)
    restricted = make_work(title="Members", restricted=True)
    assert client.get(report_url("work", draft.pk)).status_code == 404
    assert client.get(report_url("work", restricted.pk)).status_code == 404
    assert client.get(report_url("work", 999999)).status_code == 404
    assert client.get(report_url("elephant", 1)).status_code == 404
    client.force_login(reader)
    assert client.get(report_url("work", draft.pk)).status_code == 404
    assert client.get(report_url("work", restricted.pk)).status_code == 200
    bookmark.private = True
    bookmark.save()
    client.logout()
    assert client.get(report_url("bookmark", bookmark.pk)).status_code == 404


def test_comment_on_a_hidden_work_cannot_be_reported(client, comment, moderator, reader):
    services.hide_work(moderator=moderator, work=comment.work, message="x")
    client.force_login(reader)
    assert client.get(report_url("comment", comment.pk)).status_code == 404


def test_rate_limit_says_so_and_keeps_the_text(client, work, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1/3600"}
    client.force_login(reader)
    client.post(report_url("work", work.pk), {"reason": "spam", "details": "first"})
    response = client.post(report_url("work", work.pk), {"reason": "spam", "details": "second one"})
    page = response.content.decode()
    assert "many reports in a short time" in page and "second one" in page
    assert Report.objects.count() == 1


@pytest.mark.parametrize("role", ["reader", "wrangler", "archivist"])
def test_moderation_pages_are_404_for_non_moderators(client, make_user, role, reader):
    client.force_login(make_user(role=role))
    for name in ("queue", "log", "security"):
        assert client.get(reverse(f"moderation:{name}")).status_code == 404
    assert client.get(reverse("moderation:user", args=[reader.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("moderation:queue")).status_code == 404


def test_queue_lists_open_reports_oldest_first_with_a_bounded_query_count(
    client, moderator, work, comment, bookmark, reader, make_user, django_assert_max_num_queries
):
    for number in range(3):
        services.report(
            kind="work", target=work, reason="spam", details=f"w{number}", reporter=reader
        )
        services.report(kind="comment", target=comment, reason="spam", reporter=reader)
        services.report(kind="bookmark", target=bookmark, reason="spam", reporter=reader)
        services.report(
            kind="user", target=reader, reason="other", reporter_email=f"g{number}@example.org"
        )
    done = Report.objects.first()
    services.resolve(moderator=moderator, report=done, note="ok")
    client.force_login(moderator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("moderation:queue")).content.decode()
    assert "(11)" in page  # the header count
    assert page.count('href="/moderation/reports/') == 11
    filtered = client.get(reverse("moderation:queue"), {"kind": "bookmark"}).content.decode()
    assert filtered.count('href="/moderation/reports/') == 3
    resolved = client.get(reverse("moderation:queue"), {"status": "resolved"}).content.decode()
    assert resolved.count('href="/moderation/reports/') == 1


def test_header_count_is_only_for_moderators(client, work, reader, moderator):
    services.report(kind="work", target=work, reason="spam", reporter=reader)
    client.force_login(reader)
    assert reverse("moderation:queue") not in client.get("/").content.decode()
    client.force_login(moderator)
    assert "(1)" in client.get("/").content.decode()


def test_assign_to_me_and_resolve_from_the_report_page(client, work, reader, moderator):
    report = services.report(kind="work", target=work, reason="spam", reporter=reader)
    url = reverse("moderation:report", args=[report.pk])
    client.force_login(moderator)
    client.post(url, {"action": "assign_me"})
    report.refresh_from_db()
    assert report.assignee == moderator
    response = client.post(url, {"action": "resolve", "note": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    client.post(url, {"action": "resolve", "note": "Removed the links."})
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED


def test_hide_from_report_page_links_the_report_and_shows_in_the_log(
    client, work, reader, moderator
):
    report = services.report(kind="work", target=work, reason="spam", reporter=reader)
    client.force_login(moderator)
    response = client.get(reverse("moderation:report", args=[report.pk]))
    hide_url = reverse("moderation:work", args=[work.pk]) + f"?report={report.pk}"
    assert hide_url in response.content.decode()
    response = client.post(hide_url, {"message": "", "report": report.pk})
    assert "This field is required" in response.content.decode()
    client.post(hide_url, {"message": "Casino links", "report": report.pk})
    work.refresh_from_db()
    assert work.state == Work.State.HIDDEN
    assert ModerationAction.objects.get(kind="hide_work").report == report
    log = client.get(reverse("moderation:log")).content.decode()
    assert "Casino links" in log
    client.post(reverse("moderation:work", args=[work.pk]), {"reason": "fixed"})
    work.refresh_from_db()
    assert work.state == Work.State.POSTED


def test_moderator_deletes_a_comment_from_its_page(client, comment, moderator):
    client.force_login(moderator)
    page = client.get(comment.work.get_absolute_url()).content.decode()
    assert reverse("moderation:comment", args=[comment.pk]) in page
    client.post(reverse("moderation:comment", args=[comment.pk]), {"reason": "Rude"})
    assert ModerationAction.objects.get().kind == "delete_comment"
    assert not comment.work.comments.exists()


def test_suspend_ban_and_lift_from_the_user_page(client, reader, moderator):
    url = reverse("moderation:user", args=[reader.pk])
    client.force_login(moderator)
    response = client.post(url, {"kind": "suspend", "message": "Cool off"})
    assert "Say for how many days" in response.content.decode()
    response = client.post(url, {"kind": "suspend", "days": "400", "message": "Cool off"})
    assert not Sanction.objects.exists()
    client.post(url, {"kind": "suspend", "days": "3", "message": "Cool off"})
    sanction = Sanction.objects.get()
    client.post(reverse("moderation:lift", args=[sanction.pk]))
    sanction.refresh_from_db()
    assert sanction.lifted_at is not None
    client.post(url, {"kind": "ban", "message": "Spam bot"})
    assert Sanction.objects.filter(kind="ban").exists()
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["suspend", "lift", "ban"]


def test_log_rows_cannot_be_changed_in_the_admin(client, make_user, reader, moderator):
    services.ban(moderator=moderator, user=reader, message="x")
    action = ModerationAction.objects.get()
    admin_user = make_user("root")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    change = reverse("admin:moderation_moderationaction_change", args=[action.pk])
    client.post(change, {"reason": "edited", "kind": "lift"})
    delete = reverse("admin:moderation_moderationaction_delete", args=[action.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    action.refresh_from_db()
    assert action.reason == "x" and action.kind == "ban"
