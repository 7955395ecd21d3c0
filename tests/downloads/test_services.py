"""Getting a download: who may have it, and its file written once per revision."""

import sqlite3
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from fanshelf.accounts.services import create_user
from fanshelf.downloads import formats, services
from fanshelf.downloads.book import book_for
from fanshelf.downloads.models import DownloadFile
from fanshelf.downloads.tasks import write_download
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, delete_work, post_work, update_work
from tests.conftest import STANDARD_TAGS
from tests.factories import add_default_tags

GUEST = AnonymousUser()
# Every test runs on TXT, the first format to be written; the format tests cover the rest.
EXT = "txt"


class CountingRender:
    """Wraps a format's real ``render`` to count the calls (and make each one slow)."""

    def __init__(self, render, *, seconds=0.0, fail=False):
        self.render, self.seconds, self.fail = render, seconds, fail
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, book):
        with self._lock:
            self.calls += 1
        time.sleep(self.seconds)
        if self.fail:
            raise RuntimeError("the format broke")
        return self.render(book)


@pytest.fixture
def counted(monkeypatch):
    """Count the TXT renders: ``counted.calls``."""
    module = formats.format_module(EXT)
    counter = CountingRender(module.render)
    monkeypatch.setattr(module, "render", counter)
    return counter


@pytest.fixture
def queue(settings):
    """A task backend that keeps what is enqueued instead of running it."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def read(download) -> bytes:
    with download.file as file:
        return file.read()


# --- who may download ---------------------------------------------------------------


def test_guest_gets_the_book_of_a_posted_work(make_work):
    work = make_work()
    book = services.book_to_download(work_id=work.pk, viewer=GUEST)
    assert book.title == "Perfect" and book.creators == ["smolhux"]
    assert not book.restricted


def test_guest_cannot_download_a_restricted_work_but_a_reader_can(make_work, reader):
    work = make_work(restricted=True)
    with pytest.raises(services.Unavailable, match="does not exist, or you cannot see it"):
        services.book_to_download(work_id=work.pk, viewer=GUEST)
    book = services.book_to_download(work_id=work.pk, viewer=reader)
    assert book.restricted


def test_a_draft_cannot_be_downloaded_even_by_its_creator(make_work, author, reader):
    draft = make_work(state=Work.State.DRAFT)
    with pytest.raises(services.Unavailable, match="Drafts cannot be downloaded"):
        services.book_to_download(work_id=draft.pk, viewer=author)
    # Others are not told that the draft exists.
    with pytest.raises(services.Unavailable, match="does not exist"):
        services.book_to_download(work_id=draft.pk, viewer=reader)


def test_a_missing_work_is_unavailable(db):
    with pytest.raises(services.Unavailable, match="does not exist"):
        services.book_to_download(work_id=987654, viewer=GUEST)


def test_an_anonymous_work_never_names_its_creator(make_work, author):
    work = make_work(anonymous=True, title="Nameless")
    book = services.book_to_download(work_id=work.pk, viewer=author)
    assert book.creators == []
    content = read(services.download(book=book, extension=EXT))
    assert b"Nameless" in content and b"Anonymous" in content
    assert b"smolhux" not in content


# --- written once per revision ------------------------------------------------------


def test_a_file_is_written_once_then_served_from_storage(make_work, counted):
    work = make_work()
    book = book_for(work_id=work.pk, viewer=GUEST)
    first = services.download(book=book, extension=EXT)
    name = f"downloads/{work.pk}/{book.revision}.txt"
    assert default_storage.exists(name)
    assert first.filename == "perfect.txt"
    assert first.media_type == formats.media_type(EXT)
    assert first.revision == book.revision
    content = read(first)
    assert first.size == len(content)
    assert content == formats.format_module(EXT).render.render(book)

    again = services.download(book=book_for(work_id=work.pk, viewer=GUEST), extension=EXT)
    assert read(again) == content
    assert counted.calls == 1
    assert DownloadFile.objects.get().name == name


def test_kudos_and_hits_do_not_make_a_new_file(make_work, counted):
    work = make_work()
    services.download(book=book_for(work_id=work.pk, viewer=GUEST), extension=EXT)
    Work.objects.filter(pk=work.pk).update(kudos_count=5, hit_count=40)
    services.download(book=book_for(work_id=work.pk, viewer=GUEST), extension=EXT)
    assert counted.calls == 1


def test_editing_the_work_writes_a_new_file_and_removes_the_old_one(make_work, author, counted):
    work = make_work()
    old = book_for(work_id=work.pk, viewer=GUEST)
    read(services.download(book=old, extension=EXT))
    update_work(user=author, work=work, title="Perfect, Revised")
    new = book_for(work_id=work.pk, viewer=GUEST)
    assert new.revision != old.revision
    content = read(services.download(book=new, extension=EXT))
    assert b"Perfect, Revised" in content
    assert counted.calls == 2
    assert not default_storage.exists(f"downloads/{work.pk}/{old.revision}.txt")
    assert default_storage.exists(f"downloads/{work.pk}/{new.revision}.txt")
    assert list(DownloadFile.objects.values_list("revision", flat=True)) == [new.revision]


def test_each_format_has_its_own_file(make_work):
    work = make_work()
    book = book_for(work_id=work.pk, viewer=GUEST)
    for extension in services.available_extensions():
        read(services.download(book=book, extension=extension))
    assert sorted(DownloadFile.objects.values_list("extension", flat=True)) == sorted(
        services.available_extensions()
    )


def test_a_file_removed_from_storage_is_written_again(make_work, counted):
    work = make_work()
    book = book_for(work_id=work.pk, viewer=GUEST)
    read(services.download(book=book, extension=EXT))
    default_storage.delete(DownloadFile.objects.get().name)
    assert b"Perfect" in read(services.download(book=book, extension=EXT))
    assert counted.calls == 2


def test_a_writer_that_failed_leaves_no_claim_behind(make_work, monkeypatch):
    work = make_work()
    book = book_for(work_id=work.pk, viewer=GUEST)
    module = formats.format_module(EXT)
    real = module.render
    monkeypatch.setattr(module, "render", CountingRender(real, fail=True))
    with pytest.raises(RuntimeError, match="the format broke"):
        services.download(book=book, extension=EXT)
    assert not DownloadFile.objects.exists()
    monkeypatch.setattr(module, "render", real)
    assert read(services.download(book=book, extension=EXT))


def test_a_live_claim_makes_others_wait_and_an_abandoned_one_is_taken_over(make_work, counted):
    work = make_work()
    book = book_for(work_id=work.pk, viewer=GUEST)
    claim = DownloadFile.objects.create(
        work=work, extension=EXT, revision=book.revision, claimed_at=timezone.now()
    )
    assert services.write_file(book=book, extension=EXT, wait=0.3) is None
    assert counted.calls == 0
    claim.claimed_at = timezone.now() - services.ABANDONED_AFTER - timedelta(seconds=1)
    claim.save()
    written = services.write_file(book=book, extension=EXT, wait=0)
    assert written.pk == claim.pk and written.is_written
    assert DownloadFile.objects.get().claim != claim.claim
    assert counted.calls == 1


def test_deleting_a_work_removes_its_files(make_work, author):
    work = make_work()
    read(services.download(book=book_for(work_id=work.pk, viewer=GUEST), extension=EXT))
    folder = f"downloads/{work.pk}"
    assert default_storage.listdir(folder)[1]
    delete_work(user=author, work=work)
    assert default_storage.listdir(folder)[1] == []
    assert not DownloadFile.objects.exists()


# --- long works: written by the worker ----------------------------------------------


def test_a_long_work_is_queued_once_and_written_by_the_task(make_work, settings, queue, counted):
    settings.FANSHELF_DOWNLOADS_ASYNC_WORDS = 5
    work = make_work(chapters=["<p>Kylo had always seen Hux as perfect, from the start.</p>"])
    book = book_for(work_id=work.pk, viewer=GUEST)
    assert services.download(book=book, extension=EXT) is None
    assert services.download(book=book, extension=EXT) is None  # asked again: not re-queued
    [queued] = queue.results
    assert queued.task.name == "write_download"
    assert counted.calls == 0
    assert write_download.call(**queued.kwargs) == "written"
    content = read(services.download(book=book, extension=EXT))
    assert b"Perfect" in content
    assert counted.calls == 1
    # The same task run twice writes nothing more.
    assert write_download.call(**queued.kwargs) == "not ours"
    assert counted.calls == 1


@pytest.mark.skipif("pdf" not in services.available_extensions(), reason="no PDF format")
def test_pdfs_go_to_the_worker_sooner_than_other_formats(make_work, settings, queue):
    settings.FANSHELF_DOWNLOADS_ASYNC_PDF_WORDS = 5
    work = make_work(chapters=["<p>Kylo had always seen Hux as perfect, from the start.</p>"])
    book = book_for(work_id=work.pk, viewer=GUEST)
    assert read(services.download(book=book, extension="txt"))
    assert services.download(book=book, extension="pdf") is None
    [queued] = queue.results
    assert queued.kwargs["extension"] == "pdf"


def test_a_long_work_is_written_at_once_with_the_immediate_backend(make_work, settings, counted):
    settings.FANSHELF_DOWNLOADS_ASYNC_WORDS = 5
    work = make_work(chapters=["<p>Kylo had always seen Hux as perfect, from the start.</p>"])
    book = book_for(work_id=work.pk, viewer=GUEST)
    assert services.download(book=book, extension=EXT) is None  # "being prepared"
    assert b"Perfect" in read(services.download(book=book, extension=EXT))
    assert counted.calls == 1


def test_a_queued_task_for_an_edited_work_drops_its_claim(
    make_work, author, settings, queue, counted
):
    settings.FANSHELF_DOWNLOADS_ASYNC_WORDS = 5
    work = make_work(chapters=["<p>Kylo had always seen Hux as perfect, from the start.</p>"])
    assert services.download(book=book_for(work_id=work.pk, viewer=GUEST), extension=EXT) is None
    update_work(user=author, work=work, summary="<p>Now with a summary.</p>")
    [queued] = queue.results
    assert write_download.call(**queued.kwargs) == "outdated"
    assert counted.calls == 0
    assert not DownloadFile.objects.exists()


# --- many readers at once -----------------------------------------------------------


@pytest.fixture
def database_as_deployed(transactional_db, tmp_path):
    """Threads share a database file as Fanshelf runs it (WAL, busy timeout) on SQLite.

    The in-memory test database refuses a second writer at once instead of letting
    it wait; the threads get a file copy of it, while the test's own thread keeps
    the in-memory one and does nothing itself (see tests/feedback/test_concurrency.py).
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "fanshelf.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    original = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings[DEFAULT_DB_ALIAS] = original


