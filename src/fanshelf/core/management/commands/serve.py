import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the archive with gunicorn (static files collected first)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving Fanshelf on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "fanshelf.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--forwarded-allow-ips",
            os.environ.get("FANSHELF_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanshelf.settings")
        os.environ["FANSHELF_DATA_DIR"] = str(settings.DATA_DIR)
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
