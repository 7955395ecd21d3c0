"""Progress on stderr for long commands: a rich bar on a terminal, a line per tenth in a log.

    with progress("Importing", total=size, in_bytes=True) as shown:
        shown.advance(len(data), count=works)

``total`` is what the bar fills up with: a number of works, or of bytes (``in_bytes``)
when the number of works is not known before the end (an import counts bytes read
and shows the works made as a count of its own, with their rate).
"""

import contextlib
import sys
import time
from collections.abc import Iterator

MODES = ("auto", "bar", "lines", "off")


class Progress:
    """What a loop reports to; the shown bar or lines follow."""

    def __init__(self, total: int | None, *, on_change=None):
        self.total = total
        self.done = 0
        self.count = 0
        self.started = time.perf_counter()
        self._on_change = on_change or (lambda: None)
        # With a bar on the terminal, lines printed by the loop go above it through
        # ``echo`` (None otherwise: print as usual).
        self.echo = None

    def advance(self, amount: int = 1, *, count: int = 0) -> None:
        """``amount`` more of the total done (works, or bytes), and ``count`` more works."""
        self.done += amount
        self.count += count
        self._on_change()

    def update(self, *, completed: int, total: int | None = None) -> None:
        """Set how much is done (and the total, when it is learnt late)."""
        self.done = completed
        if total is not None:
            self.total = total
        self._on_change()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


@contextlib.contextmanager
def progress(
    label: str,
    *,
    total: int | None,
    unit: str = "works",
    in_bytes: bool = False,
    mode: str = "auto",
    stream=None,
) -> Iterator[Progress]:
    """A Progress whose state is shown on ``stream`` (stderr) while the block runs.

    ``mode``: "bar" (rich: done, rate, elapsed, time left), "lines" (a plain line per
    tenth of the total, for logs), "off", or "auto" (a bar on a terminal, else lines).
    """
    stream = stream or sys.stderr
    if mode == "auto":
        mode = "bar" if stream.isatty() else "lines"
    if mode == "bar":
        with _bar(label, total=total, unit=unit, in_bytes=in_bytes, stream=stream) as shown:
            yield shown
    elif mode == "lines":
        shown = Progress(total)
        shown._on_change = _line_writer(label, shown, unit=unit, in_bytes=in_bytes, stream=stream)
        yield shown
    else:
        yield Progress(total)


def _line_writer(label: str, shown: Progress, *, unit: str, in_bytes: bool, stream):
    tenth = 0

    def write() -> None:
        nonlocal tenth
        if not shown.total:
            return
        reached = min(shown.done * 10 // shown.total, 10)
        if reached <= tenth:
            return
        tenth = reached
        seconds = max(shown.seconds, 1e-9)
        left = (shown.total - shown.done) * seconds / shown.done if shown.done else 0
        if in_bytes:
            figures = (
                f"{shown.count:,} {unit}, {shown.done / 1e6:,.1f}/{shown.total / 1e6:,.1f} MB, "
                f"{shown.count / seconds:,.0f} {unit}/s, {shown.done / 1e6 / seconds:,.2f} MB/s"
            )
        else:
            figures = f"{shown.done:,}/{shown.total:,} {unit}, {shown.done / seconds:,.0f} {unit}/s"
        stream.write(f"{label}: {figures}, ETA {left:.0f} s\n")

    return write


@contextlib.contextmanager
def _bar(label: str, *, total: int | None, unit: str, in_bytes: bool, stream) -> Iterator[Progress]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )
    from rich.progress import Progress as RichProgress
    from rich.text import Text

    class Count(ProgressColumn):
        def render(self, task):
            return Text(f"{task.fields.get('count', 0):,} {unit}")

    class Rate(ProgressColumn):
        def render(self, task):
            if in_bytes:
                elapsed = task.elapsed or 0
                speed = task.fields.get("count", 0) / elapsed if elapsed else None
            else:
                speed = task.speed
            return Text(f"{speed:,.0f} {unit}/s" if speed else f"… {unit}/s")

    if in_bytes:
        figures = [Count(), Rate(), DownloadColumn(), TransferSpeedColumn()]
    else:
        figures = [MofNCompleteColumn(), Rate()]
    # With bytes there are more figures: the bar takes what width is left.
    bar_column = BarColumn(bar_width=None if in_bytes else 40)
    columns = [TextColumn(label), bar_column, *figures, TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn()]  # fmt: skip
    with RichProgress(*columns, console=Console(file=stream)) as bar:
        task = bar.add_task(label, total=total, count=0)
        shown = Progress(total)
        shown._on_change = lambda: bar.update(
            task, completed=shown.done, total=shown.total, count=shown.count
        )
        shown.echo = lambda line: bar.console.print(
            line, markup=False, highlight=False, soft_wrap=True
        )
        yield shown
