"""How fast work listings and search answer: ``fanshelf bench discovery``.

A fixed, published set of queries (``QUERIES``; listed in bench/README.md and
docs/performance.md), each run through ``discovery.selectors.search_works`` as a
guest, one at a time, timing the whole call: parsing the filters, counting, the page
of works with their blurb data, the facets and the search snippets. Every listing
shape runs with and without facets. ``{fandom}`` and ``{relationship}`` stand for
the archive's most used canonical fandom and that fandom's most used relationship.
"""

import math
import os
import platform
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from fanshelf.core.benchmarks.machine import cpu_model
from fanshelf.core.benchmarks.vocabulary import RARE_WORDS
from fanshelf.core.runtime import tune_garbage_collector
from fanshelf.tags.models import Tag
from fanshelf.works.models import Chapter, Work


@dataclass(frozen=True)
class Query:
    key: str
    label: str
    params: dict
    text: bool = False


SHAPES = [
    Query("listing", "All works, newest update first", {"sort": "updated"}),
    Query(
        "filtered",
        "{fandom} + {relationship}, excluding Major Character Death, complete, "
        "10,000+ words, by kudos",
        {
            "tag": ["{fandom}", "{relationship}"],
            "exclude_tag": ["Major Character Death"],
            "complete": "complete",
            "words_from": "10000",
            "sort": "kudos",
        },
    ),
    Query("rating", "Rated Explicit, newest first", {"rating": ["Explicit"]}),
    Query("language-wip", "Spanish works in progress", {"language": "es", "complete": "wip"}),
    Query("q-common", "q=eyes (a word in most chapters)", {"q": "eyes"}, text=True),
    Query("q-rare", f"q={next(iter(RARE_WORDS))} (a rare word)", {"q": "quixotic"}, text=True),
    Query("q-phrase", 'q="come find me" (a phrase)', {"q": '"come find me"'}, text=True),
    Query("q-field", "q=title:winter (a field)", {"q": "title:winter"}, text=True),
    Query("q-exclude", "q=dragon -angst (an exclusion)", {"q": "dragon -angst"}, text=True),
]


@dataclass
class Timing:
    query: Query
    facets: bool
    results: int
    seconds: list[float]

    @property
    def key(self) -> str:
        return self.query.key + ("+facets" if self.facets else "")


