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
    """A reader's preferences: what pages show them and how. No row means the defaults.

    Read it with ``fanshelf.reading.preferences.preferences_for`` (one query per
    request, guests get the defaults without one); change it with
    ``update_preferences``. The table keeps its name from when it held only the
    history switch.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_preference"
    )
    history_enabled = models.BooleanField(_("keep my reading history"), default=True)
    hide_warnings = models.BooleanField(
        _("hide archive warnings"),
        default=False,
        help_text=_("Warnings stay behind a “Show warnings” button on work pages and listings."),
    )
    hide_freeform = models.BooleanField(
        _("hide additional tags"),
        default=False,
        help_text=_("Additional tags stay behind a “Show additional tags” button."),
    )
    confirm_adult_content = models.BooleanField(
        _("ask before showing Mature and Explicit works"),
        default=True,
        help_text=_("Turn off to skip the adult content notice before such works."),
    )
    view_entire_work = models.BooleanField(
        _("show the entire work by default"),
        default=False,
        help_text=_("Works open on all their chapters; chapter by chapter stays one link away."),
    )
    hide_creator_style = models.BooleanField(
        _("hide creators’ work styles"),
        default=False,
        help_text=_("Work skins are not supported yet; this will apply when they are."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Dates and times on pages are shown in this time zone."),
    )

    def __str__(self) -> str:
        return f"{self.user_id}: history {'on' if self.history_enabled else 'off'}"

    @property
    def zone_name(self) -> str:
        """The chosen time zone, or the archive's (``settings.TIME_ZONE``) when unset."""
        return self.time_zone or settings.TIME_ZONE
