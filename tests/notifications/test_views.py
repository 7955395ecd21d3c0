"""The inbox, the header count, the Subscribe buttons and the subscriptions page."""

import pytest
from django.test import Client
from django.urls import reverse

from fanshelf.notifications.models import Notification, NotificationPreference, Subscription
from fanshelf.notifications.services import subscribe

INBOX = "/inbox/"


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def note(user, text="Something happened", **fields):
    return Notification.objects.create(
        recipient=user, kind="new_chapter", text=text, url="/works/1/", **fields
    )


def test_inbox_needs_a_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_header_shows_the_unread_count(reader_client, reader):
    note(reader)
    note(reader)
    note(reader, read_at="2026-01-01T00:00:00Z")
    page = reader_client.get("/").content.decode()
    assert 'href="/inbox/"' in page
    assert '<span class="unread-count" title="unread notifications">(2)</span>' in page


def test_header_has_no_count_when_all_is_read_and_no_link_for_guests(client, reader):
    client.force_login(reader)
    assert "unread-count" not in client.get("/").content.decode()
    client.logout()
    assert 'href="/inbox/"' not in client.get("/").content.decode()


def test_chapter_two_shows_in_the_inbox_with_its_link(reader_client, follower, work, post_chapter):
    chapter = post_chapter(work)
    page = reader_client.get(INBOX).content.decode()
    assert f'<a href="{chapter.get_absolute_url()}">New chapter of Perfect: Chapter 2</a>' in page
    assert "(1)" in page


def test_inbox_lists_unread_first_or_newest_first(reader_client, reader):
    note(reader, "Older unread")
    note(reader, "Newer read", read_at="2026-01-01T00:00:00Z")
    unread_first = reader_client.get(INBOX).content.decode()
    assert unread_first.index("Older unread") < unread_first.index("Newer read")
    newest_first = reader_client.get(INBOX, {"order": "newest"}).content.decode()
    assert newest_first.index("Newer read") < newest_first.index("Older unread")
    # An unknown order falls back to the default instead of failing.
    assert reader_client.get(INBOX, {"order": "sideways", "page": "x"}).status_code == 200


def test_inbox_pages(reader_client, reader):
    for number in range(25):
        note(reader, f"Note {number:02}")
    first = reader_client.get(INBOX).content.decode()
    second = reader_client.get(INBOX, {"page": 2}).content.decode()
    assert first.count('class="notification ') == 20
    assert second.count('class="notification ') == 5
    assert 'rel="next"' in first and "Note 00" in second


