from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fanshelf.tags.models import Tag

NOTES_MAX_LENGTH = 5000
TAGS_MAX = 75


class Bookmark(models.Model):
    """A reader's bookmark of a work or a series, with their own notes and tags."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    # The name the bookmark is shown under; one of the user's pseuds.
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="bookmarks")
    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    series = models.ForeignKey(
        "works.Series", on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    notes = models.TextField(_("notes"), blank=True)
    # The bookmarker's own tags, created unwrangled; they never touch the work's tags.
    tags = models.ManyToManyField(Tag, related_name="bookmarks", blank=True)
    rec = models.BooleanField(_("rec"), default=False)
    private = models.BooleanField(_("private"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work__isnull=False, series__isnull=True)
                | Q(work__isnull=True, series__isnull=False),
                name="bookmark_of_work_or_series",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=Q(work__isnull=False),
                name="one_bookmark_per_user_and_work",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="one_bookmark_per_user_and_series",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["work", "private", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} bookmarked {self.work or self.series}"

    @property
    def target(self):
        """What was bookmarked: the work or the series."""
        return self.work if self.work_id else self.series
