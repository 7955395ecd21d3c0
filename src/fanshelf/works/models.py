from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from fanshelf.tags.models import Tag

TAG_TYPE_PLURALS = {
    Tag.Type.RATING: _("Ratings"),
    Tag.Type.WARNING: _("Archive Warnings"),
    Tag.Type.CATEGORY: _("Categories"),
    Tag.Type.FANDOM: _("Fandoms"),
    Tag.Type.RELATIONSHIP: _("Relationships"),
    Tag.Type.CHARACTER: _("Characters"),
    Tag.Type.FREEFORM: _("Additional Tags"),
}
TITLE_MAX_LENGTH = 255
SUMMARY_MAX_LENGTH = 1250
NOTES_MAX_LENGTH = 5000
CHAPTER_MAX_LENGTH = 510_000
FREEFORM_TAGS_MAX = 75


def language_name(code: str) -> str:
    """The language's own name ("English", "Deutsch"), or its code if unknown."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


class Series(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(_("summary"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "series"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series:detail", args=[self.pk])


class Work(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        POSTED = "posted", _("Posted")
        HIDDEN = "hidden", _("Hidden by a moderator")

    class CommentPolicy(models.TextChoices):
        OPEN = "open", _("Anyone may comment")
        REGISTERED = "registered", _("Only registered users may comment")
        MODERATED = "moderated", _("Comments are held until I approve them")
        DISABLED = "disabled", _("No comments")

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(_("summary"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    end_notes = models.TextField(_("end notes"), blank=True)
    language = models.CharField(_("language"), max_length=16, default="en")
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    expected_chapters = models.PositiveIntegerField(
        _("expected chapters"), null=True, blank=True, help_text=_("Leave empty if unknown.")
    )
    restricted = models.BooleanField(_("only show to registered users"), default=False)
    anonymous = models.BooleanField(_("hide my name (anonymous)"), default=False)
    comment_policy = models.CharField(
        max_length=16, choices=CommentPolicy.choices, default=CommentPolicy.OPEN
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="works"
    )
    series_position = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(
        _("imported from"), max_length=500, blank=True, help_text=_("Original URL or file name.")
    )
    show_source = models.BooleanField(_("show readers where it was first posted"), default=False)
    pseuds = models.ManyToManyField("accounts.Pseud", through="Creatorship", related_name="works")
    tags = models.ManyToManyField(Tag, related_name="works", blank=True)
    # The canonical tags a work is found under: its own canonical tags, the canonical
    # of each synonym, and all their fandoms and meta tags (see tags.graph).
    filter_tags = models.ManyToManyField(
        Tag, through="FilterTagging", related_name="filtered_works", blank=True
    )

    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    revised_at = models.DateTimeField(null=True, blank=True)

    # More than one unrelated fandom; kept with the filter tags (tags.graph).
    crossover = models.BooleanField(default=False)

    # Denormalised so listings never count rows.
    word_count = models.PositiveIntegerField(default=0)
    chapter_count = models.PositiveIntegerField(default=0)
    hit_count = models.PositiveIntegerField(default=0)
    kudos_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    bookmark_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["state", "-revised_at"]),
            models.Index(fields=["state", "-published_at"]),
            models.Index(fields=["state", "-kudos_count"]),
            models.Index(fields=["state", "-word_count"]),
            models.Index(fields=["state", "-hit_count"]),
            models.Index(fields=["language", "state", "-revised_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Language codes are kept in lower case ("pt-br"), as Django's own list has
        # them, so the language filter is an exact match an index can answer.
        self.language = self.language.strip().lower() or "en"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("works:detail", args=[self.pk])

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def is_posted(self) -> bool:
        return self.state == self.State.POSTED

    @property
    def is_complete(self) -> bool:
        return self.expected_chapters is not None and self.chapter_count >= self.expected_chapters

    @property
    def chapters_display(self) -> str:
        """AO3's "posted/expected" chapter count: ``1/1``, ``2/?``."""
        expected = "?" if self.expected_chapters is None else self.expected_chapters
        return f"{self.chapter_count}/{expected}"

    def tags_of_type(self, tag_type: str) -> list[Tag]:
        return [tag for tag in self.tags.all() if tag.type == tag_type]

    def tag_groups(self) -> list[dict]:
        """Tags grouped by type in AO3's order (rating first), skipping empty types."""
        groups = []
        for tag_type in Tag.Type:
            tags = self.tags_of_type(tag_type)
            if tags:
                label = tag_type.label if len(tags) == 1 else TAG_TYPE_PLURALS[tag_type]
                groups.append({"type": tag_type.value, "label": label, "tags": tags})
        return groups


class Creatorship(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(
        "accounts.Pseud", on_delete=models.CASCADE, related_name="creatorships"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="one_creatorship_per_pseud")
        ]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work}"


class Chapter(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(_("chapter title"), max_length=TITLE_MAX_LENGTH, blank=True)
    summary = models.TextField(_("chapter summary"), blank=True)
    notes = models.TextField(_("chapter notes"), blank=True)
    end_notes = models.TextField(_("chapter end notes"), blank=True)
    body = models.TextField(_("text"))
    word_count = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=State.choices, default=State.POSTED)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="chapter_position_unique")
        ]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", args=[self.work_id, self.pk])

    @property
    def heading(self) -> str:
        label = _("Chapter %(n)s") % {"n": self.position}
        return f"{label}: {self.title}" if self.title else str(label)


class FilterTagging(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="one_filter_tagging")]
        indexes = [models.Index(fields=["tag", "work"])]

    def __str__(self) -> str:
        return f"{self.work_id} found under {self.tag_id}"
