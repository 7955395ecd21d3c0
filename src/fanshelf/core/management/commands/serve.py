"""``fanshelf serve``: gunicorn with Fanshelf's request limits (docs/deploy.md).

Workers are gunicorn's sync workers by default, one request at a time each: every
free worker takes the next request from the shared socket, so no request waits behind
a busy worker, which on the load benchmark gave the best rates and p99s on both
engines (docs/performance.md). ``--threads N`` gives gthread workers instead, N
threads each, with connections kept alive between requests. Either way a worker reads
each request itself, so slow clients can tie it up (a sync worker until ``--timeout``
has the arbiter kill and replace it, a gthread worker one thread per client): put a
buffering proxy (nginx) in front on the internet. The limits below bound one
request's size and time; ``--max-requests`` recycles each worker after that many
requests (with jitter, so the workers do not all restart at once), bounding slow
memory growth.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Options given to gunicorn as they are, with gunicorn's name for each.
PASSED_TO_GUNICORN = {
    "workers": "--workers",
    "threads": "--threads",
    "timeout": "--timeout",
    "graceful_timeout": "--graceful-timeout",
    "limit_request_line": "--limit-request-line",
    "limit_request_fields": "--limit-request-fields",
    "limit_request_field_size": "--limit-request-field_size",
    "max_requests": "--max-requests",
    "max_requests_jitter": "--max-requests-jitter",
}


class Command(BaseCommand):
    help = "Serve the archive with gunicorn (static files collected first)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--bind",
            help="Where to listen instead of --host/--port, e.g. unix:/run/fanshelf/web.sock.",
        )
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help="Threads per worker process (default 1: gunicorn's sync workers).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=30,
            help="Seconds a worker may spend on one request (reading it included) "
            "before it is killed and replaced (default 30).",
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=30,
            help="Seconds workers get to finish their requests on restart or stop (default 30).",
        )
        parser.add_argument(
            "--limit-request-line",
            type=int,
            default=8190,
            help="Longest request line (method, path and query string) in bytes; longer "
            "gets 400 from gunicorn (default 8190).",
        )
        parser.add_argument(
            "--limit-request-fields",
            type=int,
            default=100,
            help="Most headers in one request (default 100).",
        )
        parser.add_argument(
            "--limit-request-field-size",
            type=int,
            default=8190,
            help="Longest header in bytes (default 8190).",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=50000,
            help="Requests a worker serves before it is replaced, 0 never (default 50000: "
            "a few minutes at full load; a new worker takes a second to load Django).",
        )
        parser.add_argument(
            "--max-requests-jitter",
            type=int,
            default=5000,
            help="Up to this many more, at random per worker (default 5000).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Skip collectstatic (already run, e.g. by a deploy step shared by "
            "several web processes).",
        )

    def handle(self, *args, **options):
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        bind = options["bind"] or f"{options['host']}:{options['port']}"
        self.stdout.write(
            f"Serving Fanshelf on {bind}"
            if options["bind"]
            else f"Serving Fanshelf on http://{bind}/"
        )
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "fanshelf.wsgi:application",
            "--bind",
            bind,
            "--forwarded-allow-ips",
            os.environ.get("FANSHELF_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        for option, flag in PASSED_TO_GUNICORN.items():
            argv += [flag, str(options[option])]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanshelf.settings")
        os.environ["FANSHELF_DATA_DIR"] = str(settings.DATA_DIR)
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