def in_threads(func, count: int) -> list:
    """Run ``func(number)`` in ``count`` threads started together; their results in order."""
    start = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(number):
        try:
            start.wait()
            results[number] = func(number)
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_eight_readers_asking_at_once_get_one_file_written_once(database_as_deployed, monkeypatch):
    module = formats.format_module(EXT)
    # Each render takes a while, so the others arrive while the first is writing.
    counter = CountingRender(module.render, seconds=0.5)
    monkeypatch.setattr(module, "render", counter)

    def setting_up(_number):
        add_default_tags()  # an earlier transactional test may have emptied them
        author = create_user(
            username="smolhux", email="smolhux@example.org", password="correct horse battery"
        )
        return post_work(
            user=author,
            title="Perfect",
            chapters=[ChapterText(body="<p>Kylo had always seen Hux as perfect.</p>")],
            tags=STANDARD_TAGS,
        ).pk

    [work_id] = in_threads(setting_up, 1)

    def reader_downloads(_number):
        book = services.book_to_download(work_id=work_id, viewer=GUEST)
        return read(services.download(book=book, extension=EXT))

    contents = in_threads(reader_downloads, 8)
    assert counter.calls == 1
    assert len(set(contents)) == 1 and b"Perfect" in contents[0]
    assert in_threads(lambda _number: DownloadFile.objects.count(), 1) == [1]
