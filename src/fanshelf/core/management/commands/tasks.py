from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fanshelf.core.models import FailedTask
from fanshelf.core.tasks import error_line, retry_failed


class Command(BaseCommand):
    help = "List background tasks that failed for good, or queue one again."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        failed = actions.add_parser("failed", help="List failed tasks nobody has retried yet.")
        failed.add_argument("--all", action="store_true", help="Include those already retried.")
        failed.add_argument("--limit", type=int, default=50, help="At most this many (50).")
        retry = actions.add_parser("retry", help="Queue a failed task again, by its ID.")
        retry.add_argument("ids", nargs="+", type=int, metavar="ID")

    def handle(self, *args, **options):
        if options["action"] == "failed":
            self.list_failed(everything=options["all"], limit=options["limit"])
        else:
            self.retry(options["ids"])

    def list_failed(self, *, everything, limit):
        failed = FailedTask.objects.all()
        if not everything:
            failed = failed.filter(retried_at__isnull=True)
        rows = list(failed[:limit])
        if not rows:
            self.stdout.write("No failed tasks.")
            return
        for row in rows:
            when = timezone.localtime(row.failed_at).strftime("%Y-%m-%d %H:%M:%S")
            retried = f"  retried {row.retried_at:%Y-%m-%d %H:%M}" if row.retried_at else ""
            self.stdout.write(
                f"{row.pk:>6}  {when}  {row.task_path}({row.arguments_summary})  "
                f"attempts={row.attempts}{retried}\n        {row.error}"
            )

    def retry(self, ids):
        """Queue each ID again; one line for each that cannot be, and a non-zero exit."""
        refused = 0
        for pk in ids:
            try:
                failed_task, result_id = self.retry_one(pk)
            except CommandError as error:
                self.stderr.write(str(error))
                refused += 1
            else:
                self.stdout.write(f"Queued {failed_task.task_path} again as {result_id}.")
        if refused:
            raise CommandError(f"{refused} of {len(ids)} failed tasks were not queued again.")

    def retry_one(self, pk):
        failed_task = FailedTask.objects.filter(pk=pk).first()
        if failed_task is None:
            raise CommandError(f"No failed task {pk}; see `fanshelf tasks failed --all`.")
        if failed_task.retried_at:
            raise CommandError(
                f"Failed task {pk} was already retried (as {failed_task.retry_result_id})."
            )
        try:
            return failed_task, retry_failed(failed_task=failed_task)
        except Exception as error:  # the queue away, the task's code gone: say which
            raise CommandError(
                f"Cannot queue failed task {pk} again: {error_line(error)}"
            ) from error
