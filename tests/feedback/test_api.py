"""The kudos and comments API, told as what a client sends and gets back."""

import pytest

from fanshelf.accounts.services import issue_api_token
from fanshelf.feedback import services
from fanshelf.feedback.models import Comment
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, add_chapter
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_reader(reader):
    return ApiClient(issue_api_token(user=reader))


@pytest.fixture
def as_author(author):
    return ApiClient(issue_api_token(user=author))


def kudos_url(work) -> str:
    return f"/api/v1/works/{work.pk}/kudos"


def comments_url(work) -> str:
    return f"/api/v1/works/{work.pk}/comments"


# Kudos


def test_kudos_are_201_when_new_and_200_when_already_left(as_reader, work):
    first = as_reader.post(kudos_url(work))
    second = as_reader.post(kudos_url(work))

    assert first.status_code == 201
    assert first.json() == {"detail": "Thank you for leaving kudos!", "new": True, "kudos_count": 1}
    assert second.status_code == 200
    assert second.json()["new"] is False and second.json()["kudos_count"] == 1


def test_kudos_on_own_work_is_403_with_a_reason(as_author, work):
    response = as_author.post(kudos_url(work))

    assert response.status_code == 403
    assert "own work" in response.json()["detail"]


def test_kudos_need_a_token_and_a_work_the_caller_can_see(as_reader, make_work, author):
    draft = make_work(state=Work.State.DRAFT)

    assert ApiClient().post(kudos_url(draft)).status_code == 401
    missing = as_reader.post("/api/v1/works/999999/kudos")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert as_reader.post(kudos_url(draft)).status_code == 404


