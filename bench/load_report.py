"""The pure parts of bench/load.py: targets, wrk's output, the table and the machine.

Nothing here starts a process or touches the network, so tests/core/test_load_bench.py
runs all of it.
"""

import os
from dataclasses import dataclass, field

from fanshelf.core.benchmarks.machine import cpu_model, memory_total

# Target keys in the order they run, with the letter of issue 9's list and a label.
# In run order: the bare view first and the POSTs last, so the worker's jobs for the
# kudos and comments (notifications) never run beside a GET target's measurement.
TARGETS = {
    "healthz": ("g", "/healthz (constant view)"),
    "work": ("a", "work page, 5,000-word first chapter"),
    "entire": ("b", "entire work (view_full_work)"),
    "listing": ("c", "fandom listing, rating + sort"),
    "search": ("d", "search, a phrase"),
    "kudos": ("e", "kudos POST (guest)"),
    "comment": ("f", "comment POST (guest)"),
    "mix": ("m", "mixed 60/10/15/10/3/2"),
}
POSTS = ("kudos", "comment")


def parse_targets(text: str) -> list[str]:
    """Target keys from ``--targets``: names or letters, comma-separated, in run order."""
    letters = {letter: key for key, (letter, _label) in TARGETS.items()}
    chosen = set()
    for item in (part.strip().lower() for part in text.split(",")):
        if not item:
            continue
        key = letters.get(item, item)
        if key not in TARGETS:
            known = ", ".join(f"{k} ({letter})" for k, (letter, _label) in TARGETS.items())
            raise ValueError(f"unknown target {item!r}; known: {known}")
        chosen.add(key)
    return [key for key in TARGETS if key in chosen]


def parse_counts(text: str, option: str, example: str) -> list[int]:
    """Positive numbers from an option such as ``--connections 16,64,256``."""
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise ValueError(f"{option} takes positive numbers, e.g. {example}")
    return counts


def server_kind(threads: int) -> str:
    """How ``fanshelf serve --threads N`` runs its workers, for the table."""
    return "sync" if threads == 1 else f"{threads} threads"


@dataclass
class Plan:
    """What wrk requests for one target: a URL and the arguments of bench/lua/load.lua."""

    url: str
    script_args: list[str]


def wrk_plan(base: str, key: str, targets: dict) -> Plan:
    """The URL and load.lua arguments for target ``key``, from the archive's targets JSON.

    GET targets request their own path (``mode=get``: wrk's static request). The POSTs
    and the mix spread over the archive's feedback works (``ids=``) and take the paths
    with an ``{id}`` slot; the mix also takes every GET path it weighs.
    """
    paths = targets["paths"]
    if key not in POSTS and key != "mix":
        return Plan(base + paths[key], ["mode=get"])
    ids = ",".join(str(pk) for pk in targets["feedback_ids"])
    args = [
        f"mode={key}",
        f"ids={ids}",
        f"kudos={targets['kudos_path']}",
        f"comment={targets['comment_path']}",
    ]
    if key == "mix":
        args += [f"{name}={paths[name]}" for name in ("work", "entire", "listing", "search")]
    return Plan(base + paths["healthz"], args)


@dataclass
class WrkResult:
    """One wrk run's figures, as bench/lua/load.lua prints them."""

    requests: int = 0
    duration_us: int = 0
    bytes: int = 0
    socket_errors: int = 0
    status_errors: int = 0
    p50_us: int = 0
    p90_us: int = 0
    p99_us: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0

    @property
    def errors(self) -> int:
        """Socket errors (connect, read, write, timeout) and answers that are not 2xx/3xx."""
        not_ok = sum(n for code, n in self.statuses.items() if code[:1] not in ("2", "3"))
        return self.socket_errors + max(self.status_errors, not_ok)

    def status_mix(self) -> str:
        return " ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items()))


def parse_wrk_output(text: str) -> WrkResult:
    """The figures from load.lua's ``done()`` lines; wrk's own report lines are skipped."""
    result = WrkResult()
    found = set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("status", "kind") and parts[2].isdigit():
            table = result.statuses if parts[0] == "status" else result.kinds
            table[parts[1]] = table.get(parts[1], 0) + int(parts[2])
        elif len(parts) == 2 and hasattr(result, parts[0]) and parts[1].isdigit():
            setattr(result, parts[0], int(parts[1]))
            found.add(parts[0])
    if "requests" not in found or "duration_us" not in found:
        raise ValueError("wrk printed no figures (did bench/lua/load.lua run?):\n" + text[-2000:])
    return result


@dataclass
class Row:
    engine: str
    target: str
    connections: int
    result: WrkResult


HEADER = ("engine", "target", "conns", "req/s", "p50 ms", "p99 ms", "errors", "KB/req", "statuses")


def _cells(row: Row) -> tuple:
    result = row.result
    size = result.bytes / result.requests / 1024 if result.requests else 0
    return (
        row.engine,
        f"{TARGETS[row.target][0]}. {TARGETS[row.target][1]}",
        str(row.connections),
        f"{result.rate:,.0f}",
        f"{result.p50_us / 1000:.1f}",
        f"{result.p99_us / 1000:.1f}",
        f"{result.errors:,}",
        f"{size:.1f}",
        result.status_mix(),
    )


def _line(cells, widths: list[int]) -> str:
    """Cells padded to their widths: numbers (conns to KB/req) to the right."""
    padded = [
        cell.rjust(width) if 2 < i < 8 else cell.ljust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(padded).rstrip()


def format_row(row: Row, widths: list[int] | None = None) -> str:
    cells = _cells(row)
    return _line(cells, widths or [len(cell) for cell in cells])


def column_widths(rows: list[Row]) -> list[int]:
    widths = [len(title) for title in HEADER]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, _cells(row), strict=True)]
    return widths


def format_table(rows: list[Row]) -> str:
    """Every row as aligned text under a header line."""
    widths = column_widths(rows)
    return "\n".join([_line(HEADER, widths), *(format_row(row, widths) for row in rows)])


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|---|---|" + "---:|" * 6 + "---|"]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def ratios(rows: list[Row]) -> list[str]:
    """Per engine and connection count: the work page's rate ÷ /healthz's rate."""
    rates = {(row.engine, row.target, row.connections): row.result.rate for row in rows}
    lines = []
    for (engine, target, connections), rate in rates.items():
        bare = rates.get((engine, "healthz", connections))
        if target == "work" and bare:
            lines.append(
                f"{engine}, {connections} connections: work page {rate:,.0f} req/s ÷ "
                f"/healthz {bare:,.0f} req/s = {rate / bare:.2f}"
            )
    return lines


def machine_line() -> str:
    return f"{os.cpu_count()} cores ({cpu_model()}), {memory_total()} memory"
