"""Importing on the web: uploads read into an ImportBatch, previewed, then posted.

Uploaded files are read at once (``imports.sources``) and kept as JSON for a day.
What the preview shows is worked out while reading, so the preview page costs a few
queries however many works the batch holds: the tags as they will be posted (free
tags matched to canonical ones), the tags the text suggests, near-duplicates already
in the archive and works the author imported before. Posting goes through
``services.import_work`` (or ``archive.archive_work``), one transaction per work,
so posting a batch twice never creates a work twice.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanshelf import text
from fanshelf.accounts.models import User
from fanshelf.accounts.services import pseud_for
from fanshelf.imports import duplicates, services
from fanshelf.imports.archive import archive_work, can_archive
from fanshelf.imports.models import ImportBatch, ImportRecord
from fanshelf.imports.readers import ImportedWork, ImportProblem
from fanshelf.imports.sources import read_uploads
from fanshelf.tags.defaults import RATINGS
from fanshelf.tags.models import Tag
from fanshelf.tags.suggestions import suggest_tags
from fanshelf.works.models import TAG_TYPE_PLURALS, Work
from fanshelf.works.selectors import visible_works

BATCH_LIFETIME = timedelta(days=1)
EXCERPT_WORDS = 60
PSEUD_REFUSAL = gettext_lazy("You can only import as one of your own pseuds.")


@dataclass
class PreviewWork:
    """One work of a batch as the preview page shows it."""

    index: int
    work: ImportedWork
    tags: list[tuple[str, list[str]]]
    chapters: list[tuple[str, int]]
    # (tag type, label, [(checkbox value "type:name", name, mentions)])
    suggestions: list[tuple[str, str, list[tuple[str, str, int]]]]
    excerpt: str = ""
    similar: list[tuple[Work, float]] = field(default_factory=list)
    already: Work | None = None
    # Set by the page: whether the work and which suggestions are ticked, a typed title.
    ticked: bool = True
    ticked_tags: set[str] = field(default_factory=set)
    typed_title: str = ""

    @property
    def words(self) -> int:
        return sum(words for _title, words in self.chapters)

    @property
    def chosen(self) -> bool:
        """Ticked at first unless the archive seems to have it already."""
        return not (self.similar or self.already)


@dataclass
class BatchPreview:
    batch: ImportBatch
    works: list[PreviewWork]
    problems: list[tuple[str, str]]


def expire_batches() -> int:
    """Delete batches older than ``BATCH_LIFETIME``; how many went."""
    deleted, _by_model = ImportBatch.objects.filter(
        created_at__lt=timezone.now() - BATCH_LIFETIME
    ).delete()
    return deleted


@transaction.atomic
def read_into_batch(
    *,
    user: User,
    uploads: Iterable[tuple[str, bytes]],
    pseud: str = "",
    as_draft: bool = False,
    fandoms: Iterable[str] = (),
    rating: str = "",
) -> ImportBatch:
    """Read uploaded files (name, bytes) into a new batch for ``user`` to preview.

    ``pseud``, ``as_draft``, ``fandoms`` and ``rating`` (for files that name none) are
    kept with the batch for posting. ValidationError keyed "pseud" or "rating" for a
    bad choice, and keyed "files" with one line per file when no file holds a work.
    Batches older than a day are deleted on the way.
    """
    chosen_pseud = pseud_for(user, pseud or None, refusal=PSEUD_REFUSAL)
    if rating and rating not in RATINGS:
        raise ValidationError({"rating": _("Unknown rating “%(r)s”.") % {"r": rating}})
    options = {
        "pseud": chosen_pseud.name,
        "as_draft": bool(as_draft),
        "fandoms": [name for name in fandoms if name],
        "rating": rating,
    }
    defaults = _defaults(options)
    expire_batches()
    results, keys = [], []
    for result in read_uploads(uploads):
        entry = {"name": result.name, "problem": result.problem, "works": [], "checks": []}
        for imported in result.works:
            entry["works"].append(imported.as_dict())
            check = _checks(imported, defaults=defaults)
            entry["checks"].append(check)
            keys.append(check["key"])
        results.append(entry)
    if not any(entry["works"] for entry in results):
        lines = [f"{entry['name']}: {entry['problem']}" for entry in results if entry["problem"]]
        raise ValidationError({"files": lines or [_("No works were found in the files.")]})
    _mark_imported_before(results, user=user, keys=keys)
    return ImportBatch.objects.create(user=user, results=results, options=options)


def _defaults(options: Mapping) -> services.ImportDefaults:
    return services.ImportDefaults(
        fandoms=tuple(options.get("fandoms", ())), rating=options.get("rating", "")
    )


def _checks(imported: ImportedWork, *, defaults: services.ImportDefaults) -> dict:
    """What the preview shows of one work, worked out once when it is read: the key of
    the file as read (what "imported before" is judged by), the tags as they will be
    posted (free tags matched to canonical ones, the chosen defaults where the file has
    none), word counts, the tags the text suggests and near-duplicates."""
    tags = services.tags_for(imported, defaults)
    suggested = suggest_tags(
        text="\n".join(
            [imported.summary_html, *(chapter.body_html for chapter in imported.chapters)]
        ),
        fandoms=tags["fandom"],
        tagged=[name for names in tags.values() for name in names],
    )
    similar = duplicates.similar_works(duplicates.imported_text(imported))
    return {
        "key": imported.key(),
        "tags": tags,
        "words": [text.count_words(chapter.body_html) for chapter in imported.chapters],
        "excerpt": _excerpt(imported),
        "suggested": [
            {"type": tag_type, "name": tag.name, "mentions": suggested.mentions.get(tag.pk, 0)}
            for tag_type, _label, group in suggested.groups
            for tag in group
        ],
        "similar": [
            {"work": found.work.pk, "similarity": round(found.similarity, 3)} for found in similar
        ],
        "already": None,
    }


def _excerpt(imported: ImportedWork) -> str:
    """The first words of the text, to see that it was read right."""
    first = imported.chapters[0].body_html if imported.chapters else ""
    words = text.html_to_text(first).split()
    return " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")


def _mark_imported_before(results: list[dict], *, user: User, keys: list[str]) -> None:
    records = dict(
        ImportRecord.objects.filter(user=user, key__in=set(keys)).values_list("key", "work_id")
    )
    if not records:
        return
    for entry in results:
        for check in entry["checks"]:
            check["already"] = records.get(check["key"])


def batch_for(*, user, batch_id: int) -> ImportBatch:
    """``user``'s batch, if it has not expired; ImportBatch.DoesNotExist for anyone else's."""
    if not getattr(user, "is_authenticated", False):
        raise ImportBatch.DoesNotExist
    return ImportBatch.objects.get(
        pk=batch_id, user=user, created_at__gte=timezone.now() - BATCH_LIFETIME
    )


def _entries(batch: ImportBatch):
    """(index, imported work as a dict, its checks) for every work, in file order."""
    index = 0
    for entry in batch.results:
        for work, check in zip(entry.get("works", []), entry.get("checks", []), strict=True):
            yield index, work, check
            index += 1


def _works_by_id(ids: Iterable[int], viewer) -> dict[int, Work]:
    """The works among ``ids`` that ``viewer`` may see, in one query."""
    ids = {pk for pk in ids if pk}
    if not ids:
        return {}
    return visible_works(viewer).only("pk", "title", "state").in_bulk(ids)


def _tag_groups(tags: Mapping[str, list[str]]) -> list[tuple[str, list[str]]]:
    groups = []
    for tag_type in Tag.Type:
        names = tags.get(tag_type.value) or []
        if names:
            label = tag_type.label if len(names) == 1 else TAG_TYPE_PLURALS[tag_type]
            groups.append((label, names))
    return groups


def _suggestion_groups(suggested: list[dict]) -> list:
    groups = []
    for tag_type in (Tag.Type.FANDOM, Tag.Type.RELATIONSHIP, Tag.Type.CHARACTER):
        names = [
            (f"{s['type']}:{s['name']}", s["name"], s["mentions"])
            for s in suggested
            if s["type"] == tag_type.value
        ]
        if names:
            groups.append((tag_type.value, TAG_TYPE_PLURALS[tag_type], names))
    return groups


def preview(batch: ImportBatch, *, viewer) -> BatchPreview:
    """The batch's works and problems as the preview page shows them (one query)."""
    entries = list(_entries(batch))
    referenced = [c["already"] for _i, _w, c in entries]
    referenced += [s["work"] for _i, _w, c in entries for s in c["similar"]]
    works = _works_by_id(referenced, viewer)
    shown = []
    for index, work_data, check in entries:
        imported = ImportedWork.from_dict(work_data)
        # Readers sanitise what they read; this page does again, as every page would.
        for name in ("summary_html", "notes_html", "end_notes_html"):
            setattr(imported, name, text.sanitize_html(getattr(imported, name)))
        chapters = [
            (chapter.title, words)
            for chapter, words in zip(imported.chapters, check["words"], strict=True)
        ]
        already = works.get(check["already"]) if check["already"] else None
        similar = [
            (works[s["work"]], s["similarity"])
            for s in check["similar"]
            if s["work"] in works and s["work"] != check["already"]
        ]
        shown.append(
            PreviewWork(
                index=index,
                work=imported,
                tags=_tag_groups(check["tags"]),
                chapters=chapters,
                suggestions=_suggestion_groups(check["suggested"]),
                excerpt=check.get("excerpt", ""),
                similar=similar,
                already=already,
            )
        )
    problems = [(entry["name"], entry["problem"]) for entry in batch.results if entry["problem"]]
    return BatchPreview(batch=batch, works=shown, problems=problems)


