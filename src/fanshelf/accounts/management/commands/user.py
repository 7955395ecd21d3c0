from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fanshelf.accounts.models import User
from fanshelf.accounts.services import create_user


class Command(BaseCommand):
    help = "Manage accounts: `fanshelf user add NAME --email E --password P [--role ROLE]`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Create an account with its default pseud.")
        add.add_argument("name")
        add.add_argument("--email", required=True)
        add.add_argument("--password", required=True)
        add.add_argument("--role", default=User.Role.READER, choices=User.Role.values)

    def handle(self, *args, **options):
        try:
            user = create_user(
                username=options["name"],
                email=options["email"],
                password=options["password"],
                role=options["role"],
                email_confirmed=True,  # an administrator vouches for the address
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(
                    f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
                )
            ) from None
        self.stdout.write(f"Created {user.role} {user.username} (id {user.pk}).")
