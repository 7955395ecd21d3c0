"""Background work for reading: applying the hit counts web processes hand over."""

from fanshelf.core.tasks import archive_task
from fanshelf.reading import services


# Unqueued counts go back into the web process's buffer (hits.hand_over) instead.
@archive_task(keep_unqueued=False)
def flush_hits(*, batch: str, counts: list[list]) -> int:
    """Add a web process's buffered hits (``[work_id, "YYYY-MM-DD", hits]`` rows).

    Enqueued by ``fanshelf.reading.hits.hand_over``; applies each batch once, so a
    task that runs again adds nothing (``services.add_hits``).
    """
    return services.add_hits(batch=batch, counts=counts)