def post_batch(
    *,
    user: User,
    batch_id: int,
    chosen: Iterable[int],
    accepted: Mapping[int, Iterable[str]] | None = None,
    titles: Mapping[int, str] | None = None,
    as_draft: bool = False,
    show_source: bool = False,
    on_behalf: bool = False,
) -> ImportBatch:
    """Post (or save as drafts) the chosen works of ``user``'s batch.

    ``chosen`` are work indexes in the batch; ``accepted`` maps an index to the
    suggested tags ticked for it (``"type:name"``, only tags that were suggested), and
    ``titles`` to a title for a work whose file gives none.
    ``on_behalf`` (archivists only) imports for the creators the files name. Each work
    is its own transaction and goes through ``services.import_work``, which never makes
    a work twice; a work this user imported before (the same file, whatever was ticked)
    is skipped too. What became of each work is kept in ``batch.outcomes``.
    ImportBatch.DoesNotExist for a batch that is not the user's; PermissionDenied for
    ``on_behalf`` by anyone but an archivist.
    """
    batch = batch_for(user=user, batch_id=batch_id)
    if on_behalf and not can_archive(user):
        raise PermissionDenied(_("Only archivists can import works on behalf of others."))
    chosen = set(chosen)
    accepted, titles = accepted or {}, titles or {}
    options = batch.options
    outcomes = []
    for index, work_data, check in _entries(batch):
        imported = ImportedWork.from_dict(work_data)
        outcome = {"index": index, "title": imported.title, "work": None, "problem": ""}
        if index not in chosen:
            outcomes.append({**outcome, "status": "left_out"})
            continue
        _add_accepted(imported, accepted.get(index, ()), check["suggested"])
        if imported.title_is_placeholder and titles.get(index):
            imported.title, imported.title_is_placeholder = titles[index], False
        try:
            work, created = _import_one(
                imported,
                user=user,
                key=check["key"],
                options=options,
                as_draft=as_draft,
                show_source=show_source,
                on_behalf=on_behalf,
            )
        except ValidationError as error:
            problem = str(services.problem_from(error))
            outcomes.append({**outcome, "status": "problem", "problem": problem})
        except (ImportProblem, PermissionDenied) as error:
            outcomes.append({**outcome, "status": "problem", "problem": str(error)})
        else:
            status = "created" if created else "existing"
            outcomes.append({**outcome, "status": status, "work": work.pk})
    batch.outcomes = outcomes
    batch.finished_at = timezone.now()
    batch.save(update_fields=["outcomes", "finished_at"])
    return batch


