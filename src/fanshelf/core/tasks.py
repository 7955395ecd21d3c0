"""Background tasks that try again: ``@archive_task()`` instead of django-tasks' ``@task()``.

When a task run by a worker raises, the same task is queued again to run after
``backoff × 2^(attempt-1)`` seconds (times a random 1 to 1.5, so tasks that failed
together do not all come back at the same moment), up to ``max_attempts`` runs. Each
failed run still ends in the backend's FAILED state with its traceback (the database
queue's results, RQ's failed registry); after the last one a ``FailedTask`` row keeps
the task, its arguments and the error for the admin (``fanshelf tasks failed``, the
Django admin) until someone queues it again (``fanshelf tasks retry ID``).

Backends that cannot wait (the immediate backend, which tests use, runs the task
inside the request) do not retry: the first failure is the last one.

Tasks must be safe to run twice: a retry repeats the whole task.
"""

import dataclasses
import logging
import random
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.base import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_PRIORITY,
    DEFAULT_TASK_QUEUE_NAME,
    Task,
    TaskContext,
)

logger = logging.getLogger("fanshelf.tasks")

# The attempt number travels with the queued task, among its keyword arguments; the
# task function never sees it.
ATTEMPT = "fanshelf_attempt"
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF_SECONDS = 30.0
ERROR_MAX_LENGTH = 500


