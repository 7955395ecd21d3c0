from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def uses_rq() -> bool:
    return settings.TASKS["default"]["BACKEND"] == settings.TASK_BACKENDS["rq"]


class Command(BaseCommand):
    help = (
        "Run background tasks (filter-tag refreshes, emails, …) from the queue: the "
        "database, or Redis when FANSHELF_REDIS_URL is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Run what is queued now, then exit."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls (database queue)."
        )
        parser.add_argument(
            "--no-fork",
            action="store_true",
            help="Redis queue: run each task in this process (RQ's SimpleWorker), not a child.",
        )

    def handle(self, *args, **options):
        if uses_rq():
            self.run_rq(
                burst=options["burst"], fork=not options["no_fork"], verbosity=options["verbosity"]
            )
            return
        worker_options = {"interval": options["interval"], "reload": False, "startup_delay": False}
        if options["burst"]:
            worker_options["batch"] = True
        call_command("db_worker", verbosity=options["verbosity"], **worker_options)

    def run_rq(self, *, burst, fork, verbosity):
        from django_rq.utils import reset_db_connections
        from django_rq.workers import get_worker
        from redis.exceptions import ConnectionError as RedisConnectionError
        from rq import SimpleWorker, Worker
        from rq.logutils import setup_loghandlers

        setup_loghandlers({0: "WARNING", 1: "INFO"}.get(verbosity, "DEBUG"))
        try:
            worker = get_worker(
                *settings.RQ_QUEUES,
                job_class="django_tasks_rq.backend.Job",
                worker_class=Worker if fork else SimpleWorker,
            )
            if fork:
                # Each task runs in a forked child: it must open its own connections.
                reset_db_connections()
            # The scheduler moves retries (tasks with run_after) onto the queue when
            # due; in burst mode it moves those due now, once.
            worker.work(burst=burst, with_scheduler=True)
        except RedisConnectionError as error:
            raise CommandError(f"Redis is unreachable: {error}") from error
