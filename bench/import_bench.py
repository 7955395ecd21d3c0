"""How fast ``fanshelf import`` brings a folder of works in mixed formats into an archive.

Generates N works (``bench/import_library.py``: text, Markdown, HTML, Fanshelf's HTML
download and JSON export, EPUB, DOCX, tumblr API JSON) into a temporary folder, then
runs ``fanshelf import FOLDER --user bench`` in this process against a fresh archive
(SQLite in its own FANSHELF_DATA_DIR, migrated, default settings): every work read,
checked for near-duplicates, posted through ``post_work`` in a transaction of its own
with its import record (tags, filter tags, search index, fingerprint, notifications),
and its tag suggestions printed. Prints the files, bytes, works, seconds, works per
second, MB per second and p50/p95/p99 of the time between one work's line and the
next (reading included), then the problems by format, if any.

    .venv/bin/python bench/import_bench.py [--works 10000] [--profile 30] [--keep]

``--profile K`` runs the import under cProfile and prints the K functions with the
most time of their own and the K with the most cumulative time (slower: compare
shares, not rates). Figures are in docs/performance.md.
"""

import argparse
import cProfile
import io
import os
import platform
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from fanshelf.core.benchmarks.machine import cpu_model, load_average


class TimedLines(io.TextIOBase):
    """stdout for the command: notes when each work's line ("ID<TAB>URL<TAB>title") is written."""

    def __init__(self):
        self.times: list[float] = []
        self.lines = 0

    def write(self, text: str) -> int:
        if text[:1].isdigit():
            self.times.append(time.perf_counter())
        self.lines += 1
        return len(text)


class Problems(io.TextIOBase):
    """stderr for the command: problem lines by the format folder they came from."""

    def __init__(self, library: Path):
        self.prefix = f"{library}/"
        self.by_format: Counter = Counter()
        self.examples: dict[str, str] = {}

    def write(self, text: str) -> int:
        if text.startswith(self.prefix):
            kind = text[len(self.prefix) :].split("/", 1)[0]
            self.by_format[kind] += 1
            self.examples.setdefault(kind, text.strip())
        return len(text)


def machine() -> str:
    return (
        f"{os.cpu_count()} cores ({cpu_model()}), load average {load_average()}; "
        f"Python {platform.python_version()}"
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)] if ordered else 0.0


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000, help="works to generate (10,000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="cProfile top K")
    parser.add_argument("--keep", action="store_true", help="keep the archive and the files")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    data_dir = Path(tempfile.mkdtemp(prefix="fanshelf-import-"))
    (data_dir / "static").mkdir()
    os.environ["FANSHELF_DATA_DIR"] = str(data_dir)
    os.environ.pop("FANSHELF_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fanshelf.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.core.management.base import CommandError
        from import_library import write_library

        from fanshelf.accounts.services import create_user
        from fanshelf.works.models import Work

        call_command("migrate", verbosity=0)
        create_user(username="bench", email="bench@example.org", password="x" * 16)
        print(machine())

        library = data_dir / "library"
        started = time.perf_counter()
        files_by_format = write_library(library, works=args.works, seed=args.seed)
        files, size = folder_bytes(library)
        print(
            f"generated {args.works:,} works in {files:,} files, {size / 1e6:,.1f} MB, "
            f"in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{kind} {count:,}" for kind, count in sorted(files_by_format.items()))
        )

        out, err = TimedLines(), Problems(library)
        command = ("import", str(library), "--user", "bench")
        profiler = cProfile.Profile() if args.profile else None
        print(f"load average before: {load_average()}")
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        try:
            call_command(*command, stdout=out, stderr=err)
        except CommandError as error:
            print(f"the command ended with: {error}")
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        print(f"load average after: {load_average()}")

        works = Work.objects.count()
        gaps = [later - earlier for earlier, later in zip(out.times, out.times[1:], strict=False)]
        gaps.insert(0, out.times[0] - started if out.times else 0.0)
        print(
            f"imported {works:,} of {args.works:,} works from {files:,} files "
            f"({size / 1e6:,.1f} MB) in {seconds:,.1f} s: {works / seconds:,.1f} works/s, "
            f"{size / 1e6 / seconds:,.2f} MB/s"
        )
        # CPU time is what the machine's load does not stretch (the database is in
        # this process too): its rate is what an idle core would give.
        print(f"CPU time {cpu:,.1f} s: {works / cpu:,.1f} works per CPU second")
        if gaps:
            print(
                "per work: "
                + ", ".join(
                    f"p{int(share * 100)} {percentile(gaps, share) * 1000:,.1f} ms"
                    for share in (0.5, 0.95, 0.99)
                )
                + f", mean {statistics.fmean(gaps) * 1000:,.1f} ms"
            )
            # Whether a work costs more as the archive grows.
            tenth = max(len(gaps) // 10, 1)
            print(
                f"p50 per work in the first tenth {percentile(gaps[:tenth], 0.5) * 1000:,.1f} ms, "
                f"in the last tenth {percentile(gaps[-tenth:], 0.5) * 1000:,.1f} ms"
            )
        for kind, count in sorted(err.by_format.items()):
            print(f"problems in {kind}: {count:,}, e.g. {err.examples[kind]}")
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("tottime").print_stats(args.profile)
            stats.sort_stats("cumulative").print_stats(args.profile)
    finally:
        if args.keep:
            print(f"archive and files kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
