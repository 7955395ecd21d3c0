"""Getting a download: who may have it, and its file, written once per revision.

A request builds the ``Book`` the viewer may read (``book_for``: the permission
check), then asks for its file in one format. A file already written for that
revision comes from storage. Otherwise one writer claims it (a ``DownloadFile`` row:
its unique constraint is the lock, across processes) and writes it while everyone
else asking for the same file waits and polls for it. Works longer than
``FANSHELF_DOWNLOADS_ASYNC_WORDS`` (``_ASYNC_PDF_WORDS`` for PDFs) are written by the
worker instead, and the reader is asked to come back in a moment.

None of these functions may run inside a transaction: a claim must be visible to
other processes at once, and nothing should stay open while a file is written.
"""

import importlib.util
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanshelf.downloads import formats, storage
from fanshelf.downloads.book import Book, book_for, posted_book
from fanshelf.downloads.models import DownloadFile
from fanshelf.works.models import Work
from fanshelf.works.selectors import work_for_reader

logger = logging.getLogger(__name__)

# How long a request waits for a file someone else is writing before it answers
# "being prepared" instead; how often it looks; when a claim counts as abandoned (its
# writer crashed) and may be taken over: a 500,000-word PDF takes over a minute.
WAIT_SECONDS = 20
POLL_SECONDS = 0.1
ABANDONED_AFTER = timedelta(minutes=15)


class Unavailable(Exception):
    """The viewer may not download this work; the message says why, for the 404 page."""


@dataclass(frozen=True)
class Download:
    """A file ready to send: open it, name it, say what it is."""

    file: File
    filename: str  # "perfect.epub"
    media_type: str
    revision: str
    size: int
    restricted: bool


@cache
def available_extensions() -> list[str]:
    """The formats this installation can write, in menu order (epub, pdf, html, txt)."""
    return [
        extension
        for extension in formats.EXTENSIONS
        if importlib.util.find_spec(f"fanshelf.downloads.formats.{extension}_format")
    ]


def async_words(extension: str) -> int:
    """Files of works longer than this are written by the worker, not in the request.

    PDF layout takes about a hundred times as long per word as the other formats
    (docs/performance.md), so it has its own, lower limit: a request must end well
    within the web server's 30-second timeout.
    """
    if extension == "pdf":
        return int(getattr(settings, "FANSHELF_DOWNLOADS_ASYNC_PDF_WORDS", 20_000))
    return int(getattr(settings, "FANSHELF_DOWNLOADS_ASYNC_WORDS", 200_000))


def book_to_download(*, work_id: int, viewer) -> Book:
    """The book ``viewer`` may download, or ``Unavailable`` with the reason.

    Posted works only, restricted ones for logged-in readers only; a draft never,
    not even for its creator (who is told to post it first). Anonymous works come
    without their creators (``book_of``).
    """
    try:
        return book_for(work_id=work_id, viewer=viewer)
    except Work.DoesNotExist:
        pass
    try:
        own_unposted = not work_for_reader(work_id=work_id, viewer=viewer).is_posted
    except Work.DoesNotExist:
        own_unposted = False
    if own_unposted:
        raise Unavailable(_("Drafts cannot be downloaded: post the work first."))
    raise Unavailable(_("This work does not exist, or you cannot see it."))


def download(*, book: Book, extension: str) -> Download | None:
    """The file of ``book`` as ``extension``, ready to send; None while it is prepared.

    Served from storage when written for this revision; otherwise written now (once,
    however many ask at the same moment), or queued for the worker when the work is
    longer than ``async_words``. None means: ask again shortly.
    """
    for _attempt in range(2):
        row = _row(book, extension)
        if row is None or not row.is_written:
            row = _prepare(book, extension, row)
        if row is None:
            return None
        try:
            opened = storage.open_file(row.name)
        except FileNotFoundError:
            # Gone from storage (cleared by hand, or replaced a moment ago by a newer
            # revision): forget it and write it again.
            DownloadFile.objects.filter(pk=row.pk, claim=row.claim).delete()
            continue
        return Download(
            file=opened,
            filename=f"{book.slug}.{extension}",
            media_type=formats.media_type(extension),
            revision=book.revision,
            size=row.size or 0,
            restricted=book.restricted,
        )
    return None


def write_file(*, book: Book, extension: str, wait: float = WAIT_SECONDS) -> DownloadFile | None:
    """The stored file of ``book`` as ``extension``, written now unless someone else is.

    When another process is writing it, waits up to ``wait`` seconds for it; None if
    it is still not written by then.
    """
    deadline = time.monotonic() + wait
    while True:
        row = _row(book, extension)
        if row is not None and row.is_written:
            return row
        claim = _claim(book, extension, row)
        if claim is not None:
            return _write(book, extension, claim)
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)


