"""Reader preferences: the page, the service, and what each preference changes on pages."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanshelf.core.auth import ArchiveBackend
from fanshelf.reading.models import ReadingPreference
from fanshelf.reading.preferences import preferences_for, update_preferences
from fanshelf.works.services import ChapterText, post_work

pytestmark = pytest.mark.django_db

SPOILER_TAGS = {
    "rating": "Teen And Up Audiences",
    "warning": ["Major Character Death"],
    "category": ["M/M"],
    "fandom": ["Star Wars Sequel Trilogy"],
    "freeform": ["Sad Ending"],
}
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+\s*=|\sstyle\s*=|<style[\s>]", re.I)


def _blurbs(page: str) -> str:
    """The listing's work blurbs only (the filter sidebar lists tags to filter by)."""
    return "".join(re.findall(r'<li class="blurb".*?\n</li>', page, flags=re.S))


def _outside_details(page: str) -> str:
    """The page without its <details> contents: what a reader sees before clicking."""
    return re.sub(r"<details>.*?</details>", "<details></details>", page, flags=re.S)


@pytest.fixture
def spoiler_work(make_work):
    return make_work(title="Farewell", tags=SPOILER_TAGS)


def test_guests_get_the_defaults_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        preference = preferences_for(AnonymousUser())
    assert preference.pk is None
    assert preference.history_enabled and preference.confirm_adult_content
    assert not (preference.hide_warnings or preference.hide_freeform)
    assert preference.zone_name == settings.TIME_ZONE


def test_preferences_are_read_once_per_user_object(reader, django_assert_num_queries):
    update_preferences(user=reader, hide_warnings=True)
    fresh = type(reader).objects.get(pk=reader.pk)
    with django_assert_num_queries(1):
        assert preferences_for(fresh).hide_warnings
        assert preferences_for(fresh).hide_warnings


def test_a_signed_in_users_preferences_come_with_the_user_in_one_query(
    reader, django_assert_num_queries
):
    update_preferences(user=reader, hide_warnings=True)
    with django_assert_num_queries(1):
        loaded = ArchiveBackend().get_user(reader.pk)
        assert preferences_for(loaded).hide_warnings
        assert loaded.sanctioned is False


def test_update_changes_only_what_is_given(reader):
    update_preferences(user=reader, hide_freeform=True, time_zone="Asia/Tokyo")
    update_preferences(user=reader, history_enabled=False)
    saved = ReadingPreference.objects.get(user=reader)
    assert saved.hide_freeform and not saved.history_enabled
    assert saved.time_zone == "Asia/Tokyo"
    assert saved.confirm_adult_content


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"hide_warnings": "yes"}, "hide_warnings"),
        ({"is_superuser": True}, "is_superuser"),
    ],
)
def test_update_refuses_bad_values_with_a_message_per_field(reader, changes, field):
    with pytest.raises(ValidationError) as error:
        update_preferences(user=reader, **changes)
    assert field in error.value.message_dict
    assert not ReadingPreference.objects.filter(user=reader).exists()


def test_guests_cannot_keep_preferences():
    with pytest.raises(PermissionDenied):
        update_preferences(user=AnonymousUser(), hide_warnings=True)


