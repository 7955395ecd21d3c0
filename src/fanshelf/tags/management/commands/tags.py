import contextlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from fanshelf.accounts.models import User
from fanshelf.tags import bulk, wrangling
from fanshelf.tags.models import Tag, WranglingChange

# A progress bar only helps on long runs, and only on a terminal.
PROGRESS_MIN_ROWS = 200


class Command(BaseCommand):
    help = (
        "Bulk wrangling with CSV: `fanshelf tags export|apply|log|revert`. "
        "Columns: " + ",".join(bulk.COLUMNS) + "."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write tags as CSV, by type then name.")
        export.add_argument("--type", choices=Tag.Type.values, default="")
        export.add_argument(
            "--unwrangled",
            action="store_true",
            help="Only tags neither canonical nor synonyms, most used first: the to-do list.",
        )
        export.add_argument(
            "--fandom",
            help="Only tags under this fandom (with --unwrangled, also tags used on its works).",
        )
        export.add_argument(
            "-o", "--output", type=Path, metavar="FILE", help="Write to this file, not stdout."
        )

        apply = actions.add_parser("apply", help="Apply a CSV of tags through the wrangling rules.")
        apply.add_argument("file", type=Path, metavar="FILE")
        apply.add_argument("--user", required=True, help="The wrangler making the changes.")
        apply.add_argument(
            "--dry-run", action="store_true", help="Say what would change; change nothing."
        )

        log = actions.add_parser("log", help="The latest wrangling changes as CSV.")
        log.add_argument("--limit", type=int, default=50)

        revert = actions.add_parser("revert", help="Undo a logged change (itself logged).")
        revert.add_argument("change_id", type=int, metavar="CHANGE_ID")
        revert.add_argument("--user", required=True, help="The wrangler reverting it.")

    def handle(self, *args, **options):
        getattr(self, f"handle_{options['action']}")(**options)

    def handle_export(self, *, type, unwrangled, fandom, output, **options):
        try:
            fandom_tag = bulk.find_fandom(fandom) if fandom else None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        tags = bulk.tags_for_export(type=type, unwrangled=unwrangled, fandom=fandom_tag)
        if output is None:
            bulk.write_tags(tags.iterator(chunk_size=2000), self.stdout)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            count = bulk.write_tags(tags.iterator(chunk_size=2000), stream)
        self.stdout.write(f"Exported {count} tags to {output}.")

    def handle_apply(self, *, file, user, dry_run, **options):
        wrangler = self._wrangler(user)
        try:
            rows = bulk.read_sheet(file)
        except bulk.SheetError as error:
            raise CommandError(str(error), returncode=1) from None
        with self._progress(len(rows)) as advance:
            summary = bulk.apply_sheet(rows, user=wrangler, dry_run=dry_run, advance=advance)
        for result in summary.results:
            if result.error:
                self.stderr.write(f"{file}:{result.row.line}: {result.error}")
            elif result.changes and (dry_run or options["verbosity"] > 1):
                changes = "; ".join(result.changes)
                moved = f" (would move {result.works_moved} works)" if dry_run else ""
                self.stdout.write(f"{file}:{result.row.line}: {result.tag}: {changes}{moved}")
        counts = (
            f"{summary.applied} rows, {summary.changes} changes, "
            f"{summary.unchanged} unchanged, {summary.failed} failed"
        )
        if dry_run:
            self.stdout.write(f"would apply {counts} (dry run: nothing was changed)")
        else:
            self.stdout.write(f"applied {counts}")
        if summary.failed:
            raise CommandError(f"{summary.failed} row(s) could not be applied.", returncode=1)

    def handle_log(self, *, limit, **options):
        bulk.write_log(bulk.latest_changes(limit), self.stdout)

    def handle_revert(self, *, change_id, user, **options):
        wrangler = self._wrangler(user)
        change = WranglingChange.objects.filter(pk=change_id).first()
        if change is None:
            raise CommandError(f"No wrangling change {change_id}.", returncode=1)
        try:
            undo = wrangling.revert(user=wrangler, change=change)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            raise CommandError(f"Change {change_id}: {reason}", returncode=1) from None
        self.stdout.write(
            f"Reverted change {change_id} with change {undo.pk}: {bulk.describe_change(undo)}."
        )

    def _wrangler(self, name: str) -> User:
        user = User.objects.filter(username__iexact=name).first()
        if user is None:
            raise CommandError(f"No user called {name!r}.", returncode=1)
        if not wrangling.can_wrangle(user):
            raise CommandError(
                f"{user.username} is not a tag wrangler; only wranglers can wrangle tags.",
                returncode=1,
            )
        return user

    @contextlib.contextmanager
    def _progress(self, total: int):
        if total <= PROGRESS_MIN_ROWS or not self.stderr.isatty():
            yield None
            return
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Applying rows", total=total)
            yield lambda: progress.advance(task)
