import datetime
import json

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fanshelf.reading import hits
from fanshelf.reading.models import DailyHits, Reading
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def _guest(address="203.0.113.7", agent="Firefox"):
    request = RequestFactory().get("/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def _writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


def test_a_guest_counts_once_per_work_per_day(no_flush):
    assert hits.count_hit(_guest(), 1) is True
    assert hits.count_hit(_guest(), 1) is False
    assert hits.count_hit(_guest(), 2) is True
    assert hits.buffer.pending() == 2


def test_different_guests_and_users_each_count(no_flush, reader, author):
    hits.count_hit(_guest(address="203.0.113.7"), 1)
    hits.count_hit(_guest(address="198.51.100.2"), 1)
    hits.count_hit(_guest(agent="Safari"), 1)
    request = _guest()
    request.user = reader
    hits.count_hit(request, 1)
    request.META["REMOTE_ADDR"] = "192.0.2.55"  # a user counts once whatever the address
    hits.count_hit(request, 1)
    assert hits.buffer.take() == [[1, timezone.now().date().isoformat(), 4]]


def test_the_same_visitor_counts_again_the_next_day(no_flush, monkeypatch):
    today = timezone.now()
    hits.count_hit(_guest(), 1)
    monkeypatch.setattr(timezone, "now", lambda: today + datetime.timedelta(days=1))
    assert hits.count_hit(_guest(), 1) is True
    days = [row[1] for row in hits.buffer.take()]
    assert days == sorted(
        {today.date().isoformat(), (today.date() + datetime.timedelta(1)).isoformat()}
    )


def _stored_keys() -> list[str]:
    """Every key the cache holds: the local-memory store's, or the Redis server's."""
    if hasattr(cache._cache, "get_client"):  # FANSHELF_REDIS_URL: Django's Redis cache
        return [key.decode() for key in cache._cache.get_client().keys("*")]
    return list(cache._cache.keys())


def test_no_address_is_kept_in_the_cache(no_flush):
    hits.count_hit(_guest(address="203.0.113.7", agent="Firefox"), 1)
    keys = _stored_keys()
    assert keys
    assert not any("203.0.113.7" in key or "Firefox" in key for key in keys)
    assert "203.0.113.7" not in hits.visitor_digest(_guest())


def test_a_guest_with_a_session_is_told_apart_by_it(no_flush):
    first, second = _guest(), _guest()
    first.session = type("Session", (), {"session_key": "a" * 32})()
    second.session = type("Session", (), {"session_key": "b" * 32})()
    assert hits.visitor_digest(first) != hits.visitor_digest(second)


def test_reading_a_work_as_a_guest_writes_nothing_to_the_database(client, make_work, no_flush):
    work = make_work()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(work.get_absolute_url()).status_code == 200
        assert client.get(work.get_absolute_url()).status_code == 200
    assert _writes(queries) == []
    work.refresh_from_db()
    assert work.hit_count == 0
    assert hits.buffer.pending() == 1


def test_a_reader_view_writes_only_one_history_upsert(client, make_work, reader, no_flush):
    work = make_work()
    client.force_login(reader)
    with CaptureQueriesContext(connection) as queries:
        client.get(work.get_absolute_url())
    writes = _writes(queries)
    assert len(writes) == 1
    assert Reading._meta.db_table in writes[0]
    assert hits.buffer.pending() == 1


def test_a_full_buffer_is_handed_to_the_flush_task(client, make_work, settings):
    settings.HITS_FLUSH_SECONDS = 3600
    settings.HITS_FLUSH_ENTRIES = 2
    first, second = make_work(title="One"), make_work(title="Two")
    client.get(first.get_absolute_url())
    assert Work.objects.get(pk=first.pk).hit_count == 0
    client.get(second.get_absolute_url())  # the second entry fills the buffer
    assert hits.buffer.pending() == 0
    assert Work.objects.get(pk=first.pk).hit_count == 1
    assert Work.objects.get(pk=second.pk).hit_count == 1
    assert DailyHits.objects.filter(hits=1).count() == 2


def test_an_old_buffer_is_handed_over_on_the_next_view(client, make_work, settings, monkeypatch):
    settings.HITS_FLUSH_SECONDS = 60
    settings.HITS_FLUSH_ENTRIES = 10_000
    work = make_work()
    client.get(work.get_absolute_url())
    assert hits.buffer.pending() == 1
    now = hits.time.time()
    monkeypatch.setattr(hits.time, "time", lambda: now + 61)
    client.get(work.get_absolute_url())  # a repeat view: not counted, but it flushes
    assert hits.buffer.pending() == 0
    assert Work.objects.get(pk=work.pk).hit_count == 1


@pytest.fixture
def queue(settings):
    """A task backend that keeps what is enqueued instead of running it."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def test_the_flush_task_gets_the_counts_as_json_arguments(no_flush, queue):
    hits.count_hit(_guest(), 7)
    hits.count_hit(_guest(address="198.51.100.2"), 7)
    hits.count_hit(_guest(), 8)
    batch = hits.hand_over()
    day = timezone.now().date().isoformat()
    [result] = queue.results
    assert result.task.name == "flush_hits"
    assert result.args == []
    assert result.kwargs == {"batch": batch, "counts": [[7, day, 2], [8, day, 1]]}
    assert json.loads(json.dumps(result.kwargs)) == result.kwargs
    assert hits.hand_over() is None  # nothing left: no empty task
    assert len(queue.results) == 1


def test_a_failed_hand_over_keeps_the_counts_for_the_next_try(no_flush, queue, monkeypatch, caplog):
    enqueue, failures = queue.enqueue, []

    def locked_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise RuntimeError("database is locked")
        return enqueue(*args, **kwargs)

    monkeypatch.setattr(queue, "enqueue", locked_once)
    hits.count_hit(_guest(), 7)
    assert hits.hand_over() is None
    assert hits.buffer.pending() == 1
    assert "will retry" in caplog.text
    batch = hits.hand_over()
    assert queue.results[-1].kwargs["batch"] == batch
    assert queue.results[-1].kwargs["counts"] == [[7, timezone.now().date().isoformat(), 1]]


def test_an_evicted_buffer_is_reported_not_lost_silently(no_flush, caplog):
    hits.count_hit(_guest(), 7)
    cache.delete(hits.buffer.key)
    hits.count_hit(_guest(address="198.51.100.2"), 7)
    assert "Lost 1 buffered hits" in caplog.text
    assert hits.buffer.pending() == 1


def test_creators_and_unposted_works_add_no_hits(client, make_work, author, no_flush):
    work = make_work()
    draft = make_work(title="Draft", state=Work.State.DRAFT)
    client.force_login(author)
    client.get(work.get_absolute_url())
    client.get(draft.get_absolute_url())
    assert hits.buffer.pending() == 0
    assert not Reading.objects.exists()


def test_a_repeat_view_asks_the_cache_one_question(no_flush, monkeypatch):
    """Whether the buffer is due comes from this process's memory, not a cache read."""
    hits.count_hit(_guest(), 7)
    asked = []
    backend = caches["default"]
    for name in ("get", "get_many", "add", "set"):
        original = getattr(backend, name)
        monkeypatch.setattr(
            backend,
            name,
            lambda *args, _name=name, _call=original, **kw: (
                asked.append(_name) or _call(*args, **kw)
            ),
        )
    assert not hits.count_hit(_guest(), 7)
    assert asked == ["add"]
    assert hits.buffer.pending() == 1
