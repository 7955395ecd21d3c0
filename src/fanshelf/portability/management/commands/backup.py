import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanshelf.core.progress import progress
from fanshelf.portability.snapshot import NotMigrated, backed_up_models, write_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the whole archive to PATH (a zip): every table read in one "
        "consistent snapshot while the site keeps running, plus the media files. The "
        "search index and download files are left out (rebuilt after `fanshelf restore`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, **options):
        path: Path = options["path"]
        started = time.monotonic()
        mode = "off" if options["verbosity"] == 0 else "auto"
        partial = path.with_name(path.name + ".partial")
        try:
            with progress(
                "Backing up", total=len(backed_up_models()), unit="tables", mode=mode
            ) as shown:
                manifest = write_backup(file=partial, progress=lambda label, rows: shown.advance())
            partial.replace(path)
        except NotMigrated as error:
            partial.unlink(missing_ok=True)
            raise CommandError(str(error)) from None
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{path}: {error.strerror or error}") from None
        rows = sum(manifest["models"].values())
        self.stdout.write(
            f"Wrote {path}: {rows:,} rows in {len(manifest['models'])} tables, "
            f"{len(manifest['media']):,} media files, in {time.monotonic() - started:.1f} s."
        )