def test_preferences_page_needs_a_login(client):
    response = client.get(reverse("reading:preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_every_preference_and_is_linked_from_the_account(client, reader):
    client.force_login(reader)
    page = client.get(reverse("reading:preferences")).content.decode()
    for name in ("hide_warnings", "hide_freeform", "confirm_adult_content", "view_entire_work"):
        assert f'name="{name}"' in page
    assert 'name="hide_creator_style"' in page
    assert "Work skins are not supported yet; this will apply when they are" in page
    assert '<option value="UTC" selected>UTC</option>' in page
    assert "<title>Preferences — Fanshelf</title>" in page
    assert not INLINE_CODE.search(page)
    assert reverse("reading:preferences") in client.get(reverse("account:page")).content.decode()


def test_saving_the_form_stores_the_choices(client, reader):
    client.force_login(reader)
    response = client.post(
        reverse("reading:preferences"),
        {"hide_warnings": "on", "view_entire_work": "on", "time_zone": "Europe/Berlin"},
    )
    assert response.status_code == 302
    saved = ReadingPreference.objects.get(user=reader)
    assert saved.hide_warnings and saved.view_entire_work and saved.time_zone == "Europe/Berlin"
    # Unticked boxes are off, history included (it is on the same page now).
    assert not saved.history_enabled and not saved.confirm_adult_content
    assert "Your preferences were saved." in client.get(response["Location"]).content.decode()


def test_a_bad_time_zone_is_explained_and_the_form_keeps_what_was_typed(client, reader):
    client.force_login(reader)
    response = client.post(
        reverse("reading:preferences"),
        {"hide_freeform": "on", "time_zone": "Europe/Atlantis"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Europe/Atlantis” is not a time zone we know" in page
    assert re.search(r'name="hide_freeform"[^>]*checked', page)
    assert not ReadingPreference.objects.filter(user=reader).exists()


def test_the_history_setting_still_works(client, reader):
    client.force_login(reader)
    client.post(reverse("reading:history_setting"), {"enabled": "0"})
    assert ReadingPreference.objects.get(user=reader).history_enabled is False


def test_hidden_warnings_sit_behind_a_click_on_the_work_page(client, reader, spoiler_work):
    update_preferences(user=reader, hide_warnings=True)
    client.force_login(reader)
    page = client.get(spoiler_work.get_absolute_url()).content.decode()
    assert "<summary>Show warnings</summary>" in page
    assert "Major Character Death" in page  # one click away
    before_click = _outside_details(page)
    assert "Major Character Death" not in before_click
    assert "Sad Ending" in before_click  # additional tags are still shown
    assert "Teen And Up Audiences" in before_click  # and so is the rating
    assert not INLINE_CODE.search(page)


def test_hidden_additional_tags_sit_behind_a_click_in_listings(client, reader, spoiler_work):
    update_preferences(user=reader, hide_freeform=True)
    client.force_login(reader)
    page = _blurbs(client.get(reverse("discovery:works")).content.decode())
    assert "<summary>Show additional tags</summary>" in page
    assert "Sad Ending" in page
    before_click = _outside_details(page)
    assert "Sad Ending" not in before_click
    assert "Major Character Death" in before_click


def test_the_listings_tag_sidebar_hides_them_too(client, reader, spoiler_work):
    update_preferences(user=reader, hide_warnings=True, hide_freeform=True)
    client.force_login(reader)
    page = client.get(reverse("discovery:works")).content.decode()
    before_click = re.sub(r"<details[^>]*>.*?</details>", "", page, flags=re.S)
    assert '<details class="facets-hidden"><summary>Show warnings</summary>' in page
    assert "Major Character Death" in page and "Sad Ending" in page
    assert "Major Character Death" not in before_click and "Sad Ending" not in before_click
    assert "Star Wars Sequel Trilogy" in before_click  # fandoms are no spoiler


def test_hidden_tags_are_not_in_titles_or_attributes(client, reader, spoiler_work):
    update_preferences(user=reader, hide_warnings=True, hide_freeform=True)
    client.force_login(reader)
    for url in (spoiler_work.get_absolute_url(), reverse("discovery:works")):
        page = client.get(url).content.decode()
        head = page.split("</head>")[0]
        attributes = " ".join(re.findall(r'(?:title|aria-label|content)="([^"]*)"', page))
        for spoiler in ("Major Character Death", "Sad Ending"):
            assert spoiler not in head and spoiler not in attributes


def test_guests_and_readers_who_hide_nothing_see_every_tag(client, reader, spoiler_work):
    update_preferences(user=reader, hide_warnings=False)
    for who in (None, reader):
        if who:
            client.force_login(who)
        for url in (spoiler_work.get_absolute_url(), reverse("discovery:works")):
            page = client.get(url).content.decode()
            assert "<details>" not in page
            assert "Major Character Death" in page and "Sad Ending" in page


def test_the_listing_reads_the_preference_once(
    client, make_user, make_work, django_assert_max_num_queries
):
    for number in range(8):
        make_work(title=f"Work {number}", tags=SPOILER_TAGS)
    fan = make_user("spoilerfree")
    update_preferences(user=fan, hide_warnings=True, hide_freeform=True)
    client.force_login(fan)
    client.get(reverse("discovery:works"))  # warm the facet caches
    with django_assert_max_num_queries(20) as captured:
        page = client.get(reverse("discovery:works")).content.decode()
    # One per blurb, and one in the tag sidebar.
    assert page.count('<li class="tags-hidden"><details><summary>Show warnings</summary>') == 8
    assert page.count('<details class="facets-hidden"><summary>Show warnings</summary>') == 1
    preference_table = ReadingPreference._meta.db_table
    reads = [q for q in captured.captured_queries if preference_table in q["sql"]]
    assert len(reads) == 1


def _chaptered_work(author):
    return post_work(
        user=author,
        title="Long",
        tags=SPOILER_TAGS,
        chapters=[ChapterText(body=f"<p>Chapter text {n}.</p>") for n in range(1, 4)],
        expected_chapters=None,
    )


def test_entire_work_by_default_shows_every_chapter(client, author, reader):
    work = _chaptered_work(author)
    client.force_login(reader)
    assert client.get(work.get_absolute_url()).content.decode().count('class="chapter"') == 1
    update_preferences(user=reader, view_entire_work=True)
    page = client.get(work.get_absolute_url()).content.decode()
    assert page.count('class="chapter"') == 3
    assert "Chapter by chapter" in page
    first = work.chapters.order_by("position").first()
    chapter_page = client.get(first.get_absolute_url()).content.decode()
    assert chapter_page.count('class="chapter"') == 1
    asked_for_one = client.get(work.get_absolute_url() + "?view_full_work=0").content.decode()
    assert asked_for_one.count('class="chapter"') == 1


def test_entire_work_by_default_does_not_change_what_guests_see(client, author, reader):
    work = _chaptered_work(author)
    update_preferences(user=reader, view_entire_work=True)
    assert client.get(work.get_absolute_url()).content.decode().count('class="chapter"') == 1


def test_hiding_creator_styles_is_stored_and_read_back(reader):
    update_preferences(user=reader, hide_creator_style=True)
    reader.__dict__.pop("_fanshelf_reading_preference")
    assert preferences_for(reader).hide_creator_style is True