def write_claimed(*, work_id: int, extension: str, revision: str, claim: str) -> str:
    """Write the file a request claimed and queued for the worker; says what it did.

    Does nothing when the claim was taken over by another writer, and drops it when
    the work changed or went away in the meantime: readers now ask for the new
    revision, which they claim themselves.
    """
    row = DownloadFile.objects.filter(
        work_id=work_id, extension=extension, revision=revision, claim=claim, written_at=None
    ).first()
    if row is None:
        return "not ours"
    try:
        book = posted_book(work_id=work_id)
    except Work.DoesNotExist:
        row.delete()
        return "work gone"
    if book.revision != revision:
        row.delete()
        return "outdated"
    # The time spent waiting in the queue does not count against this writer.
    row.claimed_at = timezone.now()
    if not DownloadFile.objects.filter(pk=row.pk, claim=row.claim).update(
        claimed_at=row.claimed_at
    ):
        return "not ours"
    _write(book, extension, row)
    return "written"


def forget_work(*, work_id: int) -> None:
    """Remove the stored files of a deleted work (their rows go with the work)."""
    storage.delete_work_files(work_id)


def _row(book: Book, extension: str) -> DownloadFile | None:
    """The file's row: written, being written, or None."""
    return DownloadFile.objects.filter(
        work_id=book.work_id, extension=extension, revision=book.revision
    ).first()


def _prepare(book: Book, extension: str, row: DownloadFile | None) -> DownloadFile | None:
    """Write the file now, or have the worker write a long one; None if not written yet."""
    if book.words <= async_words(extension):
        return write_file(book=book, extension=extension)
    claim = _claim(book, extension, row)
    if claim is not None:
        from fanshelf.downloads.tasks import write_download

        arguments = {
            "work_id": book.work_id,
            "extension": extension,
            "revision": book.revision,
            "claim": str(claim.claim),
        }
        transaction.on_commit(lambda: write_download.enqueue(**arguments))
    return None


def _claim(book: Book, extension: str, row: DownloadFile | None) -> DownloadFile | None:
    """Claim the writing of this file (whose row was ``row`` a moment ago); None when
    someone else holds a live claim or has just written it."""
    now = timezone.now()
    key = {"work_id": book.work_id, "extension": extension, "revision": book.revision}
    if row is None:
        try:
            with transaction.atomic():
                return DownloadFile.objects.create(**key, claimed_at=now)
        except IntegrityError:
            return None  # another writer was quicker
    if row.is_written or row.claimed_at >= now - ABANDONED_AFTER:
        return None
    # A writer that crashed long ago: take its claim over (one taker wins the update).
    claim = uuid.uuid4()
    taken = DownloadFile.objects.filter(
        **key, written_at=None, claimed_at__lt=now - ABANDONED_AFTER
    ).update(claim=claim, claimed_at=now)
    return DownloadFile.objects.filter(**key, claim=claim).first() if taken else None


def _write(book: Book, extension: str, claim: DownloadFile) -> DownloadFile | None:
    """Render and store the file, then record it and remove older revisions' files."""
    try:
        content = formats.render(book, extension)
    except BaseException:
        # Let the next request try again rather than wait for a file that never comes.
        DownloadFile.objects.filter(pk=claim.pk, claim=claim.claim).delete()
        raise
    name = storage.save(
        storage.file_name(work_id=book.work_id, revision=book.revision, extension=extension),
        content,
    )
    written = {"name": name, "size": len(content), "written_at": timezone.now()}
    recorded = DownloadFile.objects.filter(pk=claim.pk, claim=claim.claim).update(**written)
    if not recorded:
        # Our claim was dropped (a newer revision was written meanwhile) or taken over
        # by another writer: keep the file only if that writer recorded it as its own.
        logger.info("Download %s was no longer ours to record", name)
        if not DownloadFile.objects.filter(name=name).exists():
            storage.delete([name])
        row = _row(book, extension)
        return row if row is not None and row.is_written else None
    for field_name, value in written.items():
        setattr(claim, field_name, value)
    older = DownloadFile.objects.filter(
        work_id=book.work_id, extension=extension, claimed_at__lt=claim.claimed_at
    ).exclude(pk=claim.pk)
    storage.delete(name for name in older.values_list("name", flat=True) if name != claim.name)
    older.delete()
    return claim
