from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fanshelf.core.progress import progress
from fanshelf.imports import duplicates
from fanshelf.imports.models import WorkFingerprint
from fanshelf.imports.templatetags.archived_works import archive_credit

# A progress bar only helps when there is a lot to fingerprint.
PROGRESS_MIN_WORKS = 50


class Command(BaseCommand):
    help = (
        "List pairs of works in the archive whose texts are nearly the same (reposted "
        "works): one tab-separated line per pair, most alike first: similarity, then "
        "each work's URL, title and creators. Works without an up-to-date fingerprint "
        "are fingerprinted first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--threshold",
            default=str(duplicates.DEFAULT_THRESHOLD),
            help="Least similarity to report, more than 0 and at most 1 (default 0.8).",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Recompute every fingerprint, not only missing and stale ones.",
        )

    def handle(self, *args, threshold, refresh, **options):
        threshold = _threshold(threshold)
        duplicates.drop_outside_archive()
        ids = duplicates.works_needing_fingerprints(refresh=refresh)
        quiet = options["verbosity"] == 0 or len(ids) <= PROGRESS_MIN_WORKS
        with progress(
            "Fingerprinting works", total=len(ids), mode="off" if quiet else "auto"
        ) as shown:
            duplicates.fingerprint_works(ids, progress=shown.advance)
        pairs = 0
        for left, right, similarity in duplicates.duplicate_pairs(threshold):
            pairs += 1
            self.stdout.write("\t".join([f"{similarity:.2f}", *_describe(left), *_describe(right)]))
        works = WorkFingerprint.objects.filter(work__state__in=duplicates.ARCHIVE_STATES).count()
        self.stdout.write(
            f"{pairs:,} pair{'' if pairs == 1 else 's'} at least {threshold:.2f} alike "
            f"among {works:,} work{'' if works == 1 else 's'} "
            f"({len(ids):,} fingerprinted now)."
        )


def _threshold(value: str) -> float:
    try:
        threshold = float(value)
    except ValueError:
        threshold = None
    if threshold is None or not 0 < threshold <= 1:
        raise CommandError(
            f"--threshold must be a number more than 0 and at most 1, not {value!r}."
        )
    return threshold


def _describe(work) -> list[str]:
    return [settings.SITE_URL + work.get_absolute_url(), work.title, _creators(work)]


def _creators(work) -> str:
    """Named as the work page names them: "Anonymous" for an anonymous work, and an
    archived work's creators with its archivist in brackets."""
    if work.anonymous:
        return "Anonymous"
    credit = archive_credit(work)
    if credit is None:
        return ", ".join(creatorship.pseud.name for creatorship in work.creatorships.all())
    names = ", ".join([*credit.names, *(c.pseud.name for c in credit.creatorships)])
    if credit.archivists:
        archivists = ", ".join(c.pseud.name for c in credit.archivists)
        names += f" [archived by {archivists}]"
    return names
