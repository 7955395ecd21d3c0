"""The subscriptions and notifications API, told as what a client does and gets back."""

import pytest

from fanshelf.accounts.services import issue_api_token
from fanshelf.notifications.models import Notification, Subscription
from fanshelf.works.models import Work
from tests.api_client import ApiClient

SUBSCRIPTIONS = "/api/v1/subscriptions"
NOTIFICATIONS = "/api/v1/notifications"


@pytest.fixture
def as_reader(reader):
    return ApiClient(issue_api_token(user=reader))


def test_subscribe_to_a_work_then_again(as_reader, reader, work):
    response = as_reader.post(SUBSCRIPTIONS, {"work": work.pk})
    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "work"
    assert body["target"] == {
        "id": work.pk,
        "name": "Perfect",
        "url": f"http://testserver/works/{work.pk}/",
    }
    assert response["Location"] == f"/api/v1/subscriptions/{body['id']}"
    again = as_reader.post(SUBSCRIPTIONS, {"work": work.pk})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert as_reader.get(response["Location"]).json() == body


def test_subscribe_to_a_user_and_a_series(as_reader, make_work):
    part = make_work(series="Kylux Verse")
    user = as_reader.post(SUBSCRIPTIONS, {"user": "smolhux"}).json()
    series = as_reader.post(SUBSCRIPTIONS, {"series": part.series.pk}).json()
    assert user["type"] == "user" and user["target"]["url"].endswith("/users/smolhux/works/")
    assert series["type"] == "series" and series["target"]["name"] == "Kylux Verse"
    listing = as_reader.get(SUBSCRIPTIONS).json()
    assert listing["count"] == 2
    assert [s["type"] for s in listing["results"]] == ["series", "user"]


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"work": 999999}, 404, "This work does not exist, or you cannot see it."),
        ({"user": "nobody"}, 404, "There is no user called “nobody”."),
        ({"user": "reader"}, 400, "user: You cannot subscribe to yourself."),
        ({}, 400, "Choose exactly one work, series or user to subscribe to."),
        ({"work": 1, "user": "smolhux"}, 400, "Choose exactly one"),
        ({"work": "seven"}, 400, "work: This should be a whole number."),
        ({"colour": "red"}, 400, "colour: There is no such field."),
    ],
)
def test_bad_subscriptions_are_clear_json(as_reader, work, body, status, detail):
    response = as_reader.post(SUBSCRIPTIONS, body)
    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
    assert not Subscription.objects.exists()


def test_broken_json_and_drafts(as_reader, make_work):
    assert as_reader.post(SUBSCRIPTIONS, raw="{work: 1").status_code == 400
    draft = make_work(state=Work.State.DRAFT)
    assert as_reader.post(SUBSCRIPTIONS, {"work": draft.pk}).status_code == 404


def test_rate_limit_answers_429(settings, as_reader, make_user):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "subscription": "1/3600"}
    assert as_reader.post(SUBSCRIPTIONS, {"user": make_user().username}).status_code == 201
    response = as_reader.post(SUBSCRIPTIONS, {"user": make_user().username})
    assert response.status_code == 429 and "too fast" in response.json()["detail"]


def test_unsubscribe_by_id_and_by_target(as_reader, reader, work, make_user):
    by_id = as_reader.post(SUBSCRIPTIONS, {"work": work.pk}).json()["id"]
    assert as_reader.delete(f"{SUBSCRIPTIONS}/{by_id}").status_code == 204
    assert as_reader.delete(f"{SUBSCRIPTIONS}/{by_id}").status_code == 404
    as_reader.post(SUBSCRIPTIONS, {"user": "smolhux"})
    assert as_reader.delete(f"{SUBSCRIPTIONS}?user=smolhux").status_code == 204
    missing = as_reader.delete(f"{SUBSCRIPTIONS}?user=smolhux")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert as_reader.delete(SUBSCRIPTIONS).status_code == 400
    assert not Subscription.objects.filter(user=reader).exists()


def test_cannot_see_or_delete_someone_elses_subscription(as_reader, make_user, work):
    other = ApiClient(issue_api_token(user=make_user()))
    theirs = other.post(SUBSCRIPTIONS, {"work": work.pk}).json()["id"]
    assert as_reader.get(f"{SUBSCRIPTIONS}/{theirs}").status_code == 404
    assert as_reader.delete(f"{SUBSCRIPTIONS}/{theirs}").status_code == 404
    assert Subscription.objects.filter(pk=theirs).exists()


def test_notifications_for_the_tokens_user(as_reader, follower, work, post_chapter, make_user):
    Notification.objects.create(recipient=make_user(), kind="new_work", text="Not yours", url="/")
    chapter = post_chapter(work)
    response = as_reader.get(NOTIFICATIONS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["unread"] == 1 and body["next"] is None
    (notification,) = body["results"]
    assert notification["kind"] == "new_chapter"
    assert notification["text"] == "New chapter of Perfect: Chapter 2"
    assert notification["url"] == f"http://testserver{chapter.get_absolute_url()}"
    assert notification["work"] == work.pk and notification["chapter"] == chapter.pk
    assert notification["read_at"] is None


def test_notifications_are_paged_and_filtered(as_reader, reader):
    Notification.objects.bulk_create(
        Notification(recipient=reader, kind="kudos", text=f"Kudos {n}", url="/") for n in range(25)
    )
    first = as_reader.get(NOTIFICATIONS).json()
    assert len(first["results"]) == 20 and first["next"].endswith("?page=2")
    second = as_reader.get(NOTIFICATIONS, page=2).json()
    assert len(second["results"]) == 5 and second["previous"].endswith("?page=1")
    assert as_reader.get(NOTIFICATIONS, page=3).status_code == 404
    assert as_reader.get(NOTIFICATIONS, page=0).status_code == 400
    one = first["results"][0]["id"]
    read = as_reader.post(f"{NOTIFICATIONS}/{one}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    unread = as_reader.get(NOTIFICATIONS, unread="true").json()
    assert unread["count"] == 24 and unread["unread"] == 24
    assert as_reader.post(f"{NOTIFICATIONS}/read").json() == {"marked": 24}
    assert as_reader.get(NOTIFICATIONS).json()["unread"] == 0


def test_someone_elses_notification_is_404(as_reader, make_user):
    theirs = Notification.objects.create(recipient=make_user(), kind="kudos", text="x", url="/")
    assert as_reader.post(f"{NOTIFICATIONS}/{theirs.pk}/read").status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", NOTIFICATIONS),
        ("get", SUBSCRIPTIONS),
        ("post", SUBSCRIPTIONS),
        ("delete", f"{SUBSCRIPTIONS}/1"),
    ],
)
def test_without_a_token_the_answer_is_401_json(db, method, url):
    response = getattr(ApiClient(), method)(url)
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]
    bad = getattr(ApiClient("fs_wrong"), method)(url)
    assert bad.status_code == 401


def test_notification_list_queries_do_not_grow(as_reader, reader, django_assert_max_num_queries):
    Notification.objects.bulk_create(
        Notification(recipient=reader, kind="kudos", text=f"Kudos {n}", url="/") for n in range(20)
    )
    # token, token last-used, count, page, unread count
    with django_assert_max_num_queries(6):
        assert len(as_reader.get(NOTIFICATIONS).json()["results"]) == 20
