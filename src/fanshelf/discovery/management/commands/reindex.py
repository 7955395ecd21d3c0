import time

from django.core.management.base import BaseCommand

from fanshelf.discovery import search


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the works: every posted chapter of "
        "every posted work. Safe to run at any time and to run again: rows whose text "
        "has not changed are not rewritten. Run it once after upgrading to a version "
        "that adds search, and after changing works outside Fanshelf's services."
    )

    def handle(self, *args, **options):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task):
                return Text(f"{task.speed:,.0f} works/s" if task.speed else "")

        started = time.monotonic()
        console = Console(stderr=True)
        with Progress(
            TextColumn("Indexing works"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=options["verbosity"] == 0,
        ) as progress:
            task = progress.add_task("works", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            counts = search.backend().rebuild(progress=advance)
        seconds = time.monotonic() - started
        works = f"{counts['works']:,} posted work{'' if counts['works'] == 1 else 's'}"
        self.stdout.write(
            f"Indexed {works}: {counts['rows']:,} chapters in the index, "
            f"{counts['written']:,} rows written, in {seconds:.1f} s."
        )
