import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from fanshelf.accounts.confirmation import SALT, confirmation_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _emails_sent_on_commit(db):
    """Ask for ``db`` so the suite's conftest runs on-commit callbacks (emails) at once."""


SIGN_UP = {
    "username": "newfan",
    "email": "newfan@example.org",
    "password": "a long enough secret",
    "password_again": "a long enough secret",
}


def confirmation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/confirm/\S+)", message.body).group(1)


def test_sign_up_logs_in_unconfirmed_and_mails_a_link(client, settings):
    settings.SITE_URL = "https://archive.example"
    response = client.post(reverse("sign_up"), SIGN_UP, follow=True)
    assert response.context["user"].username == "newfan"
    assert not response.context["user"].email_confirmed
    assert "Please confirm your email" in response.text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newfan@example.org"]
    assert "https://archive.example/account/confirm/" in mail.outbox[0].body


def test_following_the_link_confirms_the_email(client):
    client.post(reverse("sign_up"), SIGN_UP)
    path = confirmation_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert 'method="post"' in page.text  # a GET alone changes nothing
    response = client.post(path, follow=True)
    assert response.context["user"].email_confirmed
    assert "Please confirm your email" not in response.text


def test_tampered_link_is_refused(client, make_user):
    user = make_user("fan")
    token = confirmation_token(user)
    tampered = token[:-2] + ("xx" if token[-2:] != "xx" else "yy")
    response = client.post(reverse("account:confirm_email", args=[tampered]))
    assert response.status_code == 400
    assert "not valid" in response.text
    user.refresh_from_db()
    assert not user.email_confirmed


def test_link_signed_with_another_salt_is_refused(client, make_user):
    user = make_user("fan")
    forged = signing.dumps({"user": user.pk, "email": user.email}, salt="other")
    assert client.post(reverse("account:confirm_email", args=[forged])).status_code == 400


def test_expired_link_is_refused(client, make_user, settings):
    user = make_user("fan")
    token = confirmation_token(user)
    settings.FANSHELF_EMAIL_CONFIRM_SECONDS = -1
    response = client.post(reverse("account:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "expired" in response.text


def test_link_for_an_old_address_is_refused(client, make_user):
    user = make_user("fan")
    token = signing.dumps({"user": user.pk, "email": "old@example.org"}, salt=SALT, compress=True)
    response = client.post(reverse("account:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "no longer uses" in response.text


def test_send_again_mails_a_new_link_and_is_rate_limited(client, make_user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "confirmation_email": "2/3600"}
    user = make_user("fan")
    client.force_login(user)
    for _ in range(2):
        assert client.post(reverse("account:send_confirmation")).status_code == 302
    assert len(mail.outbox) == 2
    response = client.post(reverse("account:send_confirmation"))
    assert response.status_code == 429
    assert "try again in an hour" in response.text
    assert len(mail.outbox) == 2


def test_send_again_needs_a_post_and_a_login(client, make_user):
    assert client.post(reverse("account:send_confirmation")).status_code == 302
    client.force_login(make_user("fan"))
    assert client.get(reverse("account:send_confirmation")).status_code == 405
    assert mail.outbox == []


def test_unconfirmed_users_may_still_post_works(client, make_user):
    # Deliberate for now: an unconfirmed address only shows the banner.
    user = make_user("fan")
    client.force_login(user)
    assert client.get(reverse("works:new")).status_code == 200


def test_sign_up_errors_keep_what_was_typed(client, make_user):
    make_user("newfan")
    response = client.post(reverse("sign_up"), {**SIGN_UP, "password_again": "different"})
    assert response.status_code == 200
    assert 'value="newfan@example.org"' in response.text
    assert "taken" in response.text or "differ" in response.text


def test_sign_ups_are_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_up": "1/3600"}
    client.post(reverse("sign_up"), SIGN_UP)
    client.logout()
    response = client.post(reverse("sign_up"), {**SIGN_UP, "username": "second"})
    assert response.status_code == 429
    assert 'value="second"' in response.text
