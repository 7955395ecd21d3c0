from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from fanshelf.core.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo archive: a demo author, reader and wrangler, a wrangled tag set "
        "for the seed's fandom, and the seed works."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds", type=Path, help="Folder of seed works (default: ../shared/seeds)."
        )

    def handle(self, *args, **options):
        result = load_demo(options["seeds"])
        if result.wrangled:
            self.stdout.write(f"Wrangled the demo tags: {result.wrangled} change(s).")
        else:
            self.stdout.write("Already wrangled: the demo tags.")
        for work in result.created:
            self.stdout.write(
                f"Imported {work.title!r}: {settings.SITE_URL}{work.get_absolute_url()}"
            )
        if result.skipped:
            self.stdout.write(f"Already imported: {', '.join(result.skipped)}")
        if not result.created and not result.skipped:
            self.stdout.write(
                f"No seed works found in {result.seeds_dir}; the archive starts empty."
            )
        for username, password in result.logins:
            self.stdout.write(f"Demo login: {username} / {password}")
