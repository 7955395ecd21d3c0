import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _emails_sent_on_commit(db):
    """Ask for ``db`` so the suite's conftest runs on-commit callbacks (emails) at once."""


def ask_reset(client, email, address="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.mark.argon2
def test_reset_email_links_to_the_site_url_and_sets_a_new_password(client, author, settings):
    settings.SITE_URL = "https://archive.example"
    response = ask_reset(client, "SMOLHUX@example.org")
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["smolhux@example.org"]
    link = link_in(mail.outbox[0])
    assert link.startswith("https://archive.example/password/reset/")
    form_page = client.get(link.removeprefix("https://archive.example"), follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a much newer secret", "new_password2": "a much newer secret"},
    )
    assert done.status_code == 302
    author.refresh_from_db()
    assert author.check_password("a much newer secret")
    assert author.password.startswith("argon2")


def test_unknown_email_gets_the_same_answer_and_no_mail(client, author):
    response = ask_reset(client, "nobody@example.org")
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_tampered_reset_link_is_refused(client, author):
    ask_reset(client, "smolhux@example.org")
    path = re.sub(r"^https?://[^/]+", "", link_in(mail.outbox[0]))
    tampered = path[:-3] + "zzz/"
    response = client.get(tampered, follow=True)
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert "invalid or has expired" in response.text


def test_reset_link_expires(client, author, settings):
    ask_reset(client, "smolhux@example.org")
    path = re.sub(r"^https?://[^/]+", "", link_in(mail.outbox[0]))
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = client.get(path, follow=True)
    assert not response.context["validlink"]


def test_reset_requests_are_limited_per_email(client, author, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/3600"}
    for number in range(2):
        ask_reset(client, "smolhux@example.org", address=f"192.0.2.{number}")
    response = ask_reset(client, "smolhux@example.org", address="192.0.2.99")
    assert response.status_code == 429
    assert "Too many password reset requests" in response.text
    assert 'value="smolhux@example.org"' in response.text
    assert len(mail.outbox) == 2


def test_reset_requests_are_limited_per_address(client, author, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/3600"}
    ask_reset(client, "a@example.org")
    ask_reset(client, "b@example.org")
    assert ask_reset(client, "smolhux@example.org").status_code == 429
    assert mail.outbox == []
