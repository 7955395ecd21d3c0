import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 150


def normalize_tag_name(name: str) -> str:
    """The key under which Unicode, case and whitespace variants of a name are one tag."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(folded.split())


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
    normalized_name = models.CharField(max_length=NAME_MAX_LENGTH * 2, unique=True, editable=False)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.FREEFORM)
    canonical = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["type", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.normalized_name = normalize_tag_name(self.name)
        super().save(*args, **kwargs)