@dataclass
class Report:
    header: list[str] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` from 0 to 1)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))
    return ordered[index]


def search_ready() -> str:
    """Why the text queries cannot run here, or "" when they can."""
    from fanshelf.discovery import search

    if not (hasattr(search, "parse") and hasattr(search, "backend")):
        return "fanshelf.discovery.search has no parse/backend yet"
    from fanshelf.discovery.models import SearchChapter

    if Work.objects.filter(state="posted").exists() and not SearchChapter.objects.exists():
        return "the search index is empty (built with --no-search-index? run `fanshelf reindex`)"
    return ""


def popular_tags() -> dict[str, str]:
    fandom = (
        Tag.objects.filter(type=Tag.Type.FANDOM, canonical=True).order_by("-usage_count").first()
    )
    relationship = (
        Tag.objects.filter(type=Tag.Type.RELATIONSHIP, canonical=True, parents=fandom)
        .order_by("-usage_count")
        .first()
    )
    return {
        "fandom": fandom.name if fandom else "(no fandom)",
        "relationship": relationship.name if relationship else "(no relationship)",
    }


def fill(value, names: dict[str, str]):
    """The query's parameters with ``{fandom}`` and ``{relationship}`` filled in."""
    if isinstance(value, dict):
        return {key: fill(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, names) for item in value]
    return value.format(**names) if isinstance(value, str) else value


def time_query(params: dict, facets: bool) -> tuple[float, int, list[str]]:
    """Seconds for one call, the number of results, and the notes the listing gave."""
    from fanshelf.discovery.filters import parse_filters
    from fanshelf.discovery.selectors import search_works

    started = time.perf_counter()
    filters, notes = parse_filters(params)
    listing = search_works(viewer=None, filters=filters, with_facets=facets)
    list(listing.works)
    _ = listing.facets
    return time.perf_counter() - started, listing.count, notes + listing.notes


def machine() -> str:
    return f"{os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}"


def engine() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"sqlite {cursor.fetchone()[0]}"
        if connection.vendor == "postgresql":
            cursor.execute("show server_version")
            return f"postgresql {cursor.fetchone()[0]}"
    return connection.vendor


def run(
    *,
    iterations: int,
    warmup: int,
    only: list[str] | None = None,
    explain: str | None = None,
    budget: float = 60.0,
    write: Callable[[str], None] = print,
) -> Report:
    """Run every query ``warmup`` + ``iterations`` times and write the table.

    A query stops early once its timed runs add up to ``budget`` seconds (a
    pathological shape should not hold up the rest); the ``runs`` column says so.
    """
    names = popular_tags()
    works = Work.objects.count()
    report = Report()
    report.header = [
        "Fanshelf discovery benchmark",
        f"Archive: {works:,} works ({Work.objects.filter(state='posted').count():,} posted), "
        f"{Chapter.objects.count():,} chapters",
        f"Engine: {engine()}",
        f"Machine: {machine()}",
        f"Popular fandom: {names['fandom']}; its relationship: {names['relationship']}",
        f"Iterations: {iterations} per query after {warmup} warm-up (at most {budget:g} s "
        "a query), as a guest, one at a time",
    ]
    # As each web process does (fanshelf.wsgi), after the first query has loaded
    # what a request needs.
    time_query({}, True)
    tune_garbage_collector()
    report.header.append("Garbage collector tuned as in the web processes (core.runtime)")
    for line in report.header:
        write(line)
    unready = search_ready()
    if unready:
        report.skipped.append(f"text queries: {unready}")
        write(f"Skipped {report.skipped[-1]}")
    write("")
    write(HEADINGS)
    for shape in SHAPES:
        if shape.text and unready:
            continue
        if only and not any(shape.key.startswith(prefix) for prefix in only):
            continue
        params = fill(shape.params, names)
        for facets in (False, True):
            for _ in range(warmup):
                if time_query(params, facets)[0] > budget:
                    break
            seconds, results, notes = [], 0, []
            for _ in range(iterations):
                took, results, notes = time_query(params, facets)
                seconds.append(took)
                if sum(seconds) > budget:
                    break
            timing = Timing(shape, facets, results, seconds)
            report.timings.append(timing)
            write(_row(timing.key, results, seconds))
            for note in notes:
                write(f"  note: {note}")
    every = [s for timing in report.timings for s in timing.seconds]
    if every:
        write(_row("overall", None, every))
        slowest = max(report.timings, key=lambda t: percentile(t.seconds, 0.95))
        write(f"Slowest at p95: {slowest.key} ({percentile(slowest.seconds, 0.95) * 1000:.1f} ms)")
        if explain:
            target = slowest if explain == "slowest" else _find(report, explain)
            if target is None:
                write(f"No query {explain!r} to explain; keys: {', '.join(_keys(report))}")
            else:
                explain_query(fill(target.query.params, names), target.facets, write)
    return report


def _find(report: Report, key: str) -> Timing | None:
    return next((t for t in report.timings if t.key == key), None)


def _keys(report: Report) -> list[str]:
    return [timing.key for timing in report.timings]


HEADINGS = (
    f"{'query':<22} {'runs':>5} {'results':>9} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'q/s':>8}"
)


def _row(key: str, results: int | None, seconds: list[float]) -> str:
    ms = [percentile(seconds, share) * 1000 for share in (0.5, 0.95, 0.99)]
    count = "" if results is None else f"{results:,}"
    qps = len(seconds) / sum(seconds) if sum(seconds) else 0.0
    return (
        f"{key:<22} {len(seconds):>5} {count:>9} {ms[0]:>9.1f} {ms[1]:>9.1f} {ms[2]:>9.1f} "
        f"{qps:>8.2f}"
    )


def markdown_table(report: Report) -> str:
    lines = ["", "| query | facets | runs | results | p50 ms | p95 ms | p99 ms | q/s |"]
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for timing in report.timings:
        ms = [percentile(timing.seconds, share) * 1000 for share in (0.5, 0.95, 0.99)]
        qps = len(timing.seconds) / sum(timing.seconds)
        lines.append(
            f"| {timing.query.key} | {'yes' if timing.facets else 'no'} | "
            f"{len(timing.seconds)} | {timing.results:,} | "
            f"{ms[0]:.1f} | {ms[1]:.1f} | {ms[2]:.1f} | {qps:.2f} |"
        )
    return "\n".join(lines)


def explain_query(params: dict, facets: bool, write: Callable[[str], None]) -> None:
    """Run the query once more, then print each SQL statement, its time and its plan."""
    captured = []

    def capture(execute, sql, sql_params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, sql_params, many, context)
        finally:
            captured.append((time.perf_counter() - started, sql, sql_params))

    with connection.execute_wrapper(capture):
        time_query(params, facets)
    write("")
    write(f"Statements of {params} (facets: {'yes' if facets else 'no'}), slowest first:")
    for seconds, sql, sql_params in sorted(captured, key=lambda row: -row[0]):
        write("")
        write(f"-- {seconds * 1000:.1f} ms")
        write(shorten(sql))
        for line in plan(sql, sql_params):
            write("   " + line)


def shorten(sql: str) -> str:
    """Long ``IN (%s, %s, …)`` lists as ``IN (%s × n)``."""
    return re.sub(r"\((%s, ){4,}%s\)", lambda m: f"(%s × {m.group(0).count('%s')})", sql)


def plan(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            depth: dict[int, int] = {0: 0}
            lines = []
            for node, parent, _unused, detail in cursor.fetchall():
                depth[node] = depth.get(parent, 0) + 1
                lines.append("  " * (depth[node] - 1) + detail)
            return lines
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]