@dataclass(frozen=True, kw_only=True)
class ArchiveTask(Task):
    """A django-tasks ``Task`` that queues itself again when a run fails.

    ``max_attempts`` and ``backoff`` (seconds) default to the settings
    ``TASK_MAX_ATTEMPTS`` and ``TASK_BACKOFF_SECONDS``, read when the task runs.
    Calling ``.call()`` directly runs the function once, with no retry.
    """

    function: Callable
    """The task's own function; ``func`` wraps it to take the context workers pass."""
    max_attempts: int | None = None
    backoff: float | None = None
    keep_unqueued: bool = True
    """When the queue cannot take the task (Redis or the database away), keep it as a
    ``FailedTask`` to queue again later instead of raising into the caller, which is
    usually an ``on_commit`` callback after a reader's write was saved."""

    def enqueue(self, *args, **kwargs):
        """Queue the task; None when the queue was unreachable and it was kept instead."""
        if not self.keep_unqueued:
            return super().enqueue(*args, **kwargs)
        try:
            return super().enqueue(*args, **kwargs)
        except Exception as error:
            logger.error(
                "Could not queue %s: %s; kept as a failed task to queue again",
                self.module_path, error_line(error),
            )  # fmt: skip
            record_failure(
                task=self, result_id="", args=list(args), kwargs=kwargs, attempts=0, error=error
            )
            return None

    @property
    def attempts_allowed(self) -> int:
        allowed = self.max_attempts or getattr(settings, "TASK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
        return max(1, allowed)

    @property
    def backoff_seconds(self) -> float:
        if self.backoff is not None:
            return self.backoff
        return float(getattr(settings, "TASK_BACKOFF_SECONDS", DEFAULT_BACKOFF_SECONDS))

    def retry_delay(self, attempt: int) -> float:
        """Seconds to wait after failed run number ``attempt`` (1 for the first run)."""
        return self.backoff_seconds * 2 ** (attempt - 1) * random.uniform(1.0, 1.5)

    def call(self, *args, **kwargs):
        # Workers pass the context first (takes_context); anyone else calls it plainly.
        if args and isinstance(args[0], TaskContext):
            return self._attempt(args[0], args[1:], kwargs)
        kwargs.pop(ATTEMPT, None)
        return self.function(*args, **kwargs)

    async def acall(self, *args, **kwargs):
        from asgiref.sync import sync_to_async

        return await sync_to_async(self.call)(*args, **kwargs)

    def _attempt(self, context: TaskContext, args, kwargs):
        kwargs = dict(kwargs)
        attempt = int(kwargs.pop(ATTEMPT, 1))
        try:
            return self.function(*args, **kwargs)
        except Exception as error:
            self._after_failure(context, error, attempt, list(args), kwargs)
            raise

    def _after_failure(self, context, error, attempt, args, kwargs) -> None:
        result = context.task_result
        queued_task = result.task
        backend = queued_task.get_backend()
        if attempt < self.attempts_allowed and backend.supports_defer:
            delay = self.retry_delay(attempt)
            try:
                retry = queued_task.using(
                    run_after=timezone.now() + timedelta(seconds=delay)
                ).enqueue(*args, **{**kwargs, ATTEMPT: attempt + 1})
            except Exception:
                logger.exception("Could not queue %s again; it stays failed", self.module_path)
            else:
                if retry is None:
                    return  # the queue is away: enqueue kept it as a FailedTask
                logger.warning(
                    "Task %s failed (attempt %d of %d): %s; trying again in %.1fs as %s",
                    self.module_path, attempt, self.attempts_allowed, error_line(error),
                    delay, retry.id,
                )  # fmt: skip
                return
        logger.error(
            "Task %s failed for good after %d attempt(s): %s",
            self.module_path, attempt, error_line(error),
        )  # fmt: skip
        record_failure(
            task=queued_task, result_id=result.id, args=args, kwargs=kwargs,
            attempts=attempt, error=error,
        )  # fmt: skip


def archive_task(
    function=None,
    *,
    max_attempts=None,
    backoff=None,
    keep_unqueued=True,
    priority=DEFAULT_TASK_PRIORITY,
    queue_name=DEFAULT_TASK_QUEUE_NAME,
    backend=DEFAULT_TASK_BACKEND_ALIAS,
):
    """Decorate a function as a background task that is retried when it fails.

    Use as ``@archive_task()`` or ``@archive_task(max_attempts=3, backoff=60)``;
    other keyword arguments (``priority``, ``queue_name``, ``backend``) are
    django-tasks' own.
    """

    def wrap(func):
        return ArchiveTask(
            func=_taking_context(func),
            function=func,
            priority=priority,
            backend=backend,
            queue_name=queue_name,
            takes_context=True,
            run_after=None,
            max_attempts=max_attempts,
            backoff=backoff,
            keep_unqueued=keep_unqueued,
        )

    return wrap(function) if function is not None else wrap


def _taking_context(function):
    """``function`` with a first ``context`` argument, under the same module path.

    django-tasks wants a context-taking task's function to name ``context`` first,
    and finds the task again by the function's module and qualified name.
    """

    def run(context, *args, **kwargs):
        kwargs.pop(ATTEMPT, None)
        return function(*args, **kwargs)

    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(run, name, getattr(function, name))
    return run


def error_line(error: BaseException) -> str:
    """The exception's class and the first line of its message."""
    message = str(error).strip().splitlines()
    line = f"{type(error).__name__}: {message[0]}" if message else type(error).__name__
    return line[:ERROR_MAX_LENGTH]


def record_failure(*, task, result_id, args, kwargs, attempts, error) -> None:
    """Keep a task that failed for good where an admin sees it (``FailedTask``).

    Never raises: when the database is what failed, the error is logged and the
    backend's own failed state is all that is left.
    """
    from fanshelf.core.models import FailedTask

    try:
        with transaction.atomic():
            FailedTask.objects.create(
                task_path=task.module_path,
                args=args,
                kwargs=kwargs,
                backend=task.backend,
                queue_name=task.queue_name,
                result_id=str(result_id),
                attempts=attempts,
                error=error_line(error),
                traceback="".join(traceback.format_exception(error)),
            )
    except Exception:
        logger.exception("Could not record the failure of %s", task.module_path)


def retry_failed(*, failed_task) -> str:
    """Queue a failed task again, with a fresh count of attempts; the new result's id.

    The row stays, marked with when it was retried and the new id, so the list of
    failed tasks only shows those nobody has dealt with.
    """
    task = import_string(failed_task.task_path)
    if not isinstance(task, Task):
        raise ValueError(f"{failed_task.task_path} is not a task")
    if failed_task.queue_name and failed_task.backend in task_backends.settings:
        task = task.using(queue_name=failed_task.queue_name, backend=failed_task.backend)
    if isinstance(task, ArchiveTask):
        task = dataclasses.replace(task, keep_unqueued=False)  # say so, not a new row
    result = task.enqueue(*failed_task.args, **failed_task.kwargs)
    failed_task.retried_at = timezone.now()
    failed_task.retry_result_id = str(result.id)
    failed_task.save(update_fields=["retried_at", "retry_result_id"])
    return failed_task.retry_result_id
