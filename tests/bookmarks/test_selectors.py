"""Bookmark listings: who sees which bookmark, the filters and the sorts."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from fanshelf.bookmarks.selectors import (
    BookmarkFilters,
    bookmark_page,
    bookmarks_by_user,
    public_bookmarks_of_work,
)
from fanshelf.bookmarks.services import bookmark
from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag
from fanshelf.tags.services import find_or_create_tag
from fanshelf.works.models import Work
from tests.factories import work_tags as tags

pytestmark = pytest.mark.django_db

GUEST = AnonymousUser()


def titles(owner, viewer, **filters):
    found = bookmarks_by_user(owner=owner, viewer=viewer, filters=BookmarkFilters(**filters))
    return [b.target.title for b in found]


@pytest.fixture
def shelf(make_work, reader):
    """The reader's bookmarks: public, private, restricted, rec, and a series."""
    gala = make_work(title="Gala", tags=tags(relationship=["Kylux"], freeform=["Angst"]))
    balcony = make_work(title="Balcony", tags=tags(freeform=["Fluff"]))
    secret = make_work(title="Secret", tags=tags(freeform=["Angst"]), restricted=True)
    make_work(title="Part one", series="Stars", tags=tags(freeform=["Space"]))
    bookmark(user=reader, work=gala, tags=["to reread"], rec=True)
    bookmark(user=reader, work=balcony, private=True, tags=["To Reread"])
    bookmark(user=reader, work=secret)
    bookmark(user=reader, series=Work.objects.get(title="Part one").series, tags=["epic"])
    return reader


def test_the_owner_sees_every_bookmark_newest_first(shelf):
    assert titles(shelf, shelf) == ["Stars", "Secret", "Balcony", "Gala"]


def test_other_users_do_not_see_private_bookmarks(shelf, make_user):
    assert titles(shelf, make_user()) == ["Stars", "Secret", "Gala"]


def test_guests_see_neither_private_bookmarks_nor_restricted_works(shelf):
    assert titles(shelf, GUEST) == ["Stars", "Gala"]


def test_a_series_whose_posted_works_are_all_restricted_is_hidden_from_guests(
    make_work, reader, make_user
):
    work = make_work(title="Locked", series="Locked series", restricted=True)
    bookmark(user=reader, series=work.series)
    assert titles(reader, GUEST) == []
    assert titles(reader, make_user()) == ["Locked series"]


def test_bookmarks_of_hidden_and_deleted_works_are_left_out(shelf, make_user):
    Work.objects.filter(title="Gala").update(state=Work.State.HIDDEN)
    Work.objects.filter(title="Secret").delete()
    assert titles(shelf, make_user()) == ["Stars"]
    assert titles(shelf, shelf) == ["Stars", "Balcony"]


def test_filter_by_the_bookmarkers_tag_in_any_spelling(shelf):
    assert titles(shelf, shelf, tag="TO REREAD") == ["Balcony", "Gala"]
    assert titles(shelf, GUEST, tag="to reread") == ["Gala"]
    assert titles(shelf, shelf, tag="no such tag") == []


def test_filter_by_the_bookmarkers_tag_finds_its_synonyms(shelf, make_user):
    wrangler = make_user(role="wrangler")
    canonical = find_or_create_tag(name="Reread", type="freeform")
    wrangling.set_canonical(user=wrangler, tag=canonical)
    wrangling.make_synonym(
        user=wrangler, tag=Tag.objects.get(name="to reread"), canonical=canonical
    )
    assert titles(shelf, shelf, tag="Reread") == ["Balcony", "Gala"]


def test_recs_only(shelf):
    assert titles(shelf, shelf, rec=True) == ["Gala"]


def test_filter_by_the_works_tags(shelf):
    assert titles(shelf, shelf, work_tags=["angst"]) == ["Secret", "Gala"]
    assert titles(shelf, GUEST, work_tags=["Angst"]) == ["Gala"]
    assert titles(shelf, shelf, work_tags=["Angst", "Kylux"]) == ["Gala"]
    assert titles(shelf, shelf, work_tags=["Nowhere"]) == []


def test_a_series_matches_the_tags_of_its_works(shelf):
    assert titles(shelf, shelf, work_tags=["Space"]) == ["Stars"]


def test_a_canonical_work_tag_finds_works_tagged_with_its_synonyms(shelf, make_user):
    wrangler = make_user(role="wrangler")
    ship = find_or_create_tag(name="Armitage Hux/Kylo Ren", type="relationship")
    wrangling.set_canonical(user=wrangler, tag=ship)
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="Kylux"), canonical=ship)
    assert titles(shelf, shelf, work_tags=["Armitage Hux/Kylo Ren"]) == ["Gala"]
    # A synonym asked for is read as its canonical tag.
    assert titles(shelf, shelf, work_tags=["kylux"]) == ["Gala"]


def test_sort_by_when_the_work_was_updated(shelf):
    now = timezone.now()
    dates = {"Gala": 1, "Balcony": 3, "Secret": 2, "Part one": 4}
    for title, days_ago in dates.items():
        Work.objects.filter(title=title).update(revised_at=now - datetime.timedelta(days=days_ago))
    assert titles(shelf, shelf, sort="updated") == ["Gala", "Secret", "Balcony", "Stars"]


def test_a_works_public_bookmarks_leave_out_private_ones(make_work, reader, make_user):
    work = make_work()
    bookmark(user=reader, work=work, private=True)
    other, _ = bookmark(user=make_user(), work=work, notes="Lovely")
    assert list(public_bookmarks_of_work(work=work)) == [other]


def test_a_bookmarked_series_credits_only_named_creators_of_works_the_viewer_may_read(
    make_work, reader
):
    make_work(title="Masked", series="Saga", anonymous=True)
    make_work(title="Locked", series="Saga", restricted=True)
    series = Work.objects.get(title="Masked").series
    bookmark(user=reader, series=series)

    def shown(viewer):
        found = bookmarks_by_user(owner=reader, viewer=viewer)
        return bookmark_page(found, viewer=viewer, number=1).object_list[0].series

    as_guest = shown(GUEST)
    assert as_guest.credited == []
    assert [work.title for work in as_guest.readable_works] == ["Masked"]
    as_reader = shown(reader)
    assert [pseud.name for pseud in as_reader.credited] == ["smolhux"]
    assert [work.title for work in as_reader.readable_works] == ["Masked", "Locked"]
