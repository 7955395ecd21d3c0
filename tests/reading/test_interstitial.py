"""The adult content notice before Mature and Explicit works."""

import re

import pytest
from django.urls import reverse

from fanshelf.reading.models import Reading
from fanshelf.reading.preferences import update_preferences
from fanshelf.works.services import ChapterText, post_work

pytestmark = pytest.mark.django_db

NOTICE = "This work could have adult content."
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+\s*=|\sstyle\s*=|<style[\s>]", re.I)


def _tags(rating):
    return {"rating": rating, "warning": ["No Archive Warnings Apply"], "fandom": ["SW"]}


@pytest.fixture
def explicit(author):
    return post_work(
        user=author,
        title="After the Gala",
        tags=_tags("Explicit"),
        chapters=[ChapterText(body=f"<p>Secret text {n}.</p>") for n in (1, 2)],
        expected_chapters=None,
    )


def _continue_link(page: str) -> str:
    match = re.search(r'<a class="button" href="([^"]+)">Yes, continue</a>', page)
    assert match, "no “Yes, continue” link"
    return match.group(1).replace("&amp;", "&")


def test_guests_see_the_notice_instead_of_the_text(client, explicit):
    response = client.get(explicit.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert NOTICE in page and "If you continue, you agree" in page
    assert "Secret text" not in page
    assert "No, go back" in page
    assert not INLINE_CODE.search(page)


def test_continuing_shows_the_work_and_is_remembered_for_the_visit(client, explicit, make_work):
    page = client.get(explicit.get_absolute_url()).content.decode()
    response = client.get(_continue_link(page))
    assert "Secret text 1." in response.content.decode()
    # The session remembers the answer: other adult works open at once too.
    other = make_work(title="Another", tags=_tags("Mature"))
    assert NOTICE not in client.get(other.get_absolute_url()).content.decode()


@pytest.mark.parametrize("rating", ["Mature", "Explicit"])
def test_each_adult_rating_asks(client, make_work, rating):
    work = make_work(tags=_tags(rating))
    assert NOTICE in client.get(work.get_absolute_url()).content.decode()


@pytest.mark.parametrize("rating", ["General Audiences", "Teen And Up Audiences", "Not Rated"])
def test_other_ratings_do_not_ask(client, make_work, rating):
    work = make_work(tags=_tags(rating))
    assert NOTICE not in client.get(work.get_absolute_url()).content.decode()


def test_the_chapter_page_and_the_entire_work_ask_too(client, explicit):
    chapter = explicit.chapters.order_by("position").last()
    for url in (chapter.get_absolute_url(), explicit.get_absolute_url() + "?view_full_work=1"):
        page = client.get(url).content.decode()
        assert NOTICE in page and "Secret text" not in page
    # Continuing keeps what was asked for: here, the entire work.
    page = client.get(explicit.get_absolute_url() + "?view_full_work=1").content.decode()
    entire = client.get(_continue_link(page)).content.decode()
    assert "Secret text 1." in entire and "Secret text 2." in entire


def test_signed_in_readers_see_it_unless_they_turned_it_off(client, explicit, reader):
    client.force_login(reader)
    assert NOTICE in client.get(explicit.get_absolute_url()).content.decode()
    assert (
        reverse("reading:preferences") in client.get(explicit.get_absolute_url()).content.decode()
    )
    update_preferences(user=reader, confirm_adult_content=False)
    page = client.get(explicit.get_absolute_url()).content.decode()
    assert NOTICE not in page and "Secret text 1." in page


def test_creators_read_their_own_work_without_the_notice(client, explicit, author):
    client.force_login(author)
    assert NOTICE not in client.get(explicit.get_absolute_url()).content.decode()


def test_the_notice_counts_no_hit_and_no_history(client, explicit, reader):
    client.force_login(reader)
    client.get(explicit.get_absolute_url())
    assert not Reading.objects.filter(user=reader, work=explicit).exists()
    client.get(explicit.get_absolute_url() + "?view_adult=true")
    assert Reading.objects.get(user=reader, work=explicit).visits == 1


def test_going_back_returns_to_the_page_the_guest_came_from(client, explicit):
    came_from = "http://testserver" + reverse("discovery:works")
    page = client.get(explicit.get_absolute_url(), HTTP_REFERER=came_from).content.decode()
    assert f'href="{came_from}">No, go back' in page
    elsewhere = client.get(
        explicit.get_absolute_url(), HTTP_REFERER="https://evil.example/"
    ).content.decode()
    assert f'href="{reverse("home")}">No, go back' in elsewhere


def test_downloads_and_the_api_are_not_behind_the_notice(client, explicit):
    download = client.get(f"/works/{explicit.pk}/download/after-the-gala.txt")
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert b"Secret text 1." in body
    api = client.get(f"/api/v1/works/{explicit.pk}")
    assert api.status_code == 200
    assert NOTICE not in api.content.decode()
