"""Background work for downloads: writing the files of long works."""

from fanshelf.core.tasks import archive_task
from fanshelf.downloads import services


@archive_task()
def write_download(*, work_id: int, extension: str, revision: str, claim: str) -> str:
    """Write a long work's file that a reader asked for (``services.download`` queues it).

    Writes each file once: a task whose claim was taken over, or whose revision is no
    longer the work's, does nothing (``services.write_claimed``).
    """
    return services.write_claimed(
        work_id=work_id, extension=extension, revision=revision, claim=claim
    )
