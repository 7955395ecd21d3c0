"""How fast tag autocomplete answers on an archive with 100,000 tags.

Builds a temporary archive (SQLite in its own FANSHELF_DATA_DIR, migrated) holding
100,000 tags of every wrangled type with a long-tailed usage (a few tags on
thousands of works, most on one or two), synonyms, and fandoms above the canonical
characters and relationships; the works carry those tags, so usage counts are real.
Then it asks ``GET /api/v1/tags?q=…`` for many prefixes of 1 to 6 characters, taken
from tags picked as authors would type them (popular tags more often), through
Django's test client in the same process, and prints p50/p95/p99 and requests/s.

The named alternative, timed on the same prefixes in the same run, is the naive
query: ``name__icontains`` ordered by a ``Count`` of works. The ratio says what the
indexed prefix range and the stored ``usage_count`` save.

``--http`` also serves the archive with ``fanshelf serve`` and times the same
requests over HTTP on 127.0.0.1, one at a time.

    .venv/bin/python bench/autocomplete_bench.py [--tags 100000] [--requests 200] [--http]
"""

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from fanshelf.core.benchmarks.servers import wait_for

FANSHELF = Path(sys.executable).parent / "fanshelf"
SEED = 2026

SYLLABLE_TEXT = (
    "ar mi ta ge hux ky lo ren rey fin poe da me ron le ia han so lo ben ob wan ka no bi "
    "an ak in pad me lu ke ha ri her mi o ne dra co sev rus al bus mol ly ar thur gin ny "
    "sher lock wat son ja ne el iz a beth dar cy cas ti el dean sam bu cky ste ve to ny "
    "na ta sha cla int wan da vi sion zu ko ka ta ra ao ng sok ka tsu na de sa ku ra "
    "ya gu mi sho ta ai za wa kat su ki iz u ku yu ri vik tor"
)
WORD_TEXT = (
    "angst fluff hurt comfort slow burn enemies to lovers friends fake dating pining "
    "domestic canon divergence alternate universe coffee shop modern college soulmates "
    "time travel fix it happy ending smut mutual first kiss whump found family grief "
    "banter secret relationship royalty magic space pirates detectives hospital winter "
    "summer christmas halloween road trip letters ghosts vampires werewolves dragons"
)
SYLLABLES = SYLLABLE_TEXT.split()
WORDS = WORD_TEXT.split()
FANDOM_SUFFIXES = ["", "", " (TV)", " (Movies)", " - All Media Types", " (Video Games)", " (Anime)"]
AU_PREFIX = "Alternate Universe - "


def name(rng: random.Random, syllables: tuple[int, int]) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*syllables))).capitalize()


def usage(rng: random.Random, canonical: bool) -> int:
    """A long tail: most tags on a work or two, a few on thousands."""
    count = int(rng.paretovariate(1.15)) - 1 + (2 if canonical else 0)
    return min(count * (4 if canonical else 1), 5000)


def unique(rng, make, seen: set[str], normalize) -> str:
    while True:
        candidate = make()
        key = normalize(candidate)
        if key not in seen:
            seen.add(key)
            return candidate


