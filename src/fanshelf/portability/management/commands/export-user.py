from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from fanshelf.portability.user_export import write_user_export


class Command(BaseCommand):
    help = (
        'Write one user\'s data zip (what "Download my data" gives them) to PATH: '
        "`fanshelf export-user USERNAME -o PATH.zip`, for requests that come by email."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("-o", "--output", type=Path, required=True, help="The zip to write.")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        path: Path = options["output"]
        try:
            with path.open("wb") as file:
                write_user_export(user=user, file=file)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes) for {user.username}.")
