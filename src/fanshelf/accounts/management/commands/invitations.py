from django.core.management.base import BaseCommand, CommandError

from fanshelf.accounts.invitations import send_invitations


class Command(BaseCommand):
    help = (
        "Invitation queue: `fanshelf invitations send [--quota N]` emails codes to the "
        "oldest requests, at most N (FANSHELF_INVITATIONS_PER_DAY) in any 24 hours."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        send = actions.add_parser("send", help="Email invitations to the oldest requests.")
        send.add_argument("--quota", type=int, default=None)

    def handle(self, *args, **options):
        quota = options["quota"]
        if quota is not None and quota < 0:
            raise CommandError("--quota must be 0 or more.")
        sent = send_invitations(quota=quota)
        self.stdout.write(f"Sent {sent} invitation(s).")
