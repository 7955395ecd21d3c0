from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (filter-tag refreshes, …) from the database queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Run what is queued now, then exit."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, **options):
        worker_options = {"interval": options["interval"], "reload": False, "startup_delay": False}
        if options["burst"]:
            worker_options["batch"] = True
        call_command("db_worker", verbosity=options["verbosity"], **worker_options)
