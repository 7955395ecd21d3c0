"""How fast the text pipeline turns a chapter into stored HTML.

Uses the seed work (../shared/seeds) repeated to chapter sizes, and compares each
step with a named alternative on the same input in the same run:
- sanitize_html against nh3.clean with nh3's default allow-list (one pass, no
  stability check), to show what the archive's rules cost;
- count_words against str.split (which gets CJK, dashes and tags wrong);
- text_to_html (prose paragraphing) against splitting on blank lines only.

    .venv/bin/python bench/text_bench.py [--repeat 200]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import nh3

from fanshelf.text import count_words, sanitize_html, text_to_html

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_761434c73575d7c8.txt"


def timed(function, argument, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(argument)
        samples.append(time.perf_counter() - start)
    return samples


def describe(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"p50 {statistics.median(ordered) * 1e3:7.2f} ms  p95 {p95 * 1e3:7.2f} ms  "
        f"{1 / statistics.median(ordered):8.0f}/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    if not SEED.exists():
        sys.exit(f"seed not found at {SEED}")
    seed = SEED.read_text(encoding="utf-8")
    for copies, label in ((1, "seed, 5.5 kB"), (20, "20× seed, 110 kB")):
        text = " ".join([seed] * copies)
        html = text_to_html(text)
        print(f"\n{label}: {count_words(html):,} words, {len(html):,} characters of HTML")
        pairs = [
            ("sanitize_html", sanitize_html, html, "nh3.clean (defaults)", nh3.clean, html),
            ("count_words", count_words, html, "str.split", lambda s: len(s.split()), html),
            (
                "text_to_html (prose)",
                text_to_html,
                text,
                "blank-line split",
                lambda s: "".join(f"<p>{p}</p>" for p in s.split("\n\n")),
                text,
            ),
        ]
        for name, function, argument, alt_name, alternative, alt_argument in pairs:
            ours = timed(function, argument, args.repeat)
            theirs = timed(alternative, alt_argument, args.repeat)
            ratio = statistics.median(ours) / statistics.median(theirs)
            print(f"  {name:22} {describe(ours)}")
            print(f"  {alt_name:22} {describe(theirs)}   (ours takes {ratio:.1f}× as long)")


if __name__ == "__main__":
    main()
