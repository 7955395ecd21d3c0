"""Background reindexing, for changes that touch too many works for one request."""

from django.db import transaction

from fanshelf.core.tasks import archive_task

BATCH_SIZE = 200


@archive_task()
def reindex_tagged(tag_ids: list[int]) -> int:
    """Reindex every work carrying one of ``tag_ids``, a short transaction per batch.

    Safe to run again: rows whose text has not changed are not written.
    """
    from fanshelf.discovery.search import backend
    from fanshelf.works.models import Work

    work_ids = sorted(
        set(Work.tags.through.objects.filter(tag_id__in=tag_ids).values_list("work_id", flat=True))
    )
    written = 0
    for start in range(0, len(work_ids), BATCH_SIZE):
        with transaction.atomic():
            written += backend().index_works(work_ids[start : start + BATCH_SIZE])
    return written


def reindex_tagged_after_commit(tag_ids) -> None:
    """Queue ``reindex_tagged`` for when the current transaction commits."""
    tag_ids = sorted(set(tag_ids))
    transaction.on_commit(lambda: reindex_tagged.enqueue(tag_ids))
