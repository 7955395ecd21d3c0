"""Tasks for the retry tests: they fail on purpose, as often as told.

Workers find a task by its module path, so this folder goes on ``sys.path`` and the
module is imported by the plain name ``fanshelf_task_probes``. The tests run the
worker in their own process, so the runs recorded here are the worker's runs.
"""

import time
from collections import defaultdict

from django.core.management import call_command

from fanshelf.core.tasks import archive_task

RUNS: dict[str, list[float]] = defaultdict(list)
FIXED: set[str] = set()


def forget() -> None:
    RUNS.clear()
    FIXED.clear()


@archive_task()
def flaky(token: str, *, failures: int) -> int:
    """Fail the first ``failures`` runs for ``token`` (unless it is FIXED); return the run."""
    RUNS[token].append(time.monotonic())
    run = len(RUNS[token])
    if run <= failures and token not in FIXED:
        raise RuntimeError(f"probe {token} failed on run {run}\nsecond line of the message")
    return run


def run_worker_until_idle(pending, *, seconds: float = 20.0) -> None:
    """Run ``fanshelf worker --burst`` again and again until ``pending()`` is false.

    A burst worker leaves a retry that is not due yet for the next burst.
    """
    deadline = time.monotonic() + seconds
    while pending():
        if time.monotonic() > deadline:
            raise AssertionError(f"tasks still pending after {seconds}s")
        call_command("worker", "--burst", "--interval", "0", "--no-fork", verbosity=0)
        time.sleep(0.02)
