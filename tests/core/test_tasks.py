"""Retries with backoff, and failures left where an admin sees them (fanshelf.core.tasks).

The database-queue tests run the real ``fanshelf worker --burst`` in this process
against the test database, on tasks from ``task_probes/`` that fail on purpose.
"""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

from fanshelf.core.models import FailedTask

PROBES = Path(__file__).parent / "task_probes"
BACKOFF = 0.1


@pytest.fixture
def probes(monkeypatch, settings):
    monkeypatch.syspath_prepend(str(PROBES))
    import fanshelf_task_probes

    fanshelf_task_probes.forget()
    settings.TASK_BACKOFF_SECONDS = BACKOFF
    settings.TASK_MAX_ATTEMPTS = 3
    yield fanshelf_task_probes
    fanshelf_task_probes.forget()


@pytest.fixture
def database_queue(transactional_db, settings, probes):
    """Tasks queued in the database for the worker, not run inside the test."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def pending():
        return DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).exists()

    return pending


def tasks_output(*args) -> str:
    out = io.StringIO()
    call_command("tasks", *args, stdout=out)
    return out.getvalue()


def test_a_task_that_fails_twice_is_retried_later_and_later_then_succeeds(probes, database_queue):
    from django_tasks_db.models import DBTaskResult

    first = probes.flaky.enqueue("twice", failures=2)
    probes.run_worker_until_idle(database_queue)

    results = list(
        DBTaskResult.objects.filter(task_path=probes.flaky.module_path).order_by("enqueued_at")
    )
    assert [result.status for result in results] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert str(results[0].id) == first.id
    assert "probe twice failed on run 1" in results[0].traceback
    assert results[-1].return_value == 3
    assert [result.args_kwargs["kwargs"].get("fanshelf_attempt") for result in results] == [
        None, 2, 3,
    ]  # fmt: skip
    # Each retry waits backoff × 2^(attempt-1), times up to 1.5 for jitter.
    delays = [(r.run_after - r.enqueued_at).total_seconds() for r in results[1:]]
    assert BACKOFF <= delays[0] <= BACKOFF * 1.5 + 0.05
    assert BACKOFF * 2 <= delays[1] <= BACKOFF * 3 + 0.05
    assert delays[1] > delays[0]
    runs = probes.RUNS["twice"]
    assert len(runs) == 3
    assert runs[1] - runs[0] >= BACKOFF and runs[2] - runs[1] >= 2 * BACKOFF
    assert not FailedTask.objects.exists()


def test_a_task_that_always_fails_ends_failed_listed_and_can_be_retried(probes, database_queue):
    probes.flaky.enqueue("always", failures=99)
    probes.run_worker_until_idle(database_queue)

    assert len(probes.RUNS["always"]) == 3
    failed = FailedTask.objects.get()
    assert failed.task_path == "fanshelf_task_probes.flaky"
    assert failed.attempts == 3
    assert failed.args == ["always"] and failed.kwargs == {"failures": 99}
    assert failed.error == "RuntimeError: probe always failed on run 3"
    assert "Traceback" in failed.traceback
    last = default_task_backend.get_result(failed.result_id)
    assert last.status == TaskResultStatus.FAILED
    assert "probe always failed on run 3" in last.errors[-1].traceback

    listing = tasks_output("failed")
    assert f"{failed.pk}" in listing
    assert "fanshelf_task_probes.flaky('always', failures=99)" in listing
    assert "attempts=3" in listing
    assert "RuntimeError: probe always failed on run 3" in listing
    assert "second line" not in listing

    probes.FIXED.add("always")
    assert "Queued fanshelf_task_probes.flaky again" in tasks_output("retry", str(failed.pk))
    probes.run_worker_until_idle(database_queue)

    failed.refresh_from_db()
    assert failed.retried_at is not None
    retried = default_task_backend.get_result(failed.retry_result_id)
    assert retried.status == TaskResultStatus.SUCCESSFUL
    assert retried.return_value == 4
    assert tasks_output("failed") == "No failed tasks.\n"
    assert "retried" in tasks_output("failed", "--all")


def test_retrying_twice_or_an_unknown_id_is_refused_in_one_line(probes, database_queue):
    probes.flaky.enqueue("refused", failures=99)
    probes.run_worker_until_idle(database_queue)
    failed = FailedTask.objects.get()
    tasks_output("retry", str(failed.pk))

    errors = io.StringIO()
    with pytest.raises(CommandError, match="2 of 2 failed tasks were not queued again"):
        call_command("tasks", "retry", str(failed.pk), "999999", stderr=errors)
    lines = errors.getvalue().splitlines()
    assert len(lines) == 2
    assert "already retried" in lines[0]
    assert "No failed task 999999" in lines[1]


def test_a_backend_that_cannot_wait_records_the_first_failure_without_retrying(probes, db):
    result = probes.flaky.enqueue("immediate", failures=1)

    assert result.status == TaskResultStatus.FAILED
    assert len(probes.RUNS["immediate"]) == 1
    failed = FailedTask.objects.get()
    assert failed.attempts == 1
    assert failed.backend == "default"


def test_calling_a_task_directly_runs_it_once_with_no_retry_or_record(probes, db):
    with pytest.raises(RuntimeError):
        probes.flaky.call("direct", failures=1)
    assert probes.flaky.call("direct", failures=1) == 2
    assert not FailedTask.objects.exists()


def test_admins_see_failed_tasks_and_can_queue_them_again(
    probes, db, make_user, client, django_assert_max_num_queries
):
    for number in range(5):
        probes.flaky.enqueue(f"admin{number}", failures=1)
    client.force_login(make_user("tasksadmin", role="admin"))

    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:core_failedtask_changelist"))
    assert page.status_code == 200
    assert page.content.decode().count("RuntimeError: probe admin") == 5

    probes.FIXED.update(f"admin{number}" for number in range(5))
    ids = [str(pk) for pk in FailedTask.objects.values_list("pk", flat=True)]
    response = client.post(
        reverse("admin:core_failedtask_changelist"),
        {"action": "retry", "_selected_action": ids},
        follow=True,
    )
    assert "Queued 5 tasks again." in response.content.decode()
    assert not FailedTask.objects.filter(retried_at__isnull=True).exists()
    assert all(len(probes.RUNS[f"admin{number}"]) == 2 for number in range(5))


def test_retry_delays_double_with_each_attempt(probes, settings):
    settings.TASK_BACKOFF_SECONDS = 30
    delays = [probes.flaky.retry_delay(attempt) for attempt in (1, 2, 3, 4)]
    for attempt, delay in enumerate(delays, start=1):
        low = 30 * 2 ** (attempt - 1)
        assert low <= delay <= low * 1.5
