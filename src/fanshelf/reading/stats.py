"""Read paths for an author's statistics: their works' counts and hits/kudos by time.

Hits come from ``Work.hit_count`` and ``DailyHits`` (so hits still buffered in a web
process, at most ``HITS_FLUSH_SECONDS`` old, are not in yet); kudos, visible comments
and subscriptions are counted from their own tables; bookmarks and words are the
work's counters. Only a work's creators see its statistics, anonymous works included.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanshelf.feedback.models import Comment, Kudos
from fanshelf.notifications.models import Subscription
from fanshelf.reading import charts
from fanshelf.reading.models import DailyHits
from fanshelf.works.models import Creatorship, Work
from fanshelf.works.selectors import visible_works

# The statistics table's columns: label, what it sorts by, the order a first click
# gives. Every column but the title shows the attribute it sorts by.
COLUMNS = {
    "title": (gettext_lazy("Title"), Lower("title"), "asc"),
    "words": (gettext_lazy("Words"), "word_count", "desc"),
    "hits": (gettext_lazy("Hits"), "hit_count", "desc"),
    "kudos": (gettext_lazy("Kudos"), "kudos_total", "desc"),
    "comments": (gettext_lazy("Comments"), "comments_total", "desc"),
    "bookmarks": (gettext_lazy("Bookmarks"), "bookmark_count", "desc"),
    "subscriptions": (gettext_lazy("Subscriptions"), "subscriptions_total", "desc"),
}
COUNTED = [
    expression for _label, expression, _order in COLUMNS.values() if isinstance(expression, str)
]
DAYS_SHOWN_BY_DAY = 62
WEEKS_SHOWN_BY_WEEK = 62


@dataclass(frozen=True)
class Sort:
    key: str = "hits"
    descending: bool = True

    @classmethod
    def from_query(cls, query: QueryDict) -> "Sort":
        """The sort asked for in ``?sort=kudos&order=asc``; hits, most first, if unknown."""
        key = query.get("sort", "")
        if key not in COLUMNS:
            return cls()
        order = query.get("order", COLUMNS[key][2])
        return cls(key=key, descending=order != "asc")

    def ordering(self) -> list:
        expression = COLUMNS[self.key][1]
        if isinstance(expression, str):
            return [f"-{expression}" if self.descending else expression, "-pk"]
        return [expression.desc() if self.descending else expression.asc(), "-pk"]


def columns(sort: Sort) -> list[dict]:
    """The table's sortable headers: label, link (which flips the order) and aria-sort."""
    headers = []
    for key, (label, _expression, first) in COLUMNS.items():
        active = key == sort.key
        order = ("asc" if sort.descending else "desc") if active else first
        aria = ("descending" if sort.descending else "ascending") if active else None
        headers.append({"key": key, "label": label, "query": f"?sort={key}&order={order}",
                        "aria_sort": aria, "numeric": key != "title"})  # fmt: skip
    return headers


