from django.core.management.base import BaseCommand, CommandError

from fanshelf.accounts.models import User
from fanshelf.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Print a new API token for the user NAME (use it as `Authorization: Bearer TOKEN`)."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, **options):
        user = User.objects.filter(username__iexact=options["name"]).first()
        if user is None:
            raise CommandError(f"No user called {options['name']!r}.")
        self.stdout.write(issue_api_token(user=user))
