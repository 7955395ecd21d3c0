"""Security events: throttled log-ins and resets, pseud tampering; listed for moderators."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fanshelf.accounts.models import Pseud
from fanshelf.moderation.models import SecurityEvent
from fanshelf.moderation.security import flush_pending_events

pytestmark = pytest.mark.django_db


def test_throttled_log_in_is_recorded_without_the_password(client, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/900"}
    for _ in range(3):
        client.post(reverse("login"), {"username": "reader", "password": "guess-123-secret"})
    event = SecurityEvent.objects.get()
    assert (event.kind, event.username, event.address) == ("login_throttled", "reader", "127.0.0.1")
    stored = f"{event.username} {event.address} {event.detail}"
    assert "guess-123-secret" not in stored


def test_throttled_password_reset_is_recorded(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "1/3600"}
    for _ in range(2):
        client.post(reverse("password_reset"), {"email": "fan@example.org"})
    event = SecurityEvent.objects.get()
    assert event.kind == "reset_throttled" and event.username == "fan@example.org"


def test_posting_as_another_users_pseud_is_recorded_despite_the_rollback(make_work, reader, author):
    from fanshelf.works.services import ChapterText, post_work

    with pytest.raises(PermissionDenied):
        post_work(
            user=reader,
            title="Stolen",
            chapters=[ChapterText(body="<p>x</p>")],
            pseud=Pseud.objects.get(user=author),
        )
    flush_pending_events()
    event = SecurityEvent.objects.get()
    assert event.kind == "pseud_tampering" and event.username == "reader"


def test_security_page_is_for_moderators(client, reader, moderator):
    SecurityEvent.objects.create(kind="login_throttled", username="victim", address="10.1.1.1")
    client.force_login(reader)
    assert client.get(reverse("moderation:security")).status_code == 404
    client.force_login(moderator)
    page = client.get(reverse("moderation:security")).content.decode()
    assert "victim" in page and "10.1.1.1" in page
