"""The bookmarks API, told as what a client sends and what it gets back."""

import pytest

from fanshelf.accounts.services import issue_api_token
from fanshelf.bookmarks.models import Bookmark
from fanshelf.bookmarks.services import bookmark
from fanshelf.works.models import Work
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

BOOKMARKS = "/api/v1/bookmarks"


@pytest.fixture
def as_reader(reader):
    return ApiClient(issue_api_token(user=reader))


@pytest.fixture
def as_author(author):
    return ApiClient(issue_api_token(user=author))


def count(work):
    work.refresh_from_db()
    return work.bookmark_count


def test_post_creates_a_bookmark_then_updates_it(as_reader, make_work):
    work = make_work()
    body = {"work": work.pk, "notes": "Loved it", "tags": ["to reread"], "rec": True}
    response = as_reader.post(BOOKMARKS, body)
    assert response.status_code == 201
    data = response.json()
    assert response["Location"] == f"{BOOKMARKS}/{data['id']}"
    assert data["work"] == {
        "id": work.pk,
        "title": "Perfect",
        "url": f"http://testserver/works/{work.pk}/",
    }
    assert data["series"] is None
    assert (data["user"], data["pseud"], data["notes"]) == ("reader", "reader", "<p>Loved it</p>")
    assert (data["tags"], data["rec"], data["private"]) == (["to reread"], True, False)
    assert count(work) == 1

    response = as_reader.post(BOOKMARKS, {"work": work.pk, "private": True})
    assert response.status_code == 200
    assert response.json()["id"] == data["id"]
    assert response.json()["private"] is True
    assert response.json()["tags"] == []
    assert count(work) == 0


def test_post_bookmarks_a_series(as_reader, make_work):
    series = make_work(series="Stars").series
    response = as_reader.post(BOOKMARKS, {"series": series.pk})
    assert response.status_code == 201
    assert response.json()["series"]["title"] == "Stars"
    assert response.json()["work"] is None


def test_writes_need_a_token(make_work):
    response = ApiClient().post(BOOKMARKS, {"work": make_work().pk})
    assert response.status_code == 401
    assert "detail" in response.json()
    assert ApiClient("fs_wrong").post(BOOKMARKS, {"work": 1}).status_code == 401


def test_missing_and_unseen_works_are_404(as_reader, make_work):
    draft = make_work(state=Work.State.DRAFT)
    for body in ({"work": 999_999}, {"work": draft.pk}):
        response = as_reader.post(BOOKMARKS, body)
        assert response.status_code == 404
        assert response.json() == {"detail": "This work does not exist, or you cannot see it."}
    response = as_reader.post(BOOKMARKS, {"series": 999_999})
    assert response.json() == {"detail": "This series does not exist, or you cannot see it."}


def test_own_draft_is_a_400_with_a_message(as_author, make_work):
    draft = make_work(state=Work.State.DRAFT)
    response = as_author.post(BOOKMARKS, {"work": draft.pk})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "work": ["You cannot bookmark your own draft; post it first."]
    }


def test_bad_input_is_a_400_naming_the_field(as_reader, make_work):
    work = make_work()
    cases = [
        ({"work": work.pk, "notes": "x" * 5001}, "notes"),
        ({"work": work.pk, "tags": [f"t{n}" for n in range(76)]}, "tags"),
        ({"work": work.pk, "tags": "not a list"}, "tags"),
        ({"work": work.pk, "colour": "red"}, "colour"),
        ({"work": "seven"}, "work"),
        ({}, "__all__"),
        ({"work": work.pk, "series": 1}, "__all__"),
    ]
    for body, field in cases:
        response = as_reader.post(BOOKMARKS, body)
        assert response.status_code == 400, body
        assert field in response.json()["errors"], (body, response.json())
        assert response.json()["detail"]
    broken = as_reader.post(BOOKMARKS, raw="{not json")
    assert broken.status_code == 400
    assert "not valid JSON" in broken.json()["detail"]
    assert not Bookmark.objects.exists()


