"""A blocked user cannot comment on, reply within or leave kudos on the blocker's works."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fanshelf.accounts.services import issue_api_token
from fanshelf.feedback import services as feedback
from fanshelf.feedback.models import Comment, Kudos
from fanshelf.muting import services
from fanshelf.works.models import Creatorship
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

BLOCKED = "The creator of this work has blocked you"


@pytest.fixture
def work(make_work):
    return make_work()


@pytest.fixture
def blocked(author, troll):
    services.block(user=author, target=troll)
    return troll


def test_the_services_refuse_a_blocked_users_comment_reply_and_kudos(work, blocked, reader):
    top = feedback.post_comment(work=work, user=reader, body="Lovely")

    with pytest.raises(PermissionDenied, match="cannot comment on it"):
        feedback.post_comment(work=work, user=blocked, body="Rant")
    with pytest.raises(PermissionDenied, match="reply to its comments"):
        feedback.post_comment(work=work, parent=top, user=blocked, body="Rant")
    with pytest.raises(PermissionDenied, match="cannot leave kudos"):
        feedback.give_kudos(work=work, user=blocked)

    assert not Comment.objects.filter(user=blocked).exists()
    assert not Kudos.objects.filter(user=blocked).exists()


def test_a_blocked_user_cannot_edit_a_comment_written_before_the_block(work, author, troll):
    earlier = feedback.post_comment(work=work, user=troll, body="Before the block")
    services.block(user=author, target=troll)

    with pytest.raises(PermissionDenied, match="cannot comment on it"):
        feedback.edit_comment(comment=earlier, user=troll, body="Rewritten after the block")

    earlier.refresh_from_db()
    assert earlier.text == "Before the block"


def test_a_block_by_a_co_creator_covers_the_shared_work(make_work, make_user, troll):
    co_creator = make_user("co_creator")
    work = make_work()
    Creatorship.objects.create(work=work, pseud=co_creator.default_pseud, position=1)
    services.block(user=co_creator, target=troll)

    with pytest.raises(PermissionDenied):
        feedback.give_kudos(work=work, user=troll)


def test_others_and_guests_still_comment_and_leave_kudos(work, blocked, reader):
    feedback.post_comment(work=work, user=reader, body="Lovely")
    feedback.post_comment(work=work, guest_name="Anon", guest_email="a@example.org", body="Hi")
    assert feedback.give_kudos(work=work, user=reader) is True
    assert feedback.give_kudos(work=work, guest_key="guest-1") is True


def test_unblocking_lets_them_comment_again(work, blocked, author):
    services.unblock(user=author, target=blocked)
    assert feedback.give_kudos(work=work, user=blocked) is True


def test_the_blocked_user_only_sees_the_blocked_note_on_the_work_page(client, work, blocked):
    client.force_login(blocked)
    page = client.get(work.get_absolute_url()).content.decode()

    assert BLOCKED in page
    assert 'class="comment-form"' not in page
    assert 'class="kudos-form"' not in page


def test_other_readers_and_guests_are_offered_the_form_and_the_button(
    client, work, blocked, reader
):
    for viewer in (None, reader):
        if viewer:
            client.force_login(viewer)
        page = client.get(work.get_absolute_url()).content.decode()
        assert 'class="comment-form"' in page and 'class="kudos-form"' in page
        assert BLOCKED not in page


def test_posting_through_the_pages_shows_the_reason_and_keeps_the_text(client, work, blocked):
    client.force_login(blocked)
    response = client.post(
        reverse("feedback:new_comment", args=[work.pk]), {"body": "My carefully typed rant"}
    )
    page = response.content.decode()
    assert BLOCKED in page and "My carefully typed rant" in page

    response = client.post(reverse("feedback:kudos", args=[work.pk]), follow=True)
    assert "cannot leave kudos" in response.content.decode()
    assert not Comment.objects.exists() and not Kudos.objects.exists()


def test_the_api_answers_403_with_the_reason(work, blocked, reader):
    api = ApiClient(issue_api_token(user=blocked))
    top = feedback.post_comment(work=work, user=reader, body="Lovely")

    comment = api.post(f"/api/v1/works/{work.pk}/comments", {"body": "Rant"})
    reply = api.post(f"/api/v1/works/{work.pk}/comments", {"body": "Rant", "parent": top.pk})
    kudos = api.post(f"/api/v1/works/{work.pk}/kudos")

    for response in (comment, reply, kudos):
        assert response.status_code == 403
        assert response.json()["detail"].startswith(BLOCKED)
