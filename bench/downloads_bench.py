"""How fast Fanshelf writes each download format, against Calibre's ebook-convert.

Builds a temporary archive (SQLite in its own FANSHELF_DATA_DIR, migrated) with three
works posted through ``works.services.post_work``: 1,000 words in one chapter,
100,000 words in 20 chapters and 500,000 words in 100 chapters, whose text comes from
a fixed vocabulary (prose paragraphs, dialogue, emphasis, scene breaks, chapter
titles, summaries and notes). For each work it times the ``Book`` being read from the
database and then each format's ``render(book)`` (median of a few runs), and, as the
named alternative, Calibre's ``ebook-convert`` turning our HTML download into EPUB
and into PDF on the same machine in the same run (AO3 renders HTML and shells out
to ebook-convert for its EPUB, MOBI and PDF downloads). Both EPUBs are checked with
epubcheck, whose errors and warnings are counted. The ratio is ebook-convert's time
over ours.

    .venv/bin/python bench/downloads_bench.py [--sizes 1000,100000,500000] [--runs 3]

Needs the Debian packages calibre and epubcheck (``make bench`` installs them);
without them only our own timings are printed. Formats not installed yet are
skipped, with a line saying so.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from fanshelf.core.benchmarks.machine import cpu_model, load_average

SEED = 2026
EPUBCHECK = Path("/usr/bin/epubcheck")
CHAPTERS = {1_000: 1, 100_000: 20, 500_000: 100}
VOCABULARY_TEXT = (
    "the a and of to in he she was his her it that with for as on at by from they had "
    "not but what all were when we there can an your which their said if do will each "
    "about how up out them then many some so these would other into has more two like "
    "him see time could no make than first been its who now people my made over did "
    "down only way find use may long little very after word called just where most "
    "know get through back much before go good new write our used me man too any day "
    "same right look think also around another came come work three must because does "
    "part even place well such here take why things help put years different away again "
    "off went old number great tell men say small every found still between name should "
    "home big give air line set own under read last never us left end along while "
    "might next sound below saw something thought both few those always looked show "
    "large often together asked house don't world going want school important until "
    "form food keep children feet land side without boy once animals life enough took "
    "sometimes four head above kind began almost live page got earth need far hand high "
    "year mother light parts country father let night following picture being study "
    "second eyes soon times story boys since white days ever paper hard near sentence "
    "better best across during today others however sure means knew it's try told young "
    "miles sun ways thing whole hear example heard several change answer room sea "
    "against top turned learn point city play toward five using himself usually stars "
    "ship bridge quiet cold storm coat gloves glass rain silence breath voice fingers "
    "smile wrist shoulder jaw window corridor orders uniform engine hangar starlight"
)
VOCABULARY = VOCABULARY_TEXT.split()
NAMES = ["Hux", "Kylo", "Rey", "Finn", "Poe", "Phasma", "Mitaka", "Leia"]
VERBS = ["said", "asked", "whispered", "muttered", "answered", "snapped"]


@dataclass(frozen=True)
class Result:
    seconds: float  # median
    runs: int
    size: int  # bytes
    check: str  # epubcheck's verdict, for EPUBs


def sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(VOCABULARY) for _ in range(words)]
    if rng.random() < 0.3:
        picked[0] = rng.choice(NAMES)
    if rng.random() < 0.15:
        at = rng.randrange(len(picked))
        picked[at] = f"<em>{picked[at]}</em>"
    text = " ".join(picked)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def chapter_html(rng: random.Random, words: int) -> str:
    """``words`` words of prose: paragraphs, dialogue and the odd scene break."""
    paragraphs, written = [], 0
    while written < words:
        left = words - written
        if left > 16 and rng.random() < 0.25:
            count = rng.randint(4, 14)
            line = sentence(rng, count).rstrip(".?!")
            name, verb = rng.choice(NAMES), rng.choice(VERBS)
            paragraphs.append(f"<p>“{line},” {name} {verb}.</p>")
            written += count + 2
            continue
        sizes = []
        for _ in range(rng.randint(3, 7)):
            sizes.append(min(rng.randint(6, 20), left - sum(sizes)))
            if sum(sizes) == left:
                break
        paragraphs.append("<p>" + " ".join(sentence(rng, n) for n in sizes) + "</p>")
        written += sum(sizes)
        if rng.random() < 0.01:
            paragraphs.append("<hr>")
    return "\n".join(paragraphs)


def build_work(words: int, chapters: int):
    from fanshelf.accounts.models import User
    from fanshelf.accounts.services import create_user
    from fanshelf.works.services import ChapterText, post_work

    rng = random.Random(SEED + words)
    author = User.objects.filter(username="benchauthor").first() or create_user(
        username="benchauthor",
        email="bench@example.org",
        password="correct horse battery",  # noqa: S106
    )
    per_chapter = words // chapters
    return post_work(
        user=author,
        title=f"The Long Way Round ({words:,} words)",
        summary="<p>" + sentence(rng, 40) + "</p>",
        notes="<p>" + sentence(rng, 30) + "</p>",
        end_notes="<p>Thank you for reading! Tell me what you think!!!</p>",
        chapters=[
            ChapterText(
                title=" ".join(rng.choice(VOCABULARY) for _ in range(3)).title(),
                summary="<p>" + sentence(rng, 15) + "</p>" if number % 3 == 0 else "",
                notes="<p>" + sentence(rng, 12) + "</p>" if number % 5 == 0 else "",
                body=chapter_html(rng, per_chapter),
            )
            for number in range(chapters)
        ],
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "category": ["M/M"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "relationship": ["Armitage Hux/Kylo Ren"],
            "character": ["Kylo Ren", "Armitage Hux"],
            "freeform": ["Slow Burn", "Enemies to Lovers"],
        },
        series="Kylux Week",
    )


def timed_runs(function, runs: int, budget: float) -> tuple[float, int, object]:
    """The median time of up to ``runs`` calls (fewer once they add up to ``budget``
    seconds), the number of calls, and the last call's result."""
    samples, result = [], None
    while len(samples) < runs and sum(samples) < budget:
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), len(samples), result


