import time

from django.core.management.base import BaseCommand

from fanshelf.core.progress import progress
from fanshelf.discovery import search


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the works: every posted chapter of "
        "every posted work. Safe to run at any time and to run again: rows whose text "
        "has not changed are not rewritten. Run it once after upgrading to a version "
        "that adds search, and after changing works outside Fanshelf's services."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        mode = "off" if options["verbosity"] == 0 else "bar"
        with progress("Indexing works", total=None, mode=mode) as shown:

            def advance(done: int, total: int) -> None:
                shown.update(completed=done, total=total)

            counts = search.backend().rebuild(progress=advance)
        seconds = time.monotonic() - started
        works = f"{counts['works']:,} posted work{'' if counts['works'] == 1 else 's'}"
        self.stdout.write(
            f"Indexed {works}: {counts['rows']:,} chapters in the index, "
            f"{counts['written']:,} rows written, in {seconds:.1f} s."
        )