def test_mark_read_mark_all_read_and_delete(reader_client, reader):
    first, second, third = note(reader), note(reader), note(reader)
    response = reader_client.post(f"/inbox/{first.pk}/read/", {"next": "/inbox/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/inbox/?page=1"
    first.refresh_from_db()
    assert first.read_at is not None
    reader_client.post(f"/inbox/{first.pk}/unread/")
    first.refresh_from_db()
    assert first.read_at is None
    reader_client.post(f"/inbox/{third.pk}/delete/")
    assert not Notification.objects.filter(pk=third.pk).exists()
    reader_client.post("/inbox/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert second.pk in Notification.objects.values_list("pk", flat=True)


def test_cannot_touch_someone_elses_notification(reader_client, make_user):
    theirs = note(make_user())
    assert reader_client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    assert reader_client.post(f"/inbox/{theirs.pk}/delete/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_changes_need_post_and_csrf(reader, make_user):
    mine = note(reader)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.get(f"/inbox/{mine.pk}/read/").status_code == 405
    assert client.post(f"/inbox/{mine.pk}/delete/").status_code == 403
    assert client.post("/subscriptions/new/", {"user": make_user().username}).status_code == 403
    assert Notification.objects.filter(pk=mine.pk).exists()
    assert not Subscription.objects.exists()


def test_next_must_stay_on_the_site(reader_client, reader):
    mine = note(reader)
    response = reader_client.post(f"/inbox/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/inbox/"


def test_email_toggle(reader_client, reader):
    page = reader_client.get(INBOX).content.decode()
    assert "reader@example.org" in page and "Stop emailing my notifications" in page
    reader_client.post("/inbox/email/", {"email_enabled": "0"})
    assert NotificationPreference.objects.get(user=reader).email_enabled is False
    assert "Email my notifications" in reader_client.get(INBOX).content.decode()
    reader_client.post("/inbox/email/", {"email_enabled": "1"})
    assert NotificationPreference.objects.get(user=reader).email_enabled is True


def test_inbox_query_count_does_not_grow(reader_client, reader, django_assert_max_num_queries):
    for number in range(20):
        note(reader, f"Note {number}")
    # session, user, page count, page rows, email preference, unread count in the header
    with django_assert_max_num_queries(6):
        page = reader_client.get(INBOX).content.decode()
    assert page.count('class="notification ') == 20


def test_subscribe_and_unsubscribe_buttons_on_the_work_page(reader_client, reader, work):
    page = reader_client.get(work.get_absolute_url()).content.decode()
    assert 'action="/subscriptions/new/"' in page
    assert f'name="work" value="{work.pk}"' in page
    response = reader_client.post(
        "/subscriptions/new/", {"work": work.pk, "next": work.get_absolute_url()}, follow=True
    )
    assert response.redirect_chain[-1][0] == work.get_absolute_url()
    assert "You are now subscribed to Perfect." in response.content.decode()
    subscription = Subscription.objects.get(user=reader, work=work)
    page = reader_client.get(work.get_absolute_url()).content.decode()
    assert f'action="/subscriptions/{subscription.pk}/delete/"' in page
    response = reader_client.post(
        f"/subscriptions/{subscription.pk}/delete/", {"next": work.get_absolute_url()}, follow=True
    )
    assert "You unsubscribed from Perfect." in response.content.decode()
    assert not Subscription.objects.exists()


def test_no_button_for_guests_or_the_works_creator(client, author, work):
    assert "/subscriptions/new/" not in client.get(work.get_absolute_url()).content.decode()
    client.force_login(author)
    assert "/subscriptions/new/" not in client.get(work.get_absolute_url()).content.decode()
    works_page = client.get(reverse("users:works", args=["smolhux"])).content.decode()
    assert "/subscriptions/new/" not in works_page


def test_subscribe_to_a_user_from_their_works_page(reader_client, reader, author, work):
    page = reader_client.get(reverse("users:works", args=["smolhux"])).content.decode()
    assert 'name="user" value="smolhux"' in page
    reader_client.post("/subscriptions/new/", {"user": "smolhux"})
    assert Subscription.objects.get(user=reader).creator == author


def test_subscribe_to_a_series_from_its_page(reader_client, reader, make_work):
    part = make_work(series="Kylux Verse")
    page = reader_client.get(part.series.get_absolute_url()).content.decode()
    assert f'name="series" value="{part.series.pk}"' in page
    reader_client.post("/subscriptions/new/", {"series": part.series.pk})
    assert Subscription.objects.get(user=reader).series == part.series


def test_bad_subscribe_requests_say_why(reader_client, reader, make_work):
    draft = make_work(state="draft")
    cases = {
        "work=abc": ({"work": "abc"}, "That is not something you can subscribe to."),
        "draft": ({"work": draft.pk}, "This work does not exist, or you cannot see it."),
        "no user": ({"user": "nobody"}, "There is no user called “nobody”."),
        "self": ({"user": "reader"}, "You cannot subscribe to yourself."),
        "nothing": ({}, "Choose exactly one work, series or user to subscribe to."),
    }
    for name, (data, message) in cases.items():
        response = reader_client.post("/subscriptions/new/", data, follow=True)
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
    assert not Subscription.objects.exists()


def test_guest_pressing_subscribe_is_asked_to_log_in(client, work):
    response = client.post("/subscriptions/new/", {"work": work.pk, "next": "/works/"})
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    assert not Subscription.objects.exists()


def test_subscriptions_page_lists_and_unsubscribes(
    reader_client, reader, author, make_work, django_assert_max_num_queries
):
    for number in range(5):
        subscribe(user=reader, work=make_work(title=f"Work {number}"))
    subscribe(user=reader, creator=author)
    subscribe(user=reader, series=make_work(series="Kylux Verse").series)
    with django_assert_max_num_queries(6):
        page = reader_client.get("/subscriptions/").content.decode()
    assert page.count('class="subscription"') == 7
    assert 'href="/users/smolhux/works/"' in page and "Kylux Verse" in page
    first = Subscription.objects.filter(user=reader).first()
    reader_client.post(f"/subscriptions/{first.pk}/delete/")
    assert not Subscription.objects.filter(pk=first.pk).exists()


def test_unsubscribing_twice_is_harmless(reader_client, reader, work, make_user):
    subscription, _ = subscribe(user=reader, work=work)
    reader_client.post(f"/subscriptions/{subscription.pk}/delete/")
    response = reader_client.post(f"/subscriptions/{subscription.pk}/delete/", follow=True)
    assert "You were not subscribed to that." in response.content.decode()
    theirs, _ = subscribe(user=make_user(), work=work)
    reader_client.post(f"/subscriptions/{theirs.pk}/delete/")
    assert Subscription.objects.filter(pk=theirs.pk).exists()