def _add_accepted(imported: ImportedWork, ticked: Iterable[str], suggested: list[dict]) -> None:
    """Add the ticked suggestions (only ones that were suggested) to the work's tags."""
    offered = {f"{s['type']}:{s['name']}" for s in suggested}
    for choice in ticked:
        if choice in offered:
            tag_type, _sep, name = choice.partition(":")
            names = imported.tags.setdefault(tag_type, [])
            if name not in names:
                names.append(name)


@transaction.atomic
def _import_one(
    imported: ImportedWork,
    *,
    user: User,
    key: str,
    options: Mapping,
    as_draft: bool,
    show_source: bool,
    on_behalf: bool,
) -> tuple[Work, bool]:
    record = ImportRecord.objects.filter(user=user, key=key).select_related("work").first()
    if record is not None:
        return record.work, False
    arguments = {
        "pseud": options.get("pseud") or None,
        "as_draft": as_draft,
        "show_source": show_source,
    }
    arguments["defaults"] = _defaults(options)
    if on_behalf:
        work, created = archive_work(imported, archivist=user, **arguments)
    else:
        work, created = services.import_work(imported, user=user, **arguments)
    if created:
        # Remember the file as read too: a ticked suggestion or a typed title changes
        # the posted work's key, and the same file must not make a second work.
        ImportRecord.objects.get_or_create(
            user=user, key=key, defaults={"work": work, "source": imported.source[:500]}
        )
    return work, created


@dataclass
class BatchReport:
    """What posting a batch did, for the result page."""

    created: list[tuple[Work, dict]]
    skipped: list[tuple[Work | None, dict]]
    problems: list[dict]


def report(batch: ImportBatch, *, viewer) -> BatchReport:
    """The batch's outcomes with their works (one query)."""
    works = _works_by_id((outcome["work"] for outcome in batch.outcomes), viewer)
    created, skipped, problems = [], [], []
    for outcome in batch.outcomes:
        work = works.get(outcome["work"]) if outcome["work"] else None
        if outcome["status"] == "created" and work is not None:
            created.append((work, outcome))
        elif outcome["status"] == "problem":
            problems.append(outcome)
        else:
            skipped.append((work, outcome))
    return BatchReport(created=created, skipped=skipped, problems=problems)
