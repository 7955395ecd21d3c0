import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanshelf.core.progress import progress
from fanshelf.portability.restore import RestoreError, open_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Load a backup written by `fanshelf backup` into this archive, which must be new: "
        "migrated, with no users or works. All or nothing (one transaction); then the "
        "search index is rebuilt."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, **options):
        path: Path = options["path"]
        started = time.monotonic()
        mode = "off" if options["verbosity"] == 0 else "auto"
        try:
            zf, manifest = open_backup(path)
            zf.close()
            total = len(manifest.get("models") or {})
            with progress("Restoring", total=total, unit="tables", mode=mode) as shown:
                loaded = restore_backup(file=path, progress=lambda label, rows: shown.advance())
        except RestoreError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(
            f"Restored {path}: {sum(loaded.values()):,} rows in {len(loaded)} tables, "
            f"{len(manifest.get('media') or []):,} media files, search index rebuilt, "
            f"in {time.monotonic() - started:.1f} s."
        )
