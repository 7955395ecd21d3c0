"""What the archive keeps about its own running: background tasks that failed for good."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FailedTask(models.Model):
    """A background task that failed on its last attempt (``fanshelf.core.tasks``).

    Written by the worker, read by admins (``fanshelf tasks failed``, the Django
    admin), and marked ``retried_at`` when someone queues it again.
    """

    task_path = models.CharField(_("task"), max_length=255)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    backend = models.CharField(_("backend"), max_length=100)
    queue_name = models.CharField(_("queue"), max_length=100)
    result_id = models.CharField(_("last result id"), max_length=64)
    attempts = models.PositiveIntegerField(_("attempts"))
    error = models.TextField(_("error"))
    traceback = models.TextField(_("traceback"))
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now, db_index=True)
    retried_at = models.DateTimeField(_("retried at"), null=True, blank=True)
    retry_result_id = models.CharField(_("retry result id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")

    def __str__(self):
        return f"{self.task_name} ({self.failed_at:%Y-%m-%d %H:%M})"

    @property
    def task_name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]

    @property
    def arguments_summary(self) -> str:
        """The arguments as they would be written in a call, cut to 80 characters."""
        parts = [repr(value) for value in self.args]
        parts += [f"{name}={value!r}" for name, value in self.kwargs.items()]
        text = ", ".join(parts)
        return text if len(text) <= 80 else text[:79] + "…"
