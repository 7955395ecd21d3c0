"""Hits per day, the flushes that brought them in, and each reader's history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyHits(models.Model):
    """Unique visitors of one work on one day (UTC), added by ``tasks.flush_hits``."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="daily_hits")
    day = models.DateField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "daily hits"
        constraints = [models.UniqueConstraint(fields=["work", "day"], name="one_daily_hits_row")]

    def __str__(self) -> str:
        return f"{self.work_id} on {self.day}: {self.hits}"


class HitFlush(models.Model):
    """One batch of buffered hits applied to the database.

    A task that runs twice (a worker killed after its commit, say) finds its batch
    here and adds nothing the second time. Rows older than a month are pruned.
    """

    batch = models.CharField(max_length=64, unique=True)
    hits = models.PositiveIntegerField(default=0)
    flushed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.batch}: {self.hits}"


class Reading(models.Model):
    """What one reader read of one work, and whether they marked it for later.

    ``visits`` is 0 (and the dates are empty) for a work marked for later but not
    read since history was last cleared.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="readings")
    first_read_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    visits = models.PositiveIntegerField(default=0)
    last_chapter = models.ForeignKey(
        "works.Chapter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    later = models.BooleanField(_("marked for later"), default=False)
    later_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="one_reading_per_user_and_work")
        ]
        indexes = [
            models.Index(fields=["user", "-last_read_at"]),
            models.Index(fields=["user", "later", "-later_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.work_id} ({self.visits})"


class ReadingPreference(models.Model):
    """A reader's choice to keep a reading history; no row means history is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_preference"
    )
    history_enabled = models.BooleanField(_("keep my reading history"), default=True)

    def __str__(self) -> str:
        return f"{self.user_id}: history {'on' if self.history_enabled else 'off'}"
