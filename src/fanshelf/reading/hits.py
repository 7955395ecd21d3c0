"""Hits: unique visitors per work per day, counted without a database write per view.

A page view calls ``count_hit``; the hot path touches the cache and this process's
memory only:

1. ``cache.add`` of a key made from the day, the work and a digest of the visitor
   (a user's id; for a guest a salted sha256 of their address and their session key,
   or user agent when they have no session). ``add`` fails when the key is there: the
   visitor was already counted today, and nothing else happens. No address is ever
   stored, not even in the cache.
2. A first view adds one to this process's buffer, a small dict of counts per work
   and day kept in the cache under a key of its own (with Redis every process has
   its own buffer there).
3. When the buffer is older than ``settings.HITS_FLUSH_SECONDS`` or holds more than
   ``settings.HITS_FLUSH_ENTRIES`` (work, day) pairs, the process hands it over: it
   enqueues ``tasks.flush_hits`` with the counts as the task's JSON arguments (one
   queue row per flush, not per view), and the worker adds them to ``Work.hit_count``
   and ``DailyHits`` in one transaction. The worker is another process, so the counts
   travel in the task, with the local-memory cache and with Redis alike.

What is exact and what is not:

- Dedupe is exact per process with the local-memory cache (the default): a visitor
  whose views of a work on one day land on two web processes is counted once by
  each. With a shared cache (Redis) the seen keys are shared and a visitor counts
  once per work per day across every process. Either way a full cache may evict a
  seen key early, and the next view of that visitor is counted again.
- A guest is an address plus a session (or a browser): two guests behind one address
  with the same browser count once; a guest who gets a session mid-day may count
  twice. A user counts once whatever their address.
- Days are UTC days. A hit is filed under the day of the view, not of the flush.
- A cache may evict keys when it is full (the local-memory cache drops a third of
  its keys at ``MAX_ENTRIES``: 300 in Django, 50,000 in Fanshelf's settings,
  ``FANSHELF_CACHE_ENTRIES``). This process remembers how many hits
  its buffer should hold; when the buffer has gone, the hand-over logs how many hits
  were lost, so it never happens silently. Give the cache room (or use Redis).
- Counts reach the database within ``HITS_FLUSH_SECONDS`` of the first buffered hit
  while the process keeps serving views (the age is checked on every view), and when
  a gunicorn worker exits normally (``atexit``). A process killed outright loses at most
  its buffer. A hand-over that fails (the queue's database is locked, say) puts the
  counts back in the buffer, logs a warning and is tried again on the next view.
- The flush is idempotent: each batch has an id recorded in ``HitFlush``, so a task
  run twice adds its counts once. Counts for a work deleted before its flush are
  dropped (there is nothing left to count them on).
- Creators' views of their own works and views of unposted works are not counted.
"""

import atexit
import datetime
import hashlib
import logging
import os
import sys
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from fanshelf.core.ratelimit import client_ip

logger = logging.getLogger(__name__)

SEEN_PREFIX = "hits:seen"
# A buffer outlives its process in a shared cache; a day is long past any hand-over.
BUFFER_TIMEOUT = 24 * 3600
_BOOT = uuid.uuid4().hex[:12]


