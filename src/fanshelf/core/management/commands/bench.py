import contextlib
import os

from django.core.management.base import BaseCommand, CommandError

from fanshelf.core.benchmarks import corpus, discovery
from fanshelf.core.progress import progress


class Command(BaseCommand):
    help = (
        "Benchmarks (see bench/README.md): `bench corpus --works N` builds a synthetic "
        "archive; `bench discovery` times a fixed set of listing and search queries on it."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        build = commands.add_parser(
            "corpus", help="Build a synthetic archive (use an empty FANSHELF_DATA_DIR)."
        )
        build.add_argument("--works", type=int, required=True, help="How many works to add.")
        build.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
        build.add_argument(
            "--chapters-max", type=int, default=40, help="Most chapters per work (40)."
        )
        build.add_argument(
            "--body-words",
            type=int,
            default=300,
            help="Words of text stored per chapter (300); word counts stay nominal.",
        )
        build.add_argument(
            "--no-bodies",
            action="store_true",
            help="Store one sentence per chapter instead of generated prose.",
        )
        build.add_argument(
            "--no-search-index",
            action="store_true",
            help="Skip full-text indexing (listing-only runs; `fanshelf reindex` adds it).",
        )
        build.add_argument(
            "--append", action="store_true", help="Add to an archive that already has works."
        )
        timing = commands.add_parser("discovery", help="Time the published discovery queries.")
        timing.add_argument("--iterations", type=int, default=30, help="Timed runs per query.")
        timing.add_argument("--warmup", type=int, default=2, help="Untimed runs per query first.")
        timing.add_argument(
            "--budget",
            type=float,
            default=60.0,
            help="Stop timing a query once its runs add up to this many seconds (60).",
        )
        timing.add_argument(
            "--only", action="append", default=[], help="Run only queries with this key prefix."
        )
        timing.add_argument("--markdown", action="store_true", help="Print the table as Markdown.")
        timing.add_argument(
            "--explain",
            nargs="?",
            const="slowest",
            help="Print each SQL statement of this query key (default: the slowest) with its plan.",
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "corpus":
            self._corpus(options)
        else:
            self._discovery(options)

    def _corpus(self, options):
        if options["works"] < 1:
            raise CommandError("--works must be at least 1.")
        if not os.environ.get("FANSHELF_DATA_DIR") and not os.environ.get("FANSHELF_DATABASE_URL"):
            self.stderr.write(
                "Note: building in the default data dir; a corpus is best kept in its own "
                "FANSHELF_DATA_DIR (or FANSHELF_DATABASE_URL)."
            )
        with _progress(options["works"]) as advance:
            try:
                result = corpus.build_corpus(
                    works=options["works"],
                    seed=options["seed"],
                    chapters_max=options["chapters_max"],
                    body_words=options["body_words"],
                    bodies=not options["no_bodies"],
                    append=options["append"],
                    search_index=not options["no_search_index"],
                    progress=advance,
                )
            except corpus.CorpusError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(
            f"Built {result.works:,} works ({result.chapters:,} chapters, "
            f"{result.authors:,} authors, {result.tags:,} tags) in {result.seconds:.1f} s: "
            f"{result.rate:,.0f} works/s."
        )
        self.stdout.write(f"Search index: {result.search}.")
        self.stdout.write(f"Most popular fandoms: {', '.join(result.fandoms)}.")

    def _discovery(self, options):
        report = discovery.run(
            iterations=max(options["iterations"], 1),
            warmup=max(options["warmup"], 0),
            only=options["only"],
            explain=options["explain"],
            budget=options["budget"],
            write=self.stdout.write,
        )
        if options["markdown"]:
            self.stdout.write(discovery.markdown_table(report))


@contextlib.contextmanager
def _progress(total: int):
    """A rich progress bar on stderr (works, rate, time left).

    When stderr is not a terminal (a log, CI) a plain line every tenth instead.
    """
    with progress("Building works", total=total) as shown:
        yield shown.advance
