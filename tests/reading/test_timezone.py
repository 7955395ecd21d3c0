"""Dates on pages in the reader's chosen time zone (ReaderTimeZoneMiddleware)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from fanshelf.reading.models import ReadingPreference
from fanshelf.reading.preferences import update_preferences
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db

# Half an hour before midnight in UTC is already the next afternoon in Kiribati (UTC+14).
LATE_EVENING_UTC = datetime.datetime(2026, 1, 1, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture
def late_work(make_work):
    work = make_work(title="New Year")
    Work.objects.filter(pk=work.pk).update(
        published_at=LATE_EVENING_UTC, revised_at=LATE_EVENING_UTC
    )
    return work


def test_the_work_date_renders_in_the_readers_time_zone(client, reader, late_work):
    update_preferences(user=reader, time_zone="Pacific/Kiritimati")
    client.force_login(reader)
    page = client.get(late_work.get_absolute_url()).content.decode()
    assert '<time datetime="2026-01-02T13:30:00+14:00">2026-01-02</time>' in page
    listing = client.get(reverse("discovery:works")).content.decode()
    assert ">2026-01-02</time>" in listing


def test_guests_and_readers_without_a_choice_see_the_archive_time_zone(
    client, make_user, late_work
):
    assert settings.TIME_ZONE == "UTC"
    assert ">2026-01-01</time>" in client.get(late_work.get_absolute_url()).content.decode()
    client.force_login(make_user("nochoice"))
    assert ">2026-01-01</time>" in client.get(late_work.get_absolute_url()).content.decode()


def test_the_zone_does_not_outlive_the_request(client, reader, late_work):
    update_preferences(user=reader, time_zone="America/Los_Angeles")
    client.force_login(reader)
    client.get(late_work.get_absolute_url())
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_a_zone_no_longer_known_falls_back_to_the_archives(client, reader, late_work):
    # Written past the service, as a zone dropped from the system's database would be.
    ReadingPreference.objects.create(user=reader, time_zone="Atlantis/Poseidonis")
    client.force_login(reader)
    response = client.get(late_work.get_absolute_url())
    assert response.status_code == 200
    assert ">2026-01-01</time>" in response.content.decode()