def build_archive(total: int, works: int) -> dict:
    """Fill the archive; returns facts the measurements need."""
    from django.db import connection, transaction

    from fanshelf.tags.models import Tag, normalize_tag_name
    from fanshelf.works.models import Work

    rng = random.Random(SEED)
    seen = set(Tag.objects.values_list("normalized_name", flat=True))
    counts = {
        "fandom": total * 5 // 100,
        "character": total * 25 // 100,
        "relationship": total * 15 // 100,
    }
    counts["freeform"] = total - sum(counts.values())
    canonical_share = {"fandom": 0.6, "character": 0.4, "relationship": 0.3, "freeform": 0.1}

    def fandom_name():
        return f"{name(rng, (2, 4))} {name(rng, (1, 3))}{rng.choice(FANDOM_SUFFIXES)}"

    def character_name():
        if rng.random() < 0.2:
            return name(rng, (2, 4))
        return f"{name(rng, (1, 3))} {name(rng, (1, 3))}"

    character_names: list[str] = []

    def relationship_name():
        a, b = rng.sample(character_names, 2)
        return f"{a}{'/' if rng.random() < 0.7 else ' & '}{b}"

    def freeform_name():
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).title()
        if rng.random() < 0.15:
            return AU_PREFIX + words
        return words if rng.random() < 0.5 else f"{words} {name(rng, (1, 2))}"

    makers = {
        "fandom": fandom_name,
        "character": character_name,
        "relationship": relationship_name,
        "freeform": freeform_name,
    }
    started = time.perf_counter()
    with transaction.atomic():
        for tag_type in ("fandom", "character", "relationship", "freeform"):
            rows = []
            for _ in range(counts[tag_type]):
                canonical = rng.random() < canonical_share[tag_type]
                tag_name = unique(rng, makers[tag_type], seen, normalize_tag_name)
                if tag_type == "character":
                    character_names.append(tag_name)
                rows.append(
                    Tag(
                        name=tag_name,
                        normalized_name=normalize_tag_name(tag_name),
                        type=tag_type,
                        canonical=canonical,
                        usage_count=usage(rng, canonical),
                    )
                )
            Tag.objects.bulk_create(rows, batch_size=5000)

        by_type: dict[str, list[tuple[int, bool]]] = {}
        for pk, tag_type, canonical in Tag.objects.values_list("pk", "type", "canonical"):
            by_type.setdefault(tag_type, []).append((pk, canonical))
        canon = {t: [pk for pk, c in rows if c] for t, rows in by_type.items()}
        fandoms = canon["fandom"]

        # Fandoms above canonical characters and relationships (one or two each).
        Parents = Tag.parents.through
        parents = [
            Parents(from_tag_id=pk, to_tag_id=fandom)
            for tag_type in ("character", "relationship")
            for pk in canon[tag_type]
            for fandom in set(rng.choices(fandoms, k=rng.choice((1, 1, 1, 2))))
        ]
        Parents.objects.bulk_create(parents, batch_size=10000)
        # A third of the other tags are synonyms of a canonical tag of their type.
        synonyms = [
            (rng.choice(canon[tag_type]), pk)
            for tag_type in counts
            for pk, canonical in by_type[tag_type]
            if not canonical and rng.random() < 0.33
        ]
        table = Tag._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET synonym_of_id = %s WHERE id = %s",  # noqa: S608
                synonyms,
            )

        Work.objects.bulk_create(
            (Work(title=f"Work {number}", state="posted") for number in range(works)),
            batch_size=5000,
        )
        work_ids = list(Work.objects.values_list("pk", flat=True))
        taggings = [
            (work, pk)
            for pk, used in Tag.objects.filter(usage_count__gt=0).values_list("pk", "usage_count")
            for work in rng.sample(work_ids, min(used, len(work_ids)))
        ]
        through = Work.tags.through._meta.db_table
        with connection.cursor() as cursor:
            # Many rows: plain executemany is several times faster than bulk_create.
            cursor.executemany(
                f"INSERT INTO {through} (work_id, tag_id) VALUES (%s, %s)",  # noqa: S608
                taggings,
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "seconds": time.perf_counter() - started,
        "tags": Tag.objects.count(),
        "canonical": Tag.objects.filter(canonical=True).count(),
        "synonyms": len(synonyms),
        "parents": len(parents),
        "works": len(work_ids),
        "taggings": len(taggings),
        "fandom_names": list(
            Tag.objects.filter(type="fandom", canonical=True)
            .order_by("-usage_count")
            .values_list("name", flat=True)[:20]
        ),
    }


def pick_prefixes(count_per_length: int) -> dict[int, list[str]]:
    """Prefixes of 1 to 6 characters of tags picked in proportion to their use (plus
    one, so unused tags are typed too), as the beginnings authors type."""
    from fanshelf.tags.models import Tag

    rng = random.Random(SEED + 1)
    rows = list(Tag.objects.values_list("name", "usage_count"))
    names = [row[0] for row in rows]
    weights = [row[1] + 1 for row in rows]
    prefixes = {}
    for length in range(1, 7):
        picked = rng.choices(names, weights=weights, k=count_per_length)
        prefixes[length] = [tag_name[:length] for tag_name in picked]
    return prefixes