def test_flooding_answers_429(as_reader, make_work, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "bookmark": "1/3600"}
    work = make_work()
    assert as_reader.post(BOOKMARKS, {"work": work.pk}).status_code == 201
    response = as_reader.post(BOOKMARKS, {"work": work.pk, "rec": True})
    assert response.status_code == 429
    assert "wait" in response.json()["detail"]


def test_delete_own_bookmark(as_reader, reader, make_work):
    work = make_work()
    saved, _ = bookmark(user=reader, work=work)
    response = as_reader.delete(f"{BOOKMARKS}/{saved.pk}")
    assert response.status_code == 204
    assert not Bookmark.objects.exists()
    assert count(work) == 0
    assert as_reader.delete(f"{BOOKMARKS}/{saved.pk}").status_code == 404


def test_delete_someone_elses_bookmark_is_403_or_404_if_private(as_author, reader, make_work):
    public, _ = bookmark(user=reader, work=make_work())
    private, _ = bookmark(user=reader, work=make_work(title="Other"), private=True)
    response = as_author.delete(f"{BOOKMARKS}/{public.pk}")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the bookmarker can delete this bookmark."}
    assert as_author.delete(f"{BOOKMARKS}/{private.pk}").status_code == 404
    assert ApiClient().delete(f"{BOOKMARKS}/{public.pk}").status_code == 401
    assert Bookmark.objects.count() == 2


def test_list_public_bookmarks_and_own_private_ones_with_a_token(
    as_reader, reader, make_work, make_user
):
    bookmark(user=reader, work=make_work(title="Open"), tags=["fave"], rec=True)
    bookmark(user=reader, work=make_work(title="Hush"), private=True)
    bookmark(user=reader, work=make_work(title="Members", restricted=True))

    def titles(client, **params):
        response = client.get(BOOKMARKS, **params)
        assert response.status_code == 200, response.json()
        return [item["work"]["title"] for item in response.json()["results"]]

    assert titles(ApiClient(), user="reader") == ["Open"]
    assert titles(ApiClient(issue_api_token(user=make_user())), user="reader") == [
        "Members",
        "Open",
    ]
    assert titles(as_reader) == ["Members", "Hush", "Open"]
    assert titles(as_reader, user="READER", rec="true") == ["Open"]
    assert titles(as_reader, tag="fave") == ["Open"]


def test_list_errors(as_reader):
    assert ApiClient().get(BOOKMARKS).status_code == 400
    missing = ApiClient().get(BOOKMARKS, user="nobody")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "There is no user called “nobody”."}
    assert as_reader.get(BOOKMARKS, sort="sideways").status_code == 400
    assert as_reader.get(BOOKMARKS, page="0").status_code == 400
    assert as_reader.get(BOOKMARKS, page="2").status_code == 404


def test_list_pages_link_to_each_other(as_reader, reader, make_work, settings):
    settings.RATE_LIMITS_ENABLED = False
    for number in range(21):
        bookmark(user=reader, work=make_work(title=f"Work {number}"), rec=True)
    first = as_reader.get(BOOKMARKS, rec="true").json()
    assert first["count"] == 21
    assert len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/bookmarks?rec=true&page=2"
    second = as_reader.get(BOOKMARKS, rec="true", page="2").json()
    assert [item["work"]["title"] for item in second["results"]] == ["Work 0"]
    assert second["previous"].endswith("page=1")


def test_read_one_bookmark(as_reader, reader, make_work):
    public, _ = bookmark(user=reader, work=make_work(), notes="Hi")
    private, _ = bookmark(user=reader, work=make_work(title="Other"), private=True)
    assert ApiClient().get(f"{BOOKMARKS}/{public.pk}").json()["notes"] == "<p>Hi</p>"
    assert ApiClient().get(f"{BOOKMARKS}/{private.pk}").status_code == 404
    assert as_reader.get(f"{BOOKMARKS}/{private.pk}").status_code == 200


def test_the_openapi_document_lists_the_bookmark_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/bookmarks"]) == {"get", "post"}
    assert set(paths["/api/v1/bookmarks/{bookmark_id}"]) == {"get", "delete"}
