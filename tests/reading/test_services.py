import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from fanshelf.reading import services
from fanshelf.reading.models import DailyHits, HitFlush, Reading
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, delete_work

pytestmark = pytest.mark.django_db
DAY = "2025-03-04"
NEXT_DAY = "2025-03-05"


def _visit(user, work, chapter=None):
    request = RequestFactory().get("/")
    request.user = user
    services.record_visit(request=request, work=work, chapter=chapter)
    return request


def test_add_hits_adds_to_the_work_and_its_days(make_work):
    one, two = make_work(title="One"), make_work(title="Two")
    added = services.add_hits(
        batch="b1", counts=[[one.pk, DAY, 3], [one.pk, NEXT_DAY, 1], [two.pk, DAY, 1]]
    )
    services.add_hits(batch="b2", counts=[[one.pk, DAY, 2]])
    assert added == 5
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.hit_count, two.hit_count) == (6, 1)
    days = {(d.work_id, d.day.isoformat()): d.hits for d in DailyHits.objects.all()}
    assert days == {(one.pk, DAY): 5, (one.pk, NEXT_DAY): 1, (two.pk, DAY): 1}


def test_a_batch_applied_twice_counts_once(make_work):
    work = make_work()
    assert services.add_hits(batch="same", counts=[[work.pk, DAY, 2]]) == 2
    assert services.add_hits(batch="same", counts=[[work.pk, DAY, 2]]) == 0
    work.refresh_from_db()
    assert work.hit_count == 2
    assert DailyHits.objects.get().hits == 2
    assert HitFlush.objects.get().hits == 2


def test_hits_of_a_deleted_work_are_dropped(make_work, author):
    kept, gone = make_work(title="Kept"), make_work(title="Gone")
    gone_id = gone.pk
    delete_work(user=author, work=gone)
    assert services.add_hits(batch="b", counts=[[kept.pk, DAY, 1], [gone_id, DAY, 4]]) == 1
    assert list(DailyHits.objects.values_list("work_id", "hits")) == [(kept.pk, 1)]


@pytest.mark.parametrize(
    "counts",
    [[[1, "yesterday", 1]], [["1", DAY, 1]], [[1, DAY, 0]], [[1, DAY]], "nonsense", [[1, 20, 1]]],
)
def test_malformed_counts_are_refused_and_nothing_is_added(make_work, counts):
    with pytest.raises(ValidationError):
        services.add_hits(batch="bad", counts=counts)
    assert not HitFlush.objects.exists()


def test_old_flush_records_are_pruned(make_work):
    work = make_work()
    services.add_hits(batch="old", counts=[[work.pk, DAY, 1]])
    HitFlush.objects.update(flushed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    services.add_hits(batch="new", counts=[[work.pk, DAY, 1]])
    assert list(HitFlush.objects.values_list("batch", flat=True)) == ["new"]


def test_a_visit_is_noted_in_the_readers_history(make_work, reader):
    work = make_work(chapters=["<p>One.</p>", "<p>Two.</p>"], expected_chapters=2)
    first, second = work.chapters.order_by("position")
    _visit(reader, work, first)
    reading = Reading.objects.get()
    assert (reading.visits, reading.last_chapter, reading.later) == (1, first, False)
    started = reading.first_read_at
    _visit(reader, work, second)
    _visit(reader, work)  # the whole work: the last chapter stays
    reading.refresh_from_db()
    assert reading.visits == 3
    assert reading.last_chapter == second
    assert reading.first_read_at == started
    assert reading.last_read_at > started


def test_a_visit_tells_the_page_whether_the_work_is_marked_for_later(make_work, reader):
    work = make_work()
    assert getattr(_visit(reader, work), services.LATER_ATTRIBUTE) is False
    services.mark_for_later(user=reader, work=work)
    assert getattr(_visit(reader, work), services.LATER_ATTRIBUTE) is True


def test_no_history_is_kept_when_the_reader_turned_it_off(make_work, reader):
    work = make_work()
    services.set_history_enabled(user=reader, enabled=False)
    request = _visit(reader, work)
    assert not Reading.objects.exists()
    assert getattr(request, services.LATER_ATTRIBUTE) is None
    services.set_history_enabled(user=reader, enabled=True)
    _visit(reader, work)
    assert Reading.objects.get().visits == 1


def test_turning_history_off_keeps_what_is_there(make_work, reader):
    work = make_work()
    _visit(reader, work)
    services.set_history_enabled(user=reader, enabled=False)
    _visit(reader, work)
    assert Reading.objects.get().visits == 1


def test_clearing_history_keeps_works_marked_for_later(make_work, reader):
    read, kept = make_work(title="Read"), make_work(title="Kept")
    _visit(reader, read)
    _visit(reader, kept)
    services.mark_for_later(user=reader, work=kept)
    assert services.clear_history(user=reader) == 2
    reading = Reading.objects.get()
    assert (reading.work, reading.later, reading.visits, reading.last_read_at) == (
        kept,
        True,
        0,
        None,
    )


def test_marking_for_later_and_removing(make_work, reader):
    work = make_work()
    services.mark_for_later(user=reader, work=work)
    services.mark_for_later(user=reader, work=work)  # twice is once
    reading = Reading.objects.get()
    assert (reading.later, reading.visits) == (True, 0)
    services.remove_from_later(user=reader, work=work)
    assert not Reading.objects.exists()  # nothing read: nothing left to keep


def test_removing_from_later_keeps_the_history(make_work, reader):
    work = make_work()
    _visit(reader, work)
    services.mark_for_later(user=reader, work=work)
    services.remove_from_later(user=reader, work=work)
    reading = Reading.objects.get()
    assert (reading.later, reading.visits) == (False, 1)


def test_nobody_marks_a_work_they_cannot_see(make_work, reader, author):
    draft = make_work(title="Draft", state=Work.State.DRAFT)
    with pytest.raises(PermissionDenied):
        services.mark_for_later(user=reader, work=draft)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.mark_for_later(user=AnonymousUser(), work=make_work(title="Posted"))
    assert not Reading.objects.exists()


def test_a_deleted_chapter_leaves_the_reading_in_place(make_work, reader, author):
    from fanshelf.works.services import add_chapter, delete_chapter

    work = make_work(expected_chapters=None)
    chapter = add_chapter(user=author, work=work, chapter=ChapterText(body="<p>Two.</p>"))
    _visit(reader, work, chapter)
    delete_chapter(user=author, chapter=chapter)
    reading = Reading.objects.get()
    assert (reading.visits, reading.last_chapter) == (1, None)
