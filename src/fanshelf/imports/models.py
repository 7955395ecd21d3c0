"""What imports remember: which works came from which content, fingerprints for
near-duplicates, uploads waiting for the author's decision, and archived creators."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    """One work an import created, under the key of the content it came from
    (``ImportedWork.key``): an import that meets the same key again skips it, so an
    interrupted import can be run again and never creates a work twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_records"
    )
    key = models.CharField(max_length=64)
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="import_records")
    source = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="import_record_user_key_unique")
        ]

    def __str__(self):
        return f"{self.source or self.key[:12]} → work {self.work_id}"


class WorkFingerprint(models.Model):
    """A MinHash signature of a work's words (see ``imports.duplicates``), kept for the
    revision it was computed from."""

    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    signature = models.BinaryField()
    word_count = models.PositiveIntegerField(default=0)
    revised_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"fingerprint of work {self.work_id}"


class FingerprintBand(models.Model):
    """One locality-sensitive-hashing band of a work's signature: works that share a
    band are candidates for near-duplicates, found by an indexed lookup."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    digest = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "digest"], name="fingerprint_band_lookup")]

    def __str__(self):
        return f"band {self.band} of work {self.work_id}"


class ImportBatch(models.Model):
    """Files uploaded through "Import a work", read and waiting for the author to post
    or save them: ``results`` holds one entry per file or post (its name, the works read
    as ``ImportedWork.as_dict``, or the problem)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    results = models.JSONField(default=list)
    # What the author chose when uploading (pseud, drafts, fandoms and rating for files
    # that name none) and, once posted, what became of each work (imports.batches).
    options = models.JSONField(default=dict, blank=True)
    outcomes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"import {self.pk} by {self.user_id}"


class ExternalCreator(models.Model):
    """A creator of works an archivist imported on their behalf (as Open Doors does for
    closing archives): the name and email are kept so the creator can claim the works."""

    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    archivist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_creators",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class ExternalCreatorship(models.Model):
    """An archived work's external creator, shown as its creator until claimed."""

    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="external_creatorships"
    )
    creator = models.ForeignKey(ExternalCreator, on_delete=models.CASCADE, related_name="works")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "creator"], name="external_creatorship_unique")
        ]

    def __str__(self):
        return f"{self.creator_id} on work {self.work_id}"
