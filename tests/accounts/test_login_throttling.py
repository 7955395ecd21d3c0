import logging

import pytest
from django.contrib.auth import hashers
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _emails_sent_on_commit(db):
    """Ask for ``db`` so the suite's conftest runs on-commit callbacks (emails) at once."""


PASSWORD = "correct horse battery"


@pytest.fixture
def tight_limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/900", "login_address": "5/900"}


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_right_password_logs_in(client, author):
    response = log_in(client, "smolhux", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(author.pk)


def test_too_many_attempts_on_one_account_are_refused_with_429(client, author, tight_limits):
    for _ in range(3):
        assert log_in(client, "smolhux", "wrong").status_code == 200
    response = log_in(client, "smolhux", PASSWORD, address="198.51.100.1")
    assert response.status_code == 429
    assert "Too many log-in attempts" in response.text
    assert "_auth_user_id" not in client.session
    # The form keeps the name that was typed.
    assert 'value="smolhux"' in response.text


def test_throttled_attempt_does_not_check_the_password(client, author, tight_limits, monkeypatch):
    for _ in range(3):
        log_in(client, "smolhux", "wrong")
    checked = []
    original = hashers.check_password
    monkeypatch.setattr(
        hashers, "check_password", lambda *a, **k: checked.append(1) or original(*a, **k)
    )
    monkeypatch.setattr(
        "django.contrib.auth.base_user.check_password",
        lambda *a, **k: checked.append(1) or original(*a, **k),
    )
    assert log_in(client, "smolhux", PASSWORD).status_code == 429
    assert checked == []


def test_too_many_attempts_from_one_address_are_refused(client, make_user, tight_limits):
    make_user("victim")
    for number in range(5):
        log_in(client, f"guess{number}", "wrong")
    response = log_in(client, "victim", PASSWORD)
    assert response.status_code == 429
    # Another address can still log in to that account.
    assert log_in(client, "victim", PASSWORD, address="192.0.2.9").status_code == 302


def test_own_successful_login_does_not_reset_the_victims_counter(client, make_user, tight_limits):
    make_user("victim")
    make_user("attacker")
    for _ in range(2):
        log_in(client, "victim", "wrong", address="192.0.2.1")
    assert log_in(client, "attacker", PASSWORD, address="192.0.2.2").status_code == 302
    client.logout()
    log_in(client, "victim", "wrong", address="192.0.2.3")
    assert log_in(client, "victim", PASSWORD, address="192.0.2.4").status_code == 429


def test_account_names_are_counted_ignoring_case(client, make_user, tight_limits):
    make_user("victim")
    for name in ("victim", "VICTIM", "Victim"):
        log_in(client, name, "wrong")
    assert log_in(client, "victim", PASSWORD).status_code == 429


def test_throttled_attempts_are_logged(client, author, tight_limits, caplog):
    for _ in range(3):
        log_in(client, "smolhux", "wrong")
    with caplog.at_level(logging.WARNING, logger="fanshelf.security"):
        log_in(client, "smolhux", "wrong")
    assert any("smolhux" in record.getMessage() for record in caplog.records)
    # fanshelf.requests logs every request at INFO (fanshelf.core.timing): not counted.
    records = [record for record in caplog.records if record.name != "fanshelf.requests"]
    assert records[0].name == "fanshelf.security"


def test_limits_off_never_throttle(client, author, settings):
    settings.RATE_LIMITS_ENABLED = False
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1/900"}
    for _ in range(3):
        log_in(client, "smolhux", "wrong")
    assert log_in(client, "smolhux", PASSWORD).status_code == 302
