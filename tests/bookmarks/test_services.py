"""Bookmarking works and series: counts stay exact, and only what a reader can see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanshelf.bookmarks.models import Bookmark
from fanshelf.bookmarks.services import TooManyBookmarks, bookmark, delete_bookmark
from fanshelf.tags.models import Tag
from fanshelf.works.models import Series, Work

pytestmark = pytest.mark.django_db


def count(work: Work) -> int:
    work.refresh_from_db()
    return work.bookmark_count


def test_a_public_bookmark_counts_once_on_the_work(make_work, reader):
    work = make_work()
    saved, created = bookmark(user=reader, work=work, notes="So good.", tags=["Kylux", "angst"])
    assert created
    assert count(work) == 1
    assert saved.pseud == reader.default_pseud
    assert saved.notes == "<p>So good.</p>"
    assert sorted(tag.name for tag in saved.tags.all()) == ["Kylux", "angst"]


def test_bookmarking_again_updates_the_bookmark_without_counting_twice(make_work, reader):
    work = make_work()
    first, _ = bookmark(user=reader, work=work, notes="First", tags=["angst"], rec=False)
    second, created = bookmark(user=reader, work=work, notes="Second", tags=["fluff"], rec=True)
    assert not created
    assert second.pk == first.pk
    assert Bookmark.objects.count() == 1
    assert count(work) == 1
    second.refresh_from_db()
    assert second.notes == "<p>Second</p>"
    assert second.rec
    assert [tag.name for tag in second.tags.all()] == ["fluff"]


def test_private_bookmarks_are_not_counted(make_work, reader, make_user):
    work = make_work()
    bookmark(user=reader, work=work, private=True)
    bookmark(user=make_user(), work=work)
    assert count(work) == 1


def test_making_a_bookmark_private_and_public_again_moves_the_count(make_work, reader):
    work = make_work()
    bookmark(user=reader, work=work)
    assert count(work) == 1
    bookmark(user=reader, work=work, private=True)
    assert count(work) == 0
    bookmark(user=reader, work=work, private=True, notes="still private")
    assert count(work) == 0
    bookmark(user=reader, work=work, private=False)
    assert count(work) == 1


def test_deleting_a_public_bookmark_lowers_the_count_and_a_private_one_does_not(
    make_work, reader, make_user
):
    work = make_work()
    public, _ = bookmark(user=reader, work=work)
    private, _ = bookmark(user=make_user(), work=work, private=True)
    delete_bookmark(user=private.user, bookmark=private)
    assert count(work) == 1
    delete_bookmark(user=reader, bookmark=public)
    assert count(work) == 0
    assert not Bookmark.objects.exists()


def test_deleting_a_bookmark_twice_counts_it_once(make_work, reader, make_user):
    work = make_work()
    bookmark(user=make_user(), work=work)
    mine, _ = bookmark(user=reader, work=work)
    stale = Bookmark.objects.get(pk=mine.pk)
    delete_bookmark(user=reader, bookmark=mine)
    delete_bookmark(user=reader, bookmark=stale)
    assert count(work) == 1


def test_only_the_bookmarker_can_delete_a_bookmark(make_work, reader, make_user):
    work = make_work()
    mine, _ = bookmark(user=reader, work=work)
    with pytest.raises(PermissionDenied):
        delete_bookmark(user=make_user(), bookmark=mine)
    assert count(work) == 1


def test_own_draft_cannot_be_bookmarked(make_work, author):
    draft = make_work(state=Work.State.DRAFT)
    with pytest.raises(ValidationError) as error:
        bookmark(user=author, work=draft)
    assert error.value.message_dict == {
        "work": ["You cannot bookmark your own draft; post it first."]
    }
    assert not Bookmark.objects.exists()


def test_someone_elses_draft_is_not_found(make_work, reader):
    draft = make_work(state=Work.State.DRAFT)
    with pytest.raises(Work.DoesNotExist):
        bookmark(user=reader, work=draft)


def test_a_hidden_work_is_not_found(make_work, reader):
    work = make_work()
    Work.objects.filter(pk=work.pk).update(state=Work.State.HIDDEN)
    work.refresh_from_db()
    with pytest.raises(Work.DoesNotExist):
        bookmark(user=reader, work=work)


def test_authors_may_bookmark_their_own_posted_work(make_work, author):
    work = make_work()
    bookmark(user=author, work=work, rec=True)
    assert count(work) == 1


def test_guests_cannot_bookmark(make_work):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        bookmark(user=AnonymousUser(), work=make_work())


def test_restricted_works_can_be_bookmarked_by_users(make_work, reader):
    work = make_work(restricted=True)
    bookmark(user=reader, work=work)
    assert count(work) == 1


def test_a_bookmark_is_of_a_work_or_a_series_not_both_nor_neither(make_work, reader):
    work = make_work(series="Stars")
    with pytest.raises(ValidationError):
        bookmark(user=reader, work=work, series=work.series)
    with pytest.raises(ValidationError):
        bookmark(user=reader)


def test_a_series_can_be_bookmarked_once_it_has_a_posted_work(make_work, author, reader):
    draft = make_work(series="Stars", state=Work.State.DRAFT)
    with pytest.raises(Series.DoesNotExist):
        bookmark(user=reader, series=draft.series)
    with pytest.raises(ValidationError) as error:
        bookmark(user=author, series=draft.series)
    assert "series" in error.value.message_dict
    make_work(series="Stars", title="Posted one")
    saved, created = bookmark(user=reader, series=draft.series, notes="A great series")
    assert created
    assert saved.series == draft.series
    assert saved.work is None


def test_html_notes_are_sanitised(make_work, reader):
    notes = '<p onclick="x()">Read <script>alert(1)</script><a href="javascript:x">it</a></p>'
    saved, _ = bookmark(user=reader, work=make_work(), notes=notes)
    assert "script" not in saved.notes
    assert "onclick" not in saved.notes
    assert "javascript" not in saved.notes
    assert "Read" in saved.notes


def test_plain_text_notes_become_paragraphs(make_work, reader):
    saved, _ = bookmark(user=reader, work=make_work(), notes="One.\n\nTwo.")
    assert saved.notes == "<p>One.</p>\n<p>Two.</p>"


def test_over_long_notes_and_too_many_tags_are_refused_with_nothing_saved(make_work, reader):
    work = make_work()
    tags_before = Tag.objects.count()
    with pytest.raises(ValidationError) as error:
        bookmark(
            user=reader,
            work=work,
            notes="x" * 5001,
            tags=[f"tag {n}" for n in range(76)],
        )
    assert set(error.value.message_dict) == {"notes", "tags"}
    assert "5,000" in error.value.message_dict["notes"][0]
    assert "75" in error.value.message_dict["tags"][0]
    assert not Bookmark.objects.exists()
    assert Tag.objects.count() == tags_before
    assert count(work) == 0


def test_exactly_the_limits_are_accepted(make_work, reader):
    saved, _ = bookmark(
        user=reader, work=make_work(), notes="x" * 5000, tags=[f"tag {n}" for n in range(75)]
    )
    assert saved.tags.count() == 75


def test_bookmark_tags_are_created_unwrangled_as_additional_tags(make_work, reader):
    saved, _ = bookmark(user=reader, work=make_work(), tags=["to reread", "To  Reread"])
    tag = saved.tags.get()
    assert tag.name == "to reread"
    assert tag.type == Tag.Type.FREEFORM
    assert not tag.canonical
    assert tag.synonym_of is None


def test_a_bad_tag_name_is_explained(make_work, reader):
    with pytest.raises(ValidationError) as error:
        bookmark(user=reader, work=make_work(), tags=["!!!"])
    assert error.value.message_dict["tags"] == ["Tag “!!!” has no letters or digits."]


def test_bookmarking_under_another_pseud(make_work, reader):
    other = reader.pseuds.create(name="Lurker")
    saved, _ = bookmark(user=reader, work=make_work(), pseud="lurker")
    assert saved.pseud == other
    with pytest.raises(ValidationError):
        bookmark(user=reader, work=saved.work, pseud="nobody")


def test_someone_elses_pseud_is_refused(make_work, reader, make_user):
    with pytest.raises(PermissionDenied):
        bookmark(user=reader, work=make_work(), pseud=make_user().default_pseud)


def test_flooding_is_refused_after_the_limit(make_work, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "bookmark": "2/3600"}
    work = make_work()
    bookmark(user=reader, work=work)
    bookmark(user=reader, work=work, rec=True)
    with pytest.raises(TooManyBookmarks):
        bookmark(user=reader, work=work, private=True)
    assert count(work) == 1


def test_rate_limits_can_be_turned_off(make_work, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "bookmark": "1/3600"}
    settings.RATE_LIMITS_ENABLED = False
    work = make_work()
    for rec in (True, False, True):
        bookmark(user=reader, work=work, rec=rec)
    assert count(work) == 1


def test_bookmarks_deleted_with_their_user_or_pseud_leave_the_count(make_work, reader, make_user):
    work = make_work()
    bookmark(user=reader, work=work)
    lurker = make_user()
    bookmark(user=lurker, work=work, pseud=lurker.pseuds.create(name="Shadow"))
    bookmark(user=make_user(), work=work, private=True)
    assert count(work) == 2
    reader.delete()
    assert count(work) == 1
    lurker.pseuds.get(name="Shadow").delete()
    assert count(work) == 0
    assert Bookmark.objects.count() == 1
