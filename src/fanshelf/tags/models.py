import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 150


def normalize_tag_name(name: str) -> str:
    """The key under which Unicode, case and whitespace variants of a name are one tag."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(folded.split())


FIXED_TYPES = frozenset({"rating", "warning", "category"})


class CodePointCharField(models.CharField):
    """Text compared and sorted code point by code point on every engine.

    SQLite's default (BINARY) already does; on PostgreSQL the column gets the "C"
    collation, whatever the database's own locale. A linguistic collation (en_US,
    ICU) puts "zoë washburne" between "zoe" and "zoe" followed by U+10FFFF, so the
    prefix ranges of tags.autocomplete would find it for "zoe"; under "C" those
    ranges mean "starts with" and still read the index.
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class Tag(models.Model):
    class Type(models.TextChoices):
        RATING = "rating", _("Rating")
        WARNING = "warning", _("Archive Warning")
        CATEGORY = "category", _("Category")
        FANDOM = "fandom", _("Fandom")
        RELATIONSHIP = "relationship", _("Relationship")
        CHARACTER = "character", _("Character")
        FREEFORM = "freeform", _("Additional Tags")

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    normalized_name = CodePointCharField(
        max_length=NAME_MAX_LENGTH * 2, unique=True, editable=False
    )
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.FREEFORM)
    canonical = models.BooleanField(default=False)
    synonym_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="synonyms",
        help_text=_("The canonical tag this one is another name for."),
    )
    parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="children",
        blank=True,
        help_text=_("Fandoms of a character or relationship; meta tags above this tag."),
    )
    # How many works carry this tag as typed; kept by works.services, used to rank.
    usage_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["type", "name"]),
            models.Index(fields=["canonical", "type"]),
            # Covers autocomplete's prefix range, type filter and ranking, so SQLite
            # ranks thousands of "a…" tags from the index alone (see tags.autocomplete).
            models.Index(
                fields=["normalized_name", "type", "canonical", "usage_count"],
                name="tag_autocomplete_idx",
            ),
            models.Index(fields=["-usage_count"], name="tag_usage_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.normalized_name = normalize_tag_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tags:detail", args=[self.name])

    @property
    def is_fixed(self) -> bool:
        """Ratings, archive warnings and categories: AO3's closed set, never wrangled."""
        return self.type in FIXED_TYPES

    @property
    def is_wrangled(self) -> bool:
        return self.canonical or self.synonym_of_id is not None


class WranglingChange(models.Model):
    """One wrangling action, kept so it can be read in the log and reverted."""

    class Action(models.TextChoices):
        CANONICAL = "canonical", _("made canonical")
        UNCANONICAL = "uncanonical", _("made not canonical")
        SYNONYM = "synonym", _("made a synonym")
        UNSYNONYM = "unsynonym", _("no longer a synonym")
        ADD_PARENT = "add_parent", _("added a parent")
        REMOVE_PARENT = "remove_parent", _("removed a parent")
        RENAME = "rename", _("renamed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="changes")
    # SET_NULL: deleting a tag must not erase the history of the tags it touched.
    other = models.ForeignKey(
        Tag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_value = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    new_value = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reverted_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reverts"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        target = f" {self.other}" if self.other_id else ""
        return f"{self.tag} {self.get_action_display()}{target}"
