"""How well and how fast near-duplicate detection finds edited copies of works.

Builds a temporary archive (SQLite in its own FANSHELF_DATA_DIR, migrated) with the
synthetic corpus of ``fanshelf bench corpus`` (generated prose, several chapters a
work), fingerprints every work (``ensure_fingerprints``), then asks
``similar_works`` about edited copies of works picked at random (typos fixed in 2%
of the words, rewrapped plain text with straight quotes, a new end note, chapters
merged into one) and about as many unrelated generated texts, and prints precision,
recall, lookup p50/p95 and the time ``duplicate_pairs`` takes over the archive.

The named alternative, on the same queries in the same run, is the brute-force
check: compare the query's signature with every stored signature. The ratio says
what the banded, indexed lookup saves; both give the same answers above 0.8 in all
but a fraction of a percent of cases (the banding's P(0.8) = 0.992).

    .venv/bin/python bench/duplicates.py [--works 3000] [--queries 200]
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

END_NOTE = (
    "I wrote this on tumblr but modified it for here. Tell me what you think!!! "
    "Come chat with me on tumblr."
)


def typos_fixed(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for index in rng.sample(range(len(words)), max(1, len(words) // 50)):
        word = words[index]
        words[index] = word[1] + word[0] + word[2:] if len(word) > 2 else word + "h"
    return " ".join(words)


def rewrapped_straight_quotes(text: str, rng) -> str:
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2019", "'")):
        text = text.replace(curly, straight)
    return "\n\n".join(textwrap.fill(p, 50) for p in text.split("\n\n"))


def new_end_note(text: str, rng) -> str:
    return text + "\n\n" + END_NOTE


def merged_chapters(text: str, rng) -> str:
    return " ".join(text.split("\n\n"))


EDITS = [typos_fixed, rewrapped_straight_quotes, new_end_note, merged_chapters]


def describe(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return (
        f"{label:<34} p50 {statistics.median(ordered) * 1e3:8.2f} ms  "
        f"p95 {p95 * 1e3:8.2f} ms  {len(ordered) / sum(ordered):8.0f}/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=200, help="edited copies (and unrelated)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary archive")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="fanshelf-duplicates-")
    Path(data_dir, "static").mkdir()
    os.environ["FANSHELF_DATA_DIR"] = data_dir
    os.environ.pop("FANSHELF_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fanshelf.settings"
    try:
        run(args)
    finally:
        if args.keep:
            print(f"\narchive kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def run(args) -> None:
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command

    from fanshelf.core.benchmarks import corpus
    from fanshelf.core.benchmarks.vocabulary import ProseWriter
    from fanshelf.imports import duplicates
    from fanshelf.imports.models import FingerprintBand, WorkFingerprint
    from fanshelf.text import html_to_text
    from fanshelf.works.models import Work

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    corpus.build_corpus(works=args.works, chapters_max=5, body_words=400, search_index=False)
    print(
        f"archive: {args.works:,} generated works, built in {time.perf_counter() - started:.0f} s"
    )

    started = time.perf_counter()
    fingerprinted = duplicates.ensure_fingerprints()
    seconds = time.perf_counter() - started
    bands = FingerprintBand.objects.count()
    print(
        f"fingerprinted {fingerprinted:,} works in {seconds:.1f} s: "
        f"{fingerprinted / seconds:,.0f} works/s ({bands:,} band rows)"
    )

    rng = random.Random(2026)
    ids = list(Work.objects.values_list("pk", flat=True))
    picked = rng.sample(ids, min(args.queries, len(ids)))
    queries = []
    for number, pk in enumerate(picked):
        edit = EDITS[number % len(EDITS)]
        text = duplicates.work_text(Work.objects.get(pk=pk))
        queries.append((pk, edit.__name__, edit(text, rng)))
    writer = ProseWriter()
    unrelated = [
        html_to_text(writer.chapter_html(random.Random(10_000 + n), 1200, ["Rey", "Finn"]))
        for n in range(len(queries))
    ]

    signatures = {
        pk: duplicates._from_bytes(data)
        for pk, data in WorkFingerprint.objects.values_list("work_id", "signature")
    }
    matrix = np.stack(list(signatures.values()))
    keys = np.array(list(signatures))

    def brute_force(text: str) -> list[int]:
        mine = np.asarray(duplicates.signature_of(text).hashvalues)
        stored = WorkFingerprint.objects.values_list("work_id", "signature")
        scores = [(duplicates._similarity(mine, duplicates._from_bytes(s)), pk) for pk, s in stored]
        return [pk for score, pk in sorted(scores, reverse=True) if score >= 0.8][:5]

    def in_memory(text: str) -> list[int]:
        mine = np.asarray(duplicates.signature_of(text).hashvalues)
        scores = (matrix == mine).mean(axis=1)
        return [int(keys[i]) for i in np.argsort(-scores)[:5] if scores[i] >= 0.8]

    timings = {
        "signature_of (hashing alone)": [],
        "similar_works": [],
        "brute force (database)": [],
        "brute force (in memory)": [],
    }
    found = {name: 0 for name in {name for _, name, _ in queries}}
    right = wrong = 0
    agree = 0
    for original, name, text in queries:
        start = time.perf_counter()
        duplicates.signature_of(text)
        timings["signature_of (hashing alone)"].append(time.perf_counter() - start)
        start = time.perf_counter()
        result = [similar.work.pk for similar in duplicates.similar_works(text)]
        timings["similar_works"].append(time.perf_counter() - start)
        start = time.perf_counter()
        expected = brute_force(text)
        timings["brute force (database)"].append(time.perf_counter() - start)
        start = time.perf_counter()
        in_memory(text)
        timings["brute force (in memory)"].append(time.perf_counter() - start)
        agree += set(result) == set(expected)
        found[name] += original in result
        right += original in result
        wrong += sum(pk != original for pk in result)
    for text in unrelated:
        wrong += len(duplicates.similar_works(text))

    print(f"\n{os.cpu_count()} cores, {len(queries)} edited copies, {len(unrelated)} unrelated\n")
    for label, samples in timings.items():
        print(describe(label, samples))
    print(
        f"\nprecision {right / max(right + wrong, 1):.3f}, recall {right / len(queries):.3f} "
        f"(threshold 0.8; same answers as brute force for {agree}/{len(queries)} queries)"
    )
    for name, count in found.items():
        print(f"  {name:<28} {count}/{sum(1 for _, n, _ in queries if n == name)} found")

    start = time.perf_counter()
    pairs = list(duplicates.duplicate_pairs())
    print(f"\nduplicate_pairs over {len(ids):,} works: {len(pairs)} pairs in "
          f"{time.perf_counter() - start:.2f} s")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
