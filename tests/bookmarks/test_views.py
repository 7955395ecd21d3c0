"""Bookmarking from the work and series pages, and the bookmark listings, as a reader uses them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from fanshelf.bookmarks.models import Bookmark
from fanshelf.bookmarks.services import bookmark
from fanshelf.works.models import Work
from tests.factories import work_tags as tags

pytestmark = pytest.mark.django_db


def bookmark_url(work):
    return reverse("bookmarks:bookmark_work", args=[work.pk])


def listing(client, user, **params):
    return client.get(reverse("bookmarks:user", args=[user.username]), params)


def listed_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h2 class="heading"><a href="[^"]+">([^<]+)</a>', html)


# The bookmark box on the work page


def test_a_guest_is_asked_to_log_in_to_bookmark(client, make_work):
    page = client.get(make_work().get_absolute_url()).content.decode()
    assert "Log in to bookmark" in page
    assert 'name="notes"' not in page


def test_a_reader_bookmarks_a_work_from_its_page(client, make_work, reader):
    work = make_work()
    client.force_login(reader)
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'action="{bookmark_url(work)}"' in page
    assert 'data-autocomplete="freeform"' in page

    response = client.post(
        bookmark_url(work),
        {"pseud": "reader", "notes": "Read it twice.", "tags": "to reread, kylux", "rec": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    saved = Bookmark.objects.get()
    assert (saved.user, saved.work, saved.rec, saved.private) == (reader, work, True, False)
    assert saved.notes == "<p>Read it twice.</p>"
    work.refresh_from_db()
    assert work.bookmark_count == 1

    page = client.get(work.get_absolute_url()).content.decode()
    assert "Bookmarked “Perfect”." in page
    assert "Edit bookmark" in page
    assert 'value="kylux, to reread"' in page
    assert reverse("bookmarks:work", args=[work.pk]) in page
    assert "Bookmarks (1)" in page


def test_bookmarking_again_updates_and_can_make_it_private(client, make_work, reader):
    work = make_work()
    bookmark(user=reader, work=work, notes="old")
    client.force_login(reader)
    response = client.post(bookmark_url(work), {"pseud": "reader", "notes": "new", "private": "on"})
    assert response.status_code == 302
    saved = Bookmark.objects.get()
    assert saved.private
    assert saved.notes == "<p>new</p>"
    work.refresh_from_db()
    assert work.bookmark_count == 0


def test_a_form_with_errors_keeps_what_was_typed(client, make_work, reader):
    work = make_work()
    client.force_login(reader)
    too_long = "x" * 5001
    response = client.post(
        bookmark_url(work), {"pseud": "reader", "notes": too_long, "tags": "keep me, !!!"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert too_long in page
    assert 'value="keep me, !!!"' in page
    assert "5000 characters" in page or "5,000 characters" in page
    assert not Bookmark.objects.exists()


def test_a_bad_tag_is_explained_beside_the_tags_field(client, make_work, reader):
    client.force_login(reader)
    response = client.post(bookmark_url(make_work()), {"pseud": "reader", "tags": "fine, !!!"})
    page = response.content.decode()
    assert "Tag “!!!” has no letters or digits." in page
    assert 'value="fine, !!!"' in page
    assert not Bookmark.objects.exists()


def test_bookmarking_ones_own_draft_is_refused_with_a_message(client, make_work, author):
    draft = make_work(state=Work.State.DRAFT)
    client.force_login(author)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Post this work to bookmark it." in page
    response = client.post(bookmark_url(draft), {"pseud": "smolhux", "notes": "mine"})
    assert response.status_code == 200
    assert "You cannot bookmark your own draft; post it first." in response.content.decode()
    assert not Bookmark.objects.exists()


def test_other_peoples_drafts_and_restricted_works_for_guests_are_not_found(
    client, make_work, reader
):
    draft = make_work(state=Work.State.DRAFT)
    restricted = make_work(title="Locked", restricted=True)
    client.force_login(reader)
    assert client.post(bookmark_url(draft), {"pseud": "reader"}).status_code == 404
    guest = Client()
    assert guest.get(reverse("bookmarks:work", args=[restricted.pk])).status_code == 404
    response = guest.post(bookmark_url(restricted), {"pseud": "reader"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Bookmark.objects.exists()


def test_the_form_needs_a_csrf_token(make_work, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(bookmark_url(make_work()), {"pseud": "reader"})
    assert response.status_code == 403
    assert not Bookmark.objects.exists()


def test_delete_asks_first_then_deletes(client, make_work, reader):
    work = make_work()
    saved, _ = bookmark(user=reader, work=work)
    client.force_login(reader)
    delete_url = reverse("bookmarks:delete", args=[saved.pk])
    assert delete_url in client.get(work.get_absolute_url()).content.decode()
    confirm = client.get(delete_url)
    assert "Delete your bookmark of “Perfect”?" in confirm.content.decode()
    assert Bookmark.objects.exists()
    response = client.post(delete_url)
    assert response.status_code == 302
    assert not Bookmark.objects.exists()
    work.refresh_from_db()
    assert work.bookmark_count == 0


def test_nobody_else_can_delete_a_bookmark(client, make_work, reader, make_user):
    saved, _ = bookmark(user=reader, work=make_work())
    client.force_login(make_user())
    assert client.post(reverse("bookmarks:delete", args=[saved.pk])).status_code == 404
    assert Bookmark.objects.exists()


# Series


def test_a_reader_bookmarks_a_series_from_its_page(client, make_work, reader):
    work = make_work(series="Stars")
    client.force_login(reader)
    url = reverse("bookmarks:bookmark_series", args=[work.series.pk])
    assert f'action="{url}"' in client.get(work.series.get_absolute_url()).content.decode()
    response = client.post(url, {"pseud": "reader", "notes": "All of it."})
    assert response.status_code == 302
    assert Bookmark.objects.get().series == work.series
    page = client.get(work.series.get_absolute_url()).content.decode()
    assert "Edit bookmark" in page


# Listings


def test_a_users_bookmarks_show_the_blurb_notes_tags_and_rec(client, make_work, reader):
    work = make_work(title="Gala")
    bookmark(user=reader, work=work, notes="<em>Wow</em>", tags=["to reread"], rec=True)
    response = listing(client, reader)
    page = response.content.decode()
    assert listed_titles(response) == ["Gala"]
    assert "<em>Wow</em>" in page
    assert "to reread" in page
    assert 'class="rec"' in page
    assert "smolhux" in page  # the work's creator, from the blurb


def test_private_bookmarks_only_for_their_owner_and_restricted_works_not_for_guests(
    client, make_work, reader, make_user
):
    bookmark(user=reader, work=make_work(title="Open"))
    bookmark(user=reader, work=make_work(title="Mine alone"), private=True)
    bookmark(user=reader, work=make_work(title="Members", restricted=True))
    assert listed_titles(listing(client, reader)) == ["Open"]
    client.force_login(make_user())
    assert listed_titles(listing(client, reader)) == ["Members", "Open"]
    client.force_login(reader)
    assert listed_titles(listing(client, reader)) == ["Members", "Mine alone", "Open"]


def test_filters_are_kept_in_the_url_and_the_form(client, make_work, reader):
    bookmark(user=reader, work=make_work(title="Gala", tags=tags(freeform=["Angst"])), rec=True)
    bookmark(user=reader, work=make_work(title="Balcony", tags=tags(freeform=["Angst"])))
    bookmark(user=reader, work=make_work(title="Fluffy", tags=tags(freeform=["Fluff"])), rec=True)
    response = listing(client, reader, work_tags="Angst", rec="on", sort="updated")
    page = response.content.decode()
    assert listed_titles(response) == ["Gala"]
    assert 'value="Angst"' in page
    assert re.search(r'name="rec"[^>]* checked', page)
    assert '<option value="updated" selected>' in page
    assert 'method="get"' in page


def test_bad_filter_values_are_explained_and_the_rest_still_apply(client, make_work, reader):
    bookmark(user=reader, work=make_work(title="Gala"), rec=True)
    response = listing(client, reader, sort="sideways", rec="on")
    assert response.status_code == 200
    assert listed_titles(response) == ["Gala"]
    assert "Select a valid choice" in response.content.decode()


def test_paging_keeps_the_filters(client, make_work, reader, settings):
    settings.RATE_LIMITS_ENABLED = False
    for number in range(21):
        bookmark(user=reader, work=make_work(title=f"Work {number}"), rec=True)
    response = listing(client, reader, rec="on")
    page = response.content.decode()
    assert len(listed_titles(response)) == 20
    assert 'href="?rec=on&amp;page=2"' in page
    second = listing(client, reader, rec="on", page="2")
    assert listed_titles(second) == ["Work 0"]
    assert listing(client, reader, page="99").status_code == 200


def test_the_listing_query_count_does_not_grow_with_the_bookmarks(
    client, make_work, reader, django_assert_max_num_queries, settings
):
    settings.RATE_LIMITS_ENABLED = False
    for number in range(20):
        work = make_work(title=f"Work {number}", tags=tags(character=[f"Character {number}"]))
        bookmark(user=reader, work=work, tags=[f"mine {number}", "all"], notes="Good")
    bookmark(user=reader, series=make_work(title="In a series", series="Saga").series)
    # user, count, page, bookmark tags, works, creators, work tags, series and their
    # works, creators and tags; archived works' creators for works and series works
    with django_assert_max_num_queries(13):
        assert len(listed_titles(listing(client, reader))) == 20
    client.force_login(reader)
    # + session, user and whatever the header counts; the bookmarker's tag with its
    # synonyms; the work tag (the series is not on this page: no series queries)
    with django_assert_max_num_queries(16):
        response = listing(client, reader, tag="all", work_tags="Star Wars", sort="updated")
    assert len(listed_titles(response)) == 20


def test_a_works_bookmarks_page_lists_public_bookmarks(
    client, make_work, reader, make_user, django_assert_max_num_queries, settings
):
    settings.RATE_LIMITS_ENABLED = False
    work = make_work()
    bookmark(user=reader, work=work, notes="Secret thoughts", private=True)
    for number in range(5):
        bookmark(user=make_user(f"fan_{number}"), work=work, notes=f"Note {number}")
    with django_assert_max_num_queries(11):  # + archived works' creators
        response = client.get(reverse("bookmarks:work", args=[work.pk]))
    page = response.content.decode()
    assert "Bookmarks (5)" in page
    assert "Note 4" in page
    assert "Secret thoughts" not in page


def test_the_nav_links_to_my_bookmarks(client, reader):
    client.force_login(reader)
    page = client.get("/").content.decode()
    assert reverse("bookmarks:user", args=["reader"]) in page


def test_the_blurb_shows_the_bookmark_count(client, make_work, reader):
    work = make_work()
    bookmark(user=reader, work=work)
    page = client.get(reverse("discovery:works")).content.decode()
    assert f'<a href="{reverse("bookmarks:work", args=[work.pk])}">1</a>' in page
