"""A muted user's works, comments and bookmarks disappear for the muter, and only for them."""

import re

import pytest
from django.urls import reverse

from fanshelf.bookmarks.services import bookmark
from fanshelf.feedback import services as feedback
from fanshelf.muting import services
from fanshelf.works.models import Creatorship
from tests.factories import work_tags as tags

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<h2 class="heading"><a href="/works/\d+/">([^<]*)</a>', html)


@pytest.fixture
def shelf(make_work, troll):
    """One work by the author, one by the troll, one co-created by both."""
    make_work(title="Perfect", chapters=["<p>Starlight over the Finalizer.</p>"])
    make_work(troll, title="Bait", chapters=["<p>Starlight and flame wars.</p>"])
    shared = make_work(title="Shared", chapters=["<p>Starlight, written together.</p>"])
    Creatorship.objects.create(work=shared, pseud=troll.default_pseud, position=1)


@pytest.fixture
def muter(client, reader, troll):
    services.mute(user=reader, target=troll)
    client.force_login(reader)
    return reader


def test_works_by_a_muted_user_leave_the_muters_listing_and_search(client, shelf, muter):
    assert titles(client.get("/works/")) == ["Perfect"]
    assert titles(client.get("/works/", {"q": "starlight"})) == ["Perfect"]
    assert "Bait" not in client.get("/").content.decode()


def test_guests_and_other_readers_still_see_every_work(client, shelf, muter, make_user):
    client.logout()
    assert sorted(titles(client.get("/works/", {"q": "starlight"}))) == [
        "Bait",
        "Perfect",
        "Shared",
    ]
    client.force_login(make_user())
    assert len(titles(client.get("/works/"))) == 3


def test_unmuting_brings_the_works_back(client, shelf, muter, troll):
    services.unmute(user=muter, target=troll)
    assert len(titles(client.get("/works/"))) == 3


def test_the_muted_users_own_page_shows_the_mute_and_hides_their_works(client, shelf, muter, troll):
    response = client.get(reverse("users:works", args=[troll.username]))
    assert titles(response) == []
    assert "You mute troll" in response.content.decode()


def test_a_listing_with_mutes_costs_one_query_more_whatever_their_number(
    client, make_work, make_user, reader, django_assert_max_num_queries
):
    for number in range(20):
        make_work(title=f"Work {number}", tags=tags(character=[f"Character {number}"]))
    client.force_login(reader)
    client.get("/works/")  # session and first-use queries out of the way
    with django_assert_max_num_queries(12) as unmuted:
        assert len(titles(client.get("/works/"))) == 20
    for number in range(30):
        muted = make_user()
        make_work(muted, title=f"Muted {number}")
        services.mute(user=reader, target=muted)

    with django_assert_max_num_queries(len(unmuted.captured_queries)):
        listed = titles(client.get("/works/"))
    assert len(listed) == 20 and not any(title.startswith("Muted") for title in listed)


def test_comments_by_a_muted_user_are_hidden_from_the_muter_only(
    client, make_work, reader, troll, make_user
):
    work = make_work()
    rant = feedback.post_comment(work=work, user=troll, body="Troll rant")
    feedback.post_comment(work=work, parent=rant, user=make_user(), body="Reply to the rant")
    feedback.post_comment(work=work, user=make_user(), body="Lovely work")
    services.mute(user=reader, target=troll)

    client.force_login(reader)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Lovely work" in page
    assert "Troll rant" not in page and "Reply to the rant" not in page

    client.logout()
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Troll rant" in page and "Reply to the rant" in page


def test_bookmarks_by_a_muted_user_are_hidden_from_the_muter_only(
    client, make_work, reader, troll, make_user
):
    work = make_work()
    bookmark(user=troll, work=work, notes="Troll notes")
    bookmark(user=make_user(), work=work, notes="Kind notes")
    services.mute(user=reader, target=troll)
    work_page = reverse("bookmarks:work", args=[work.pk])
    troll_page = reverse("bookmarks:user", args=[troll.username])

    client.force_login(reader)
    page = client.get(work_page).content.decode()
    assert "Kind notes" in page and "Troll notes" not in page
    assert "Troll notes" not in client.get(troll_page).content.decode()

    client.logout()
    assert "Troll notes" in client.get(work_page).content.decode()
    assert "Troll notes" in client.get(troll_page).content.decode()