def _count_of(model, **conditions) -> Coalesce:
    rows = (
        model.objects.filter(work=OuterRef("pk"), **conditions)
        .order_by()
        .values("work")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _with_counts(works: QuerySet[Work]) -> QuerySet[Work]:
    return works.annotate(
        kudos_total=_count_of(Kudos),
        comments_total=_count_of(Comment, state=Comment.State.VISIBLE),
        subscriptions_total=_count_of(Subscription),
    )


def _created_by(user) -> QuerySet[Work]:
    own = Creatorship.objects.filter(pseud__user=user).values("work_id")
    return Work.objects.filter(pk__in=own)


def works_stats(*, user, sort: Sort | None = None) -> list[Work]:
    """Every work ``user`` created (anonymous ones too), with its counts, sorted."""
    sort = sort or Sort()
    return list(_with_counts(_created_by(user)).order_by(*sort.ordering()))


def table_rows(works: list[Work]) -> list[dict]:
    """Each work with its counts in column order, for the statistics table."""
    return [{"work": work, "counts": [getattr(work, name) for name in COUNTED]} for work in works]


def totals(works: list[Work]) -> list[int]:
    """The sum of each counted column over ``works``, in column order."""
    return [sum(getattr(work, name) for work in works) for name in COUNTED]


def figures(work: Work) -> list[tuple[str, int]]:
    """One work's counts with their labels, in column order."""
    return [(label, getattr(work, name)) for label, name, _order in COLUMNS.values()
            if isinstance(name, str)]  # fmt: skip


def first_posted(works: list[Work]) -> datetime.datetime | None:
    """When the first of ``works`` was posted (None if none was)."""
    return min((work.published_at for work in works if work.published_at), default=None)


def work_stats(*, user, work_id: int) -> Work:
    """One work with its counts, if ``user`` created it.

    Raises ``Work.DoesNotExist`` when ``user`` cannot see the work at all and
    ``PermissionDenied`` when they can but did not create it.
    """
    work = _with_counts(visible_works(user)).get(pk=work_id)
    if not Creatorship.objects.filter(work=work, pseud__user=user).exists():
        raise PermissionDenied(_("Only a work's creators can see its statistics."))
    return work


@dataclass(frozen=True)
class Range:
    """How far back a chart goes: a number of days, or ``None`` for all time."""

    days: int | None = None

    OPTIONS = {"30": 30, "90": 90, "365": 365, "all": None}

    @classmethod
    def from_query(cls, query: QueryDict) -> "Range":
        return cls(days=cls.OPTIONS.get(query.get("range", "all")))

    @property
    def key(self) -> str:
        return "all" if self.days is None else str(self.days)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [
            ("30", _("Last 30 days")),
            ("90", _("Last 90 days")),
            ("365", _("Last year")),
            ("all", _("All time")),
        ]


@dataclass
class Timeline:
    """Hits and kudos per period (day, week or month), oldest first, with its chart."""

    unit: str
    rows: list[dict] = field(default_factory=list)

    @property
    def caption(self) -> str:
        return {
            "day": _("Hits and kudos by day"),
            "week": _("Hits and kudos by week"),
            "month": _("Hits and kudos by month"),
        }[self.unit]

    def chart(self) -> SafeString:
        hits = [row["hits"] for row in self.rows]
        kudos = [row["kudos"] for row in self.rows]
        first, last = self.rows[0]["label"], self.rows[-1]["label"]
        description = _(
            "%(hits)s hits and %(kudos)s kudos from %(first)s to %(last)s; "
            "the table that follows gives each number."
        ) % {"hits": sum(hits), "kudos": sum(kudos), "first": first, "last": last}
        return charts.bar_chart(
            title=self.caption,
            description=description,
            labels=[row["label"] for row in self.rows],
            short_labels=[row["short"] for row in self.rows],
            series=[
                charts.Series(_("Hits"), hits, "chart-hits", "#2f6690"),
                charts.Series(_("Kudos"), kudos, "chart-kudos", "#b23a48"),
            ],
        )


def _period_start(day: datetime.date, unit: str) -> datetime.date:
    if unit == "week":
        return day - datetime.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next_period(start: datetime.date, unit: str) -> datetime.date:
    if unit == "day":
        return start + datetime.timedelta(days=1)
    if unit == "week":
        return start + datetime.timedelta(days=7)
    return (start + datetime.timedelta(days=32)).replace(day=1)


def _labels(start: datetime.date, unit: str) -> tuple[str, str]:
    if unit == "day":
        return start.isoformat(), date_format(start, "M j")
    if unit == "week":
        return _("Week of %(day)s") % {"day": start.isoformat()}, date_format(start, "M j")
    return date_format(start, "F Y"), date_format(start, "M Y")


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def timeline(
    *, work_ids: list[int], period: Range, since: datetime.datetime | None = None
) -> Timeline | None:
    """Hits and kudos of ``work_ids`` over ``period``, by day for up to two months,
    by week for up to 62 weeks, by month beyond; None when there are no works.

    ``since`` (the first posting) starts an all-time chart; without it, today does.
    """
    if not work_ids:
        return None
    today = timezone.now().astimezone(datetime.UTC).date()
    if period.days is not None:
        first = today - datetime.timedelta(days=period.days - 1)
    else:
        first = since.astimezone(datetime.UTC).date() if since else today
    first = min(first, today)
    span = (today - first).days + 1
    if span <= DAYS_SHOWN_BY_DAY:
        unit = "day"
    elif span <= WEEKS_SHOWN_BY_WEEK * 7:
        unit = "week"
    else:
        unit = "month"
    hits = (
        DailyHits.objects.filter(work_id__in=work_ids, day__gte=first)
        .values("day")
        .annotate(n=Sum("hits"))
        .order_by()
    )
    kudos = (
        Kudos.objects.filter(work_id__in=work_ids, created_at__gte=_midnight(first))
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    buckets: dict[datetime.date, dict] = {}
    start = _period_start(first, unit)
    while start <= today:
        label, short = _labels(start, unit)
        buckets[start] = {"start": start, "label": label, "short": short, "hits": 0, "kudos": 0}
        start = _next_period(start, unit)
    for name, rows in (("hits", hits), ("kudos", kudos)):
        for row in rows:
            bucket = buckets.get(_period_start(row["day"], unit))
            if bucket is not None:
                bucket[name] += row["n"]
    return Timeline(unit=unit, rows=list(buckets.values()))
