"""Background work for tags: bringing works' filter tags up to date after wrangling."""

from django.db import transaction

from fanshelf.core.tasks import archive_task
from fanshelf.tags import graph

BATCH_SIZE = 500


@archive_task()
def refresh_filter_tags_for(tag_ids: list[int]) -> int:
    """Recompute filter tags of every work a wrangle of ``tag_ids`` may move.

    Runs in batches of ``BATCH_SIZE`` works, each its own short transaction, so the
    archive is never locked for long; safe to run again (it writes only differences).
    """
    work_ids = sorted(graph.works_using(tag_ids))
    changed = 0
    for start in range(0, len(work_ids), BATCH_SIZE):
        changed += graph.refresh_filter_tags(work_ids[start : start + BATCH_SIZE])
    return changed


def refresh_after_commit(tag_ids) -> None:
    """Queue a filter-tag refresh for when the current transaction commits."""
    tag_ids = sorted(set(tag_ids))
    transaction.on_commit(lambda: refresh_filter_tags_for.enqueue(tag_ids))