class HitBuffer:
    """This process's counts waiting to be handed to the worker, kept in the cache.

    The cache value is ``{"id": …, "since": …, "counts": {"work_id:day": hits}}``
    under a key unique to the process, so only this process writes it; a lock keeps
    its threads from overwriting each other. The process also remembers the buffer's
    id and how many hits it should hold, to notice (and log) an evicted buffer, and
    its age and size, to know when it is due without asking the cache.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._id: str | None = None
        self._expected = 0
        self._since = 0.0
        self._entries = 0

    @property
    def key(self) -> str:
        # The pid is part of the key: processes forked from one parent (gunicorn
        # --preload) share this module's state but must not share a buffer.
        return f"hits:buffer:{os.getpid()}:{_BOOT}"

    def _load(self) -> dict:
        """The buffer from the cache, or a new one (logging hits that went missing)."""
        value = cache.get(self.key)
        if value is None or value.get("id") != self._id:
            if self._expected:
                logger.warning(
                    "Lost %s buffered hits: the cache evicted the hit buffer. "
                    "Give the cache more room or use Redis.",
                    self._expected,
                )
            value = {"id": uuid.uuid4().hex, "since": time.time(), "counts": {}}
            self._id, self._expected = value["id"], 0
        return value

    def add(self, work_id: int, day: str, hits: int = 1) -> bool:
        """Add ``hits`` for a work on a day; True when the buffer is due a hand-over."""
        with self._lock:
            value = self._load()
            entry = f"{work_id}:{day}"
            value["counts"][entry] = value["counts"].get(entry, 0) + hits
            self._expected += hits
            self._since, self._entries = value["since"], len(value["counts"])
            cache.set(self.key, value, timeout=BUFFER_TIMEOUT)
            return self._is_due()

    def is_due(self) -> bool:
        """Whether the buffer is old enough or big enough to hand over.

        Every repeat view asks, so it answers from what this process remembers of its
        own buffer, with no cache round trip.
        """
        return bool(self._expected) and self._is_due()

    def _is_due(self) -> bool:
        too_old = time.time() - self._since >= settings.HITS_FLUSH_SECONDS
        return too_old or self._entries >= settings.HITS_FLUSH_ENTRIES

    def take(self) -> list[list]:
        """Empty the buffer; its counts as JSON-friendly ``[work_id, day, hits]`` rows."""
        with self._lock:
            value = self._load()
            cache.delete(self.key)
            self._id, self._expected, self._entries = None, 0, 0
        rows = []
        for entry, hits in sorted(value["counts"].items()):
            work_id, day = entry.split(":")
            rows.append([int(work_id), day, hits])
        return rows

    def pending(self) -> int:
        """How many hits this process has buffered and not handed over."""
        return self._expected


buffer = HitBuffer()


def visitor_digest(request) -> str:
    """Who is visiting, as a key part that never holds an address or a session key."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    session = getattr(request, "session", None)
    session_key = session.session_key if session is not None else None
    second = session_key or request.META.get("HTTP_USER_AGENT", "")
    address = client_ip(request)
    # Salted with the secret key: a bare sha256 of an IPv4 address and a common user
    # agent could be reversed by trying every address.
    material = "\0".join([settings.SECRET_KEY, address, second])
    return "g" + hashlib.sha256(material.encode()).hexdigest()[:32]


def _seconds_left_today(now: datetime.datetime) -> int:
    tomorrow = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
    )
    # A minute's grace so a view at 23:59:59 is not counted again at once.
    return int((tomorrow - now).total_seconds()) + 60


def count_hit(request, work_id: int) -> bool:
    """Count a view of a work if it is this visitor's first today; True when counted.

    Never touches the database, except for the one queue row when the buffer is
    handed over.
    """
    now = timezone.now().astimezone(datetime.UTC)
    day = now.date().isoformat()
    seen_key = f"{SEEN_PREFIX}:{day}:{work_id}:{visitor_digest(request)}"
    counted = cache.add(seen_key, 1, timeout=_seconds_left_today(now))
    due = buffer.add(work_id, day) if counted else buffer.is_due()
    if due:
        hand_over()
    return counted


def hand_over() -> str | None:
    """Enqueue a flush of everything buffered in this process; the batch id, or None.

    When the queue cannot take the task the counts go back into the buffer and the
    next view tries again, so nothing is lost.
    """
    from fanshelf.reading.tasks import flush_hits

    counts = buffer.take()
    if not counts:
        return None
    batch = uuid.uuid4().hex
    try:
        flush_hits.enqueue(batch=batch, counts=counts)
    except Exception:
        logger.warning("Could not queue %s buffered hits; will retry.", len(counts), exc_info=True)
        for work_id, day, hits in counts:
            buffer.add(work_id, day, hits)
        return None
    return batch


@atexit.register
def _hand_over_at_exit() -> None:
    # Only web server processes: at the end of a test run or a command the database
    # may be torn down or pointed back at another one, and the flush would land there.
    if not buffer.pending() or "gunicorn" not in sys.modules:
        return
    try:
        hand_over()
    except Exception:  # the interpreter is shutting down: say what is lost, do not crash
        logger.exception("Could not hand over buffered hits at exit.")
    if buffer.pending():
        logger.error("Lost %s buffered hits at exit.", buffer.pending())
