"""The download files written so far: one row per work, format and revision.

A row is created the moment someone starts writing a file (its ``claim``), and
completed with the storage name and size once the file is stored. The unique
constraint is the lock that keeps two requests, or a request and the worker, from
writing the same file twice, across processes and machines (the cache is per process
by default, so it could not be).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DownloadFile(models.Model):
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    extension = models.CharField(max_length=8)
    revision = models.CharField(max_length=32)
    # Who is writing the file: a new value when a claim left by a crashed writer is
    # taken over, so the old writer can tell it is no longer its file to finish.
    claim = models.UUIDField(default=uuid.uuid4)
    claimed_at = models.DateTimeField()
    name = models.CharField(_("stored as"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    written_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work", "extension", "revision"], name="one_download_file_per_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_id}/{self.revision}.{self.extension}"

    @property
    def is_written(self) -> bool:
        return self.written_at is not None