def ebook_convert(source: Path, target: Path) -> None:
    env = dict(os.environ)
    # Calibre's PDF output runs Chromium (Qt WebEngine), which refuses root without this.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    target.unlink(missing_ok=True)
    result = subprocess.run(
        ["ebook-convert", str(source), str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=3600,
        check=False,
    )
    if result.returncode != 0 or not target.exists():
        raise RuntimeError(f"ebook-convert failed: {result.stderr[-500:] or result.stdout[-500:]}")


def epubcheck(path: Path) -> str:
    """epubcheck's verdict on an EPUB: "valid", or its errors and warnings by message id."""
    if not EPUBCHECK.exists() or shutil.which("java") is None:
        return "not checked"
    report = path.with_suffix(".json")
    # The jar is run by java directly: the package's binfmt wrapper needs a kernel setting.
    subprocess.run(
        ["java", "-jar", str(EPUBCHECK), str(path), "--json", str(report)],
        capture_output=True,
        timeout=1800,
        check=False,
    )
    messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    problems = [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    if not problems:
        return "valid"
    errors = sum(m["severity"] != "WARNING" for m in problems)
    ids = Counter(m["ID"] for m in problems)
    listed = ", ".join(f"{name} ×{count}" for name, count in ids.most_common())
    return f"{errors} errors, {len(problems) - errors} warnings ({listed})"


def machine() -> str:
    calibre = "not installed"
    if shutil.which("ebook-convert"):
        version = subprocess.run(
            ["ebook-convert", "--version"], capture_output=True, text=True, check=False
        )
        calibre = version.stdout.splitlines()[0] if version.stdout else "unknown"
    return (
        f"{os.cpu_count()} cores ({cpu_model()}), load average {load_average()}; "
        f"Python {platform.python_version()}; {calibre}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,500000", help="words, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each step, at most")
    parser.add_argument(
        "--budget", type=float, default=60, help="stop repeating a step after this many seconds"
    )
    parser.add_argument("--formats", default="epub,pdf,html,txt", help="comma-separated")
    parser.add_argument("--no-calibre", action="store_true", help="time our formats only")
    parser.add_argument("--keep", action="store_true", help="keep the files and print where")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures show as they come, even in a log
    sizes = [int(size) for size in args.sizes.split(",")]

    data_dir = tempfile.mkdtemp(prefix="fanshelf-downloads-")
    Path(data_dir, "static").mkdir()
    os.environ["FANSHELF_DATA_DIR"] = data_dir
    os.environ.pop("FANSHELF_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fanshelf.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from fanshelf.downloads import formats
        from fanshelf.downloads.book import posted_book
        from fanshelf.downloads.services import available_extensions

        call_command("migrate", verbosity=0)
        installed = available_extensions()
        missing = [extension for extension in formats.EXTENSIONS if extension not in installed]
        if missing:
            print(f"not installed yet, skipped: {', '.join(missing)}")
        wanted = [extension for extension in installed if extension in args.formats.split(",")]
        calibre = not args.no_calibre and shutil.which("ebook-convert") is not None
        if not args.no_calibre and not calibre:
            print("ebook-convert not found (Debian package calibre): no comparison")
        if calibre and "html" not in installed:
            print("no HTML download to give ebook-convert: no comparison")
            calibre = False
        print(machine())

        # Untimed: imports (WeasyPrint's takes seconds) and first-call caches.
        warm = build_work(1_000, 1)
        for extension in wanted:
            formats.render(posted_book(work_id=warm.pk), extension)

        out = Path(data_dir, "files")
        out.mkdir()
        for words in sizes:
            measure(words, wanted, calibre=calibre, runs=args.runs, budget=args.budget, out=out)
    finally:
        if args.keep:
            print(f"\nfiles kept in {data_dir}/files")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def measure(words: int, wanted: list[str], *, calibre: bool, runs: int, budget: float, out):
    """Post a work of ``words`` words, time each format and ebook-convert, print a table."""
    from fanshelf.downloads import formats
    from fanshelf.downloads.book import posted_book

    chapters = CHAPTERS.get(words, max(1, words // 5_000))
    start = time.perf_counter()
    work = build_work(words, chapters)
    built = time.perf_counter() - start
    book_seconds, _, book = timed_runs(lambda: posted_book(work_id=work.pk), runs, budget)
    print(
        f"\n{work.word_count:,} words in {chapters} chapter{'s' if chapters > 1 else ''} "
        f"(posted in {built:.1f} s; Book read in {book_seconds * 1e3:.0f} ms)"
    )
    mine, theirs = {}, {}
    for extension in wanted:
        seconds, count, content = timed_runs(
            lambda ext=extension: formats.render(book, ext), runs, budget
        )
        path = out / f"{words}-ours.{extension}"
        path.write_bytes(content)
        check = epubcheck(path) if extension == "epub" else ""
        mine[extension] = Result(seconds, count, len(content), check)
        print(f"  ours {extension:4} {seconds:9.3f} s  ({count} runs)  {len(content):>12,} B")
    if calibre:
        # ebook-convert reads our HTML download, as AO3's reads its HTML.
        html = out / f"{words}-ours.html"
        if not html.exists():
            html.write_bytes(formats.render(book, "html"))
        for extension in [extension for extension in ("epub", "pdf") if extension in wanted]:
            target = out / f"{words}-calibre.{extension}"
            seconds, count, _ = timed_runs(lambda t=target: ebook_convert(html, t), runs, budget)
            check = epubcheck(target) if extension == "epub" else ""
            size = target.stat().st_size
            theirs[extension] = Result(seconds, count, size, check)
            print(
                f"  ebook-convert → {extension:4} {seconds:9.3f} s  ({count} runs)  {size:>12,} B"
            )
    print_table(words, mine, theirs)


def print_table(words: int, ours: dict, calibre: dict) -> None:
    """A Markdown table for one size: ``{extension: Result}`` for us and for ebook-convert."""
    print(
        f"\n| {words:,} words | ours (s) | size | epubcheck "
        "| ebook-convert (s) | size | epubcheck | ebook-convert / ours |"
    )
    print("|---|---:|---:|---|---:|---:|---|---:|")
    for extension, mine in ours.items():
        cells = [extension, f"{mine.seconds:.3f}", f"{mine.size:,}", mine.check]
        other = calibre.get(extension)
        if other is None:
            cells += ["", "", "", ""]
        else:
            ratio = other.seconds / mine.seconds
            shown = f"{ratio:.2f}" if ratio < 10 else f"{ratio:,.0f}"
            cells += [f"{other.seconds:.2f}", f"{other.size:,}", other.check, f"{shown}×"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