def timed(function, arguments) -> list[float]:
    samples = []
    for argument in arguments:
        start = time.perf_counter()
        function(argument)
        samples.append(time.perf_counter() - start)
    return samples


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def describe(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    total = sum(samples)
    return (
        f"{label:44} {percentile(ordered, 0.50) * 1e3:8.2f} {percentile(ordered, 0.95) * 1e3:8.2f} "
        f"{percentile(ordered, 0.99) * 1e3:8.2f} {len(samples) / total:9.0f}"
    )


HEADER = f"{'':44} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>9}"


def naive(q: str):
    """The alternative: substring match anywhere, ranked by counting works per tag."""
    from django.db.models import Count

    from fanshelf.tags.models import Tag

    return list(
        Tag.objects.filter(name__icontains=q)
        .annotate(works_count=Count("works"))
        .order_by("-works_count", "name")[:10]
    )


def http_samples(port: int, urls: list[str]) -> list[float]:
    samples = []
    for url in urls:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        start = time.perf_counter()
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        samples.append(time.perf_counter() - start)
        connection.close()
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=100_000)
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200, help="per prefix length")
    parser.add_argument("--naive-requests", type=int, default=15, help="per prefix length")
    parser.add_argument("--http", action="store_true", help="also time over HTTP")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="fanshelf-autocomplete-")
    # Where collectstatic would put files; WhiteNoise warns when it is missing.
    Path(data_dir, "static").mkdir()
    os.environ["FANSHELF_DATA_DIR"] = data_dir
    os.environ.pop("FANSHELF_DATABASE_URL", None)
    os.environ["FANSHELF_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "fanshelf.settings"
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from fanshelf.tags.autocomplete import autocomplete_tags

        call_command("migrate", verbosity=0)
        facts = build_archive(args.tags, args.works)
        print(
            f"archive: {facts['tags']:,} tags ({facts['canonical']:,} canonical, "
            f"{facts['synonyms']:,} synonyms, {facts['parents']:,} fandom links), "
            f"{facts['works']:,} works with {facts['taggings']:,} taggings; "
            f"built in {facts['seconds']:.0f} s"
        )
        prefixes = pick_prefixes(args.requests)
        everything = [q for length in prefixes for q in prefixes[length]]
        client = Client()

        def api(q, **params):
            response = client.get("/api/v1/tags", {"q": q, **params})
            assert response.status_code == 200, response.content

        # Warm up: the first requests load code and the SQLite page cache.
        timed(api, everything[:50])
        load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
        print(
            f"\n{os.cpu_count()} cores (load average {load}), "
            f"{args.requests} requests per prefix length\n"
        )
        print(HEADER)
        ours_by_length = {}
        for length, qs in prefixes.items():
            ours_by_length[length] = timed(api, qs)
            print(describe(f"GET /api/v1/tags?q= ({length} characters)", ours_by_length[length]))
        all_ours = [s for samples in ours_by_length.values() for s in samples]
        print(describe("GET /api/v1/tags?q= (all lengths)", all_ours))

        fandoms = facts["fandom_names"]
        rng = random.Random(SEED + 2)
        scoped = timed(
            lambda q: api(q, type="character", fandom=rng.choice(fandoms)), everything[::3]
        )
        print(describe("… &type=character&fandom=… (scoped)", scoped))
        typed = timed(lambda q: api(q, type="freeform"), everything[::3])
        print(describe("… &type=freeform", typed))

        query_only = timed(lambda q: autocomplete_tags(q=q), everything)
        print(describe("autocomplete_tags() alone", query_only))

        naive_qs = [q for length in prefixes for q in prefixes[length][: args.naive_requests]]
        naive_samples = timed(naive, naive_qs)
        ours_same = timed(lambda q: autocomplete_tags(q=q), naive_qs)
        print(describe("naive icontains + Count(works) (alternative)", naive_samples))
        print(describe("autocomplete_tags() on the same prefixes", ours_same))
        ratio = statistics.median(naive_samples) / statistics.median(ours_same)
        p95_ratio = percentile(sorted(naive_samples), 0.95) / percentile(sorted(ours_same), 0.95)
        print(f"\nthe naive query takes {ratio:.0f}× as long at p50, {p95_ratio:.0f}× at p95")

        if args.http:
            env = {**os.environ, "FANSHELF_LOG_LEVEL": "ERROR"}
            server = subprocess.Popen(
                [str(FANSHELF), "serve", "--port", str(args.port), "--workers", "2"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_for(f"http://127.0.0.1:{args.port}/api/v1/")
            urls = [f"/api/v1/tags?{urlencode({'q': q})}" for q in everything[::2]]
            http_samples(args.port, urls[:50])
            print("\nover HTTP (fanshelf serve, 2 workers, one request at a time)\n")
            print(HEADER)
            print(describe("GET /api/v1/tags?q= (all lengths)", http_samples(args.port, urls)))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
