"""Write paths for reading: visits (hits and history), marking for later, hit flushes.

``record_visit`` runs on every work and chapter page, so it is kept cheap: a guest's
view touches only the cache (see ``fanshelf.reading.hits``) and a logged-in reader's
adds one upsert to their history. The other services are ordinary writes: keyword
arguments, one transaction, a permission check, safe to run twice.
"""

import datetime
import logging
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fanshelf.reading import hits
from fanshelf.reading.models import DailyHits, HitFlush, Reading, ReadingPreference
from fanshelf.reading.preferences import update_preferences
from fanshelf.works.models import Chapter, Work
from fanshelf.works.selectors import is_creator_cached, visible_works

logger = logging.getLogger(__name__)

# Set on the request by record_visit: whether the reader has the work marked for
# later, so the page's "Mark for later" button needs no query of its own.
LATER_ATTRIBUTE = "_fanshelf_marked_for_later"
FLUSH_RECORDS_KEPT = datetime.timedelta(days=30)


def record_visit(*, request, work: Work, chapter: Chapter | None = None) -> None:
    """Count a view of a posted work and note it in the reader's history.

    A hit is counted once per visitor per work per day, in the cache (no database
    write); a logged-in reader who keeps a history gets one upsert of their
    ``Reading`` row (visits + 1, last read now, last chapter). Creators reading their
    own work add neither.
    """
    user = request.user
    if not work.is_posted or is_creator_cached(user, work):
        return
    hits.count_hit(request, work.pk)
    if user.is_authenticated:
        later = _note_reading(user_id=user.pk, work_id=work.pk, chapter=chapter)
        setattr(request, LATER_ATTRIBUTE, later)


def _note_reading(*, user_id: int, work_id: int, chapter: Chapter | None) -> bool | None:
    """One statement: insert or update the reading row unless history is off.

    Returns whether the work is marked for later, or None when nothing was written
    (the reader turned history off). The ORM has no upsert that adds to a column, so
    this is SQL with parameters only; it runs on SQLite (3.35+) and PostgreSQL (the
    cast types a NULL chapter, which PostgreSQL would otherwise read as text).
    """
    connection = connections[router.db_for_write(Reading)]
    quote = connection.ops.quote_name
    reading = quote(Reading._meta.db_table)
    preference = quote(ReadingPreference._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = f"""
        INSERT INTO {reading}
            (user_id, work_id, first_read_at, last_read_at, visits, last_chapter_id, later)
        SELECT %s, %s, %s, %s, 1, CAST(%s AS BIGINT), %s
        WHERE NOT EXISTS (
            SELECT 1 FROM {preference} p WHERE p.user_id = %s AND p.history_enabled = %s
        )
        ON CONFLICT (user_id, work_id) DO UPDATE SET
            first_read_at = COALESCE({reading}.first_read_at, excluded.first_read_at),
            last_read_at = excluded.last_read_at,
            visits = {reading}.visits + 1,
            last_chapter_id = COALESCE(excluded.last_chapter_id, {reading}.last_chapter_id)
        RETURNING later
    """  # noqa: S608 - table names from model metadata, every value a parameter
    chapter_id = chapter.pk if chapter is not None else None
    params = [user_id, work_id, now, now, chapter_id, False, user_id, False]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else bool(row[0])


def _require_readable(user, work: Work) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to keep a reading list."))
    readable = visible_works(user).filter(pk=work.pk, state=Work.State.POSTED)
    if not readable.exists():
        raise PermissionDenied(_("This work does not exist, or you cannot see it."))


def mark_for_later(*, user, work: Work) -> Reading:
    """Put a posted work the user can see on their "Marked for later" list."""
    _require_readable(user, work)
    with transaction.atomic():
        reading, _created = Reading.objects.update_or_create(
            user=user, work=work, defaults={"later": True, "later_at": timezone.now()}
        )
    return reading


def remove_from_later(*, user, work: Work) -> None:
    """Take a work off the user's "Marked for later" list (its history stays)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to keep a reading list."))
    with transaction.atomic():
        readings = Reading.objects.filter(user=user, work=work)
        readings.update(later=False, later_at=None)
        # A row kept only for the list has nothing left to remember.
        readings.filter(visits=0).delete()


def clear_history(*, user) -> int:
    """Forget what the user read; works marked for later stay on that list.

    Returns how many works were removed from the history.
    """
    with transaction.atomic():
        readings = Reading.objects.filter(user=user, visits__gt=0)
        cleared = readings.count()
        readings.filter(later=False).delete()
        readings.update(visits=0, first_read_at=None, last_read_at=None, last_chapter=None)
    return cleared


def set_history_enabled(*, user, enabled: bool) -> ReadingPreference:
    """Turn the user's reading history on or off; what is already there stays."""
    return update_preferences(user=user, history_enabled=enabled)


def _parse_counts(counts) -> dict[tuple[int, datetime.date], int]:
    """``[[work_id, "YYYY-MM-DD", hits], …]`` as a dict; ValidationError if malformed."""
    parsed: dict[tuple[int, datetime.date], int] = defaultdict(int)
    try:
        for work_id, day, added in counts:
            if type(work_id) is not int or type(added) is not int or added < 1:
                raise ValueError(f"bad hit count row {[work_id, day, added]!r}")
            parsed[(work_id, datetime.date.fromisoformat(day))] += added
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Malformed hit counts: %(error)s") % {"error": error}) from error
    return parsed


def add_hits(*, batch: str, counts: list[list]) -> int:
    """Add one batch of buffered hits to ``Work.hit_count`` and ``DailyHits``.

    ``counts`` holds ``[work_id, "YYYY-MM-DD", hits]`` rows. A batch is applied once:
    running it again adds nothing. Hits of works deleted since are dropped. Returns
    how many hits were added.
    """
    parsed = _parse_counts(counts)
    if not batch or len(batch) > 64:
        raise ValidationError(_("A hit batch needs an id of at most 64 characters."))
    with transaction.atomic():
        work_ids = {work_id for work_id, _day in parsed}
        existing = set(Work.objects.filter(pk__in=work_ids).values_list("pk", flat=True))
        parsed = {key: added for key, added in parsed.items() if key[0] in existing}
        total = sum(parsed.values())
        _flush, created = HitFlush.objects.get_or_create(batch=batch, defaults={"hits": total})
        if not created:
            logger.info("Hit batch %s was already applied.", batch)
            return 0
        per_work: dict[int, int] = defaultdict(int)
        for (work_id, _day), added in parsed.items():
            per_work[work_id] += added
        # Most works gain the same few hits per batch: one UPDATE per distinct amount.
        for added, ids in _group_by_amount(per_work.items()).items():
            Work.objects.filter(pk__in=ids).update(hit_count=F("hit_count") + added)
        DailyHits.objects.bulk_create(
            [DailyHits(work_id=work_id, day=day, hits=0) for work_id, day in parsed],
            ignore_conflicts=True,
        )
        by_day: dict[tuple[datetime.date, int], list[int]] = defaultdict(list)
        for (work_id, day), added in parsed.items():
            by_day[(day, added)].append(work_id)
        for (day, added), ids in by_day.items():
            DailyHits.objects.filter(day=day, work_id__in=ids).update(hits=F("hits") + added)
        HitFlush.objects.filter(flushed_at__lt=timezone.now() - FLUSH_RECORDS_KEPT).delete()
    return total


def _group_by_amount(items) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for key, amount in items:
        groups[amount].append(key)
    return groups
