import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from fanshelf.accounts.invitations import request_invitation, send_invitations
from fanshelf.accounts.models import Invitation, InvitationRequest, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _emails_sent_on_commit(db):
    """Ask for ``db`` so the suite's conftest runs on-commit callbacks (emails) at once."""


@pytest.fixture
def by_invitation(settings):
    settings.FANSHELF_SIGNUP = "invitation"


def form(code, username="invited", email="queued1@example.org"):
    return {
        "invitation_code": code,
        "username": username,
        "email": email,
        "password": "a long enough secret",
        "password_again": "a long enough secret",
    }


def test_open_sign_up_asks_no_code(client):
    response = client.get(reverse("sign_up"))
    assert "invitation_code" not in response.text


def test_queue_is_served_oldest_first_within_the_quota(by_invitation):
    for number in range(3):
        request_invitation(email=f"queued{number}@example.org")
    assert send_invitations(quota=2) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["queued0@example.org", "queued1@example.org"]
    # The quota covers any 24 hours: running again the same day sends nothing more.
    assert send_invitations(quota=2) == 0
    assert send_invitations(quota=3) == 1
    assert InvitationRequest.objects.filter(invited_at__isnull=True).count() == 0


def test_command_uses_the_daily_quota_setting(settings, capsys):
    settings.FANSHELF_INVITATIONS_PER_DAY = 1
    request_invitation(email="a@example.org")
    request_invitation(email="b@example.org")
    call_command("invitations", "send")
    assert "Sent 1 invitation" in capsys.readouterr().out
    assert Invitation.objects.get().email == "a@example.org"


def test_requests_are_not_queued_twice_or_for_existing_accounts(make_user):
    make_user("fan", email="fan@example.org")
    request_invitation(email="fan@example.org")
    request_invitation(email="new@example.org")
    request_invitation(email="NEW@example.org")
    assert list(InvitationRequest.objects.values_list("email", flat=True)) == ["new@example.org"]


def test_request_page_answers_the_same_and_is_rate_limited(client, make_user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation_request": "2/3600"}
    make_user("fan", email="fan@example.org")
    url = reverse("account:request_invitation")
    known = client.post(url, {"email": "fan@example.org"}, follow=True)
    unknown = client.post(url, {"email": "new@example.org"}, follow=True)
    assert "You are in the queue" in known.text and "You are in the queue" in unknown.text
    assert client.post(url, {"email": "other@example.org"}).status_code == 429


def test_invitation_link_signs_up_and_is_used_once(client, by_invitation):
    request_invitation(email="queued1@example.org")
    send_invitations(quota=1)
    path = re.search(r"https?://[^/\s]+(/signup/\S+)", mail.outbox[0].body).group(1)
    code = Invitation.objects.get().code
    page = client.get(path)
    assert f'value="{code}"' in page.text
    response = client.post(reverse("sign_up"), form(code))
    assert response.status_code == 302
    user = User.objects.get(username="invited")
    assert user.email_confirmed  # the code came to that address
    invitation = Invitation.objects.get()
    assert invitation.used_by == user and invitation.used_at is not None
    client.logout()
    again = client.post(reverse("sign_up"), form(code, username="second", email="x@example.org"))
    assert "already used" in again.text
    assert not User.objects.filter(username="second").exists()


def test_sign_up_without_a_valid_code_is_refused_keeping_the_form(client, by_invitation):
    missing = client.post(reverse("sign_up"), form(""))
    assert "This field is required" in missing.text
    forged = client.post(reverse("sign_up"), form("made-up:code"))
    assert "not valid" in forged.text
    assert 'value="invited"' in forged.text
    assert not User.objects.exists()


def test_tampered_code_is_refused(client, by_invitation):
    request_invitation(email="queued1@example.org")
    send_invitations(quota=1)
    code = Invitation.objects.get().code
    tampered = ("B" if code[0] == "A" else "A") + code[1:]
    response = client.post(reverse("sign_up"), form(tampered))
    assert "not valid" in response.text
    assert not User.objects.exists()


def test_code_and_account_errors_are_shown_together(client, by_invitation, make_user):
    make_user("invited")
    response = client.post(reverse("sign_up"), form("bad"))
    assert "not valid" in response.text and "taken" in response.text


def test_other_address_signs_up_unconfirmed(client, by_invitation):
    request_invitation(email="queued1@example.org")
    send_invitations(quota=1)
    code = Invitation.objects.get().code
    client.post(reverse("sign_up"), form(code, email="elsewhere@example.org"))
    assert not User.objects.get(username="invited").email_confirmed
    assert mail.outbox[-1].to == ["elsewhere@example.org"]