def test_kudos_flood_is_429(as_reader, make_work, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kudos": "1/3600"}
    one, two = make_work(title="One"), make_work(title="Two")

    as_reader.post(kudos_url(one))
    response = as_reader.post(kudos_url(two))

    assert response.status_code == 429
    assert "a lot of kudos" in response.json()["detail"]


# Reading comments


def test_comments_come_in_threads_with_parent_ids(as_reader, work, author, reader, guest):
    top = services.post_comment(work=work, user=reader, body="Loved it")
    reply = services.post_comment(work=work, parent=top, user=author, body="Thank you!")
    services.post_comment(work=work, parent=reply, body="Same", **guest)

    response = ApiClient().get(comments_url(work))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["page"] == 1 and body["next"] is None
    [thread] = body["results"]
    assert thread["author"] == {"name": "reader", "guest": False, "creator": False}
    assert thread["body_html"] == "<p>Loved it</p>"
    assert thread["url"].endswith(f"/comments/{top.pk}/")
    [answer] = thread["replies"]
    assert answer["parent"] == top.pk and answer["depth"] == 1
    assert answer["author"]["creator"] is True
    assert answer["replies"][0]["author"] == {"name": "Anon Fan", "guest": True, "creator": False}


def test_deleted_comments_come_back_as_placeholders(work, reader, guest):
    top = services.post_comment(work=work, user=reader, body="Secret")
    services.post_comment(work=work, parent=top, body="Reply", **guest)
    services.delete_comment(comment=top, user=reader)

    [thread] = ApiClient().get(comments_url(work)).json()["results"]

    assert thread["state"] == "deleted"
    assert thread["author"] is None and thread["body_html"] == ""
    assert thread["replies"][0]["body_html"] == "<p>Reply</p>"


def test_comments_are_paged(work, reader, no_rate_limits):
    for number in range(21):
        services.post_comment(work=work, user=reader, body=f"Comment {number}")

    first = ApiClient().get(comments_url(work)).json()
    second = ApiClient().get(comments_url(work), page=2).json()

    assert first["count"] == 21 and len(first["results"]) == 20
    assert first["next"].endswith(f"/api/v1/works/{work.pk}/comments?page=2")
    assert [c["body_html"] for c in second["results"]] == ["<p>Comment 20</p>"]
    assert ApiClient().get(comments_url(work), page=3).status_code == 404
    bad = ApiClient().get(comments_url(work), page="zero")
    assert bad.status_code == 400 and "page" in bad.json()["errors"]


def test_comments_of_one_chapter(work, author, reader):
    chapter2 = add_chapter(user=author, work=work, chapter=ChapterText(body="Two."))
    services.post_comment(work=work, user=reader, body="On one")
    services.post_comment(work=work, chapter=chapter2, user=reader, body="On two")

    results = ApiClient().get(comments_url(work), chapter=chapter2.pk).json()["results"]

    assert [(c["chapter"], c["body_html"]) for c in results] == [(chapter2.pk, "<p>On two</p>")]
    assert ApiClient().get(comments_url(work), chapter=999999).status_code == 400


def test_restricted_works_comments_are_404_for_guests(make_work, as_reader):
    work = make_work(restricted=True)

    assert ApiClient().get(comments_url(work)).status_code == 404
    assert as_reader.get(comments_url(work)).status_code == 200


# Posting comments


def test_posting_a_comment_is_201_with_the_comment(as_reader, work, reader, second_pseud):
    response = as_reader.post(comments_url(work), {"body": "More!", "pseud": "hux-stan"})

    assert response.status_code == 201
    body = response.json()
    comment = Comment.objects.get()
    assert body["id"] == comment.pk and body["state"] == "visible"
    assert body["author"]["name"] == "hux-stan"
    assert response["Location"] == f"/comments/{comment.pk}/"
    assert Work.objects.get(pk=work.pk).comment_count == 1


def test_replying_and_commenting_on_a_chapter(as_reader, work, author):
    chapter2 = add_chapter(user=author, work=work, chapter=ChapterText(body="Two."))
    top = services.post_comment(work=work, chapter=chapter2, user=author, body="Hello")

    on_chapter = as_reader.post(comments_url(work), {"body": "Hi", "chapter": chapter2.pk})
    reply = as_reader.post(comments_url(work), {"body": "Hi to you", "parent": top.pk})

    assert on_chapter.json()["chapter"] == chapter2.pk
    assert reply.json()["parent"] == top.pk and reply.json()["chapter"] == chapter2.pk


def test_moderated_work_holds_the_comment(as_reader, make_work):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)

    response = as_reader.post(comments_url(work), {"body": "Hi"})

    assert response.status_code == 201 and response.json()["state"] == "held"
    assert Work.objects.get(pk=work.pk).comment_count == 0


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"body": ""}, "body", "Please write something"),
        ({"body": "x" * 10_001}, "body", "at most 10,000 characters"),
        ({}, "body", "This field is required"),
        ({"body": "Hi", "chapter": 999999}, "chapter", "no chapter with the id 999999"),
        ({"body": "Hi", "parent": 999999}, "parent", "no comment with the id 999999"),
        ({"body": "Hi", "pseud": "nobody"}, "pseud", "no pseud called"),
        ({"body": "Hi", "colour": "red"}, "colour", "There is no such field"),
    ],
)
def test_bad_comments_are_400_with_the_field_named(as_reader, work, body, field, message):
    response = as_reader.post(comments_url(work), body)

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert Comment.objects.count() == 0


def test_reply_to_a_deleted_comment_is_400(as_reader, work, author, reader):
    top = services.post_comment(work=work, user=author, body="Top")
    services.post_comment(work=work, parent=top, user=reader, body="Reply")
    services.delete_comment(comment=top, user=author)

    response = as_reader.post(comments_url(work), {"body": "Hi", "parent": top.pk})

    assert response.status_code == 400
    assert "was deleted" in response.json()["detail"]


def test_disabled_comments_are_403_and_no_token_is_401(as_reader, make_work):
    work = make_work(comment_policy=Work.CommentPolicy.DISABLED)

    assert as_reader.post(comments_url(work), {"body": "Hi"}).status_code == 403
    assert ApiClient().post(comments_url(work), {"body": "Hi"}).status_code == 401


def test_comment_flood_is_429_and_invalid_json_is_400(as_reader, work):
    for number in range(3):
        assert as_reader.post(comments_url(work), {"body": f"Hi {number}"}).status_code == 201

    flood = as_reader.post(comments_url(work), {"body": "One more"})
    broken = as_reader.post(comments_url(work), raw="{not json")

    assert flood.status_code == 429 and "wait a few minutes" in flood.json()["detail"]
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["detail"]


def test_openapi_lists_the_feedback_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths["/api/v1/works/{work_id}/kudos"]) == {"post"}
    assert set(paths["/api/v1/works/{work_id}/comments"]) == {"get", "post"}
