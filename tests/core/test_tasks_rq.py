"""Retries on the Redis queue (django-tasks-rq): the same story as on the database.

A real ``redis-server`` (Debian's) runs on a Unix socket, started by
``scripts/redis.sh``; the real ``fanshelf worker --burst`` runs in this process with
RQ's SimpleWorker (``--no-fork``), so the test database is the one it writes to.
"""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

from fanshelf.core.models import FailedTask

REDIS_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "redis.sh"
PROBES = Path(__file__).parent / "task_probes"


@pytest.fixture
def redis_url():
    if not Path("/usr/bin/redis-server").exists():
        pytest.skip("/usr/bin/redis-server is missing; `make test` installs Debian's redis-server")
    # A short folder name: a Unix socket's path must fit in 107 bytes.
    folder = tempfile.mkdtemp(prefix="fanshelf-rq-")
    subprocess.run(["bash", str(REDIS_SCRIPT), "start", folder], check=True, capture_output=True)
    try:
        url = subprocess.run(
            ["bash", str(REDIS_SCRIPT), "url", folder], check=True, capture_output=True, text=True
        ).stdout.strip()
        yield url
    finally:
        subprocess.run(["bash", str(REDIS_SCRIPT), "stop", folder], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def redis_queue(transactional_db, settings, monkeypatch, redis_url):
    """Tasks queued in Redis for a burst worker; how to tell whether any are left."""
    import django_rq
    from rq.registry import ScheduledJobRegistry

    monkeypatch.syspath_prepend(str(PROBES))
    import fanshelf_task_probes

    fanshelf_task_probes.forget()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASK_BACKOFF_SECONDS = 0.1
    settings.TASK_MAX_ATTEMPTS = 3
    queue = django_rq.get_queue("default")

    def pending():
        return queue.count > 0 or ScheduledJobRegistry(queue=queue).count > 0

    yield fanshelf_task_probes, queue, pending
    fanshelf_task_probes.forget()


def test_on_redis_a_task_that_fails_twice_is_scheduled_again_then_succeeds(redis_queue):
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    probes, queue, pending = redis_queue
    first = probes.flaky.enqueue("rq-twice", failures=2)

    call_command("worker", "--burst", "--no-fork", verbosity=0)
    assert len(probes.RUNS["rq-twice"]) == 1
    # The retry waits in RQ's scheduled registry, with its run_after.
    assert ScheduledJobRegistry(queue=queue).count == 1 and queue.count == 0
    probes.run_worker_until_idle(pending)

    assert len(probes.RUNS["rq-twice"]) == 3
    assert default_task_backend.get_result(first.id).status == TaskResultStatus.FAILED
    # Each failed run is in RQ's failed registry; the third run succeeded.
    assert FailedJobRegistry(queue=queue).count == 2
    assert not FailedTask.objects.exists()


def test_on_redis_a_task_that_always_fails_ends_failed_listed_and_can_be_retried(redis_queue):
    probes, queue, pending = redis_queue
    probes.flaky.enqueue("rq-always", failures=99)
    probes.run_worker_until_idle(pending)

    assert len(probes.RUNS["rq-always"]) == 3
    failed = FailedTask.objects.get()
    assert failed.attempts == 3
    assert failed.error == "RuntimeError: probe rq-always failed on run 3"
    last = default_task_backend.get_result(failed.result_id)
    assert last.status == TaskResultStatus.FAILED
    assert "probe rq-always failed on run 3" in last.errors[-1].traceback

    out = io.StringIO()
    call_command("tasks", "failed", stdout=out)
    assert "fanshelf_task_probes.flaky('rq-always', failures=99)  attempts=3" in out.getvalue()

    probes.FIXED.add("rq-always")
    call_command("tasks", "retry", str(failed.pk), stdout=io.StringIO())
    probes.run_worker_until_idle(pending)

    failed.refresh_from_db()
    retried = default_task_backend.get_result(failed.retry_result_id)
    assert retried.status == TaskResultStatus.SUCCESSFUL
    assert retried.return_value == 4


def test_with_redis_away_a_queued_task_is_kept_and_queued_again_later(redis_queue, redis_url):
    """A write's after-commit enqueue never fails the request: the task waits as a
    FailedTask, and `fanshelf tasks retry` queues it once Redis is back."""
    probes, queue, pending = redis_queue
    folder = redis_url.split("unix://", 1)[1].rsplit("/", 1)[0]
    subprocess.run(["redis-cli", "-s", f"{folder}/redis.sock", "shutdown", "nosave"], check=False)

    assert probes.flaky.enqueue("rq-away", failures=0) is None

    kept = FailedTask.objects.get(task_path=probes.flaky.module_path)
    assert kept.attempts == 0 and kept.args == ["rq-away"] and kept.kwargs == {"failures": 0}
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 failed tasks were not queued again"):
        call_command("tasks", "retry", str(kept.pk), stdout=io.StringIO(), stderr=errors)
    assert errors.getvalue().startswith(f"Cannot queue failed task {kept.pk} again: ")
    kept.refresh_from_db()
    assert kept.retried_at is None
    subprocess.run(["bash", str(REDIS_SCRIPT), "start", folder], check=True, capture_output=True)
    call_command("tasks", "retry", str(kept.pk), stdout=io.StringIO())
    probes.run_worker_until_idle(pending)
    assert len(probes.RUNS["rq-away"]) == 1
