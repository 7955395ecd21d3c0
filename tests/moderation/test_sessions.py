"""A banned user cannot log in, and a session they already had ends."""

import pytest
from django.urls import reverse

from fanshelf.moderation import services

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_wrong_password_of_a_banned_user_says_nothing_of_the_ban(client, reader, moderator):
    services.ban(moderator=moderator, user=reader, message="Spam")
    response = client.post(reverse("login"), {"username": "reader", "password": "wrong"})
    assert "banned" not in response.content.decode()


def test_banned_user_cannot_log_in(client, reader, moderator):
    services.ban(moderator=moderator, user=reader, message="Spam")
    response = _log_in(client, reader)
    assert response.status_code == 200
    assert "Your account is banned: Spam" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_user_logs_in_again_once_the_ban_is_lifted(client, reader, moderator):
    sanction = services.ban(moderator=moderator, user=reader, message="Spam")
    services.lift(moderator=moderator, sanction=sanction)
    assert _log_in(client, reader).status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_suspended_user_can_still_log_in(client, reader, moderator):
    services.suspend(moderator=moderator, user=reader, days=2, message="Cool off")
    assert _log_in(client, reader).status_code == 302


def test_ban_ends_an_existing_session(client, reader, moderator):
    client.force_login(reader)
    assert client.get(reverse("account:page")).status_code == 200
    services.ban(moderator=moderator, user=reader, message="Spam")
    response = client.get(reverse("account:page"))
    assert response.status_code == 302  # sent to log in
    assert "_auth_user_id" not in client.session


def test_a_banned_users_api_token_is_refused_and_a_suspended_ones_still_reads(
    client, reader, make_user, moderator
):
    from fanshelf.accounts.services import issue_api_token

    token = issue_api_token(user=reader)
    me = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/works", **me).status_code == 200
    services.suspend(moderator=moderator, user=reader, days=2, message="Cool off")
    assert client.get("/api/v1/works", **me).status_code == 200
    services.ban(moderator=moderator, user=reader, message="Spam")
    refused = client.get("/api/v1/works", **me)
    assert refused.status_code == 401 and "detail" in refused.json()
