"""Bad input: guessed draft ids, another's work edited by URL, writes to drafts."""

import json
import re

import pytest

from fanshelf.accounts.services import issue_api_token
from fanshelf.bookmarks.models import Bookmark
from fanshelf.feedback.models import Comment, Kudos
from fanshelf.works.models import Chapter, Work

MISSING = 999_999


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


@pytest.fixture
def draft(make_work):
    return make_work(title="Secret Draft", chapters=["<p>Unseen words.</p>"], state="draft")


@pytest.fixture
def posted(make_work):
    return make_work(title="Posted Work", chapters=["<p>Seen words.</p>"])


def _same_as_missing(client, path_of, work_id):
    """The response for ``work_id`` and for an id that does not exist, ids blanked out."""
    found = client.get(path_of(work_id))
    missing = client.get(path_of(MISSING))
    expected = _unmasked(missing.content.decode().replace(str(MISSING), str(work_id)))
    return found, missing, _unmasked(found.content.decode()) == expected


def _unmasked(html: str) -> str:
    """The page without its CSRF token, which Django masks afresh on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("role", ["guest", "reader", "wrangler", "moderator", "admin"])
@pytest.mark.parametrize(
    "path_of",
    [
        lambda pk: f"/works/{pk}/",
        lambda pk: f"/works/{pk}/navigate/",
        lambda pk: f"/works/{pk}/bookmarks/",
        lambda pk: f"/works/{pk}/download/secret-draft.epub",
    ],
    ids=["detail", "navigate", "bookmarks", "download"],
)
def test_a_guessed_draft_id_answers_exactly_like_a_missing_one(
    client, make_user, draft, role, path_of
):
    if role != "guest":
        client.force_login(make_user(role=role))
    found, missing, same = _same_as_missing(client, path_of, draft.pk)
    assert found.status_code == missing.status_code == 404
    assert same
    assert "Secret Draft" not in found.content.decode()


def test_the_api_answers_a_guessed_draft_id_with_the_json_404_of_a_missing_one(
    client, make_user, draft
):
    token = issue_api_token(user=make_user())
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        found = client.get(f"/api/v1/works/{draft.pk}", headers=headers)
        missing = client.get(f"/api/v1/works/{MISSING}", headers=headers)
        assert found.status_code == missing.status_code == 404
        assert found["Content-Type"].startswith("application/json")
        assert "detail" in found.json()
        assert found.json() == missing.json() or "Secret Draft" not in found.content.decode()


def test_the_creator_still_reads_their_draft(client, author, draft):
    client.force_login(author)
    assert client.get(f"/works/{draft.pk}/").status_code == 200


def test_another_users_work_cannot_be_edited_or_deleted_by_url(client, make_user, posted):
    client.force_login(make_user())
    chapter = posted.chapters.get()
    edit = client.post(f"/works/{posted.pk}/edit/", {"title": "Pwned", "body": "<p>Pwned.</p>"})
    delete = client.post(f"/works/{posted.pk}/delete/")
    edit_chapter = client.post(
        f"/works/{posted.pk}/chapters/{chapter.pk}/edit/", {"body": "<p>Pwned.</p>"}
    )
    delete_chapter = client.post(f"/works/{posted.pk}/chapters/{chapter.pk}/delete/")
    publish = client.post(f"/works/{posted.pk}/post/")
    for response in (edit, delete, edit_chapter, delete_chapter, publish):
        assert response.status_code in (403, 404)
    posted.refresh_from_db()
    chapter.refresh_from_db()
    assert posted.title == "Posted Work"
    assert chapter.body == "<p>Seen words.</p>"
    assert Chapter.objects.filter(pk=chapter.pk).exists()


def test_another_users_draft_cannot_be_edited_posted_or_deleted_by_url(client, make_user, draft):
    client.force_login(make_user())
    for path in (
        f"/works/{draft.pk}/edit/",
        f"/works/{draft.pk}/post/",
        f"/works/{draft.pk}/delete/",
    ):
        assert client.post(path, {"title": "Pwned"}).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Secret Draft"
    assert draft.state == Work.State.DRAFT


def test_the_api_refuses_to_edit_or_delete_another_users_work(client, make_user, posted, draft):
    token = issue_api_token(user=make_user())
    headers = {"Authorization": f"Bearer {token}"}
    for work, refused in ((posted, (403, 404)), (draft, (404,))):
        edit = client.patch(
            f"/api/v1/works/{work.pk}",
            json.dumps({"title": "Pwned"}),
            content_type="application/json",
            headers=headers,
        )
        delete = client.delete(f"/api/v1/works/{work.pk}", headers=headers)
        assert edit.status_code in refused
        assert delete.status_code in refused
        assert "detail" in delete.json()
        work.refresh_from_db()
        assert work.title != "Pwned"


@pytest.mark.parametrize("role", ["guest", "reader"])
def test_feedback_posted_to_a_draft_id_is_a_404_and_writes_nothing(client, make_user, draft, role):
    if role != "guest":
        client.force_login(make_user())
    responses = [
        client.post(f"/works/{draft.pk}/kudos/"),
        client.post(
            f"/works/{draft.pk}/comments/new/",
            {"body": "Found you.", "guest_name": "Nosy", "guest_email": "nosy@example.org"},
        ),
    ]
    if role != "guest":
        responses.append(client.post(f"/works/{draft.pk}/bookmark/", {"notes": "Found."}))
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert not Kudos.objects.exists()
    assert not Comment.objects.exists()
    assert not Bookmark.objects.exists()


def test_api_feedback_to_a_draft_id_is_a_json_404(client, make_user, draft):
    token = issue_api_token(user=make_user())
    headers = {"Authorization": f"Bearer {token}"}
    for path, data in (
        (f"/api/v1/works/{draft.pk}/kudos", {}),
        (f"/api/v1/works/{draft.pk}/comments", {"body": "Found you."}),
        ("/api/v1/bookmarks", {"work": draft.pk}),
    ):
        response = client.post(
            path, json.dumps(data), content_type="application/json", headers=headers
        )
        assert response.status_code == 404, path
        assert "detail" in response.json()
    assert not Kudos.objects.exists()
    assert not Comment.objects.exists()
    assert not Bookmark.objects.exists()
