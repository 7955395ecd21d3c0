"""Bulk wrangling with CSV: export tags, apply a wrangler's edited sheet, read the log.

A sheet has the columns of ``COLUMNS``. ``apply_sheet`` goes through the wrangling
services row by row, each row in its own transaction, so a row applies fully or not
at all and the rules (and the log) are the same as on the wrangling pages. Rows are
applied after the rows whose tags they name, so an export applies to an empty
archive whatever its order; line numbers in the results are always the file's.
"""

import contextlib
import csv
import heapq
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Prefetch, Q, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanshelf.tags import wrangling
from fanshelf.tags.models import FIXED_TYPES, Tag, WranglingChange, normalize_tag_name
from fanshelf.tags.services import find_or_create_tag, validate_tag_name

COLUMNS = ("name", "type", "canonical", "synonym_of", "parents", "usage_count")
LOG_COLUMNS = (
    "id", "created_at", "user", "action", "tag", "other", "old_value", "new_value", "reverted",
)  # fmt: skip
PARENT_SEPARATOR = "|"
CLEAR = "-"
YES, NO = "yes", "no"
_BOOLEANS = {"yes": True, "y": True, "true": True, "1": True,
             "no": False, "n": False, "false": False, "0": False}  # fmt: skip
# AO3 fandom names may hold the separator ("僕のヒーローアカデミア | Boku no Hero
# Academia | My Hero Academia"); a parent is looked up across at most this many pieces.
_MAX_PIECES_PER_NAME = 8

Action = WranglingChange.Action
_DESCRIPTIONS = {
    Action.CANONICAL: gettext_lazy("made canonical"),
    Action.UNCANONICAL: gettext_lazy("made not canonical"),
    Action.SYNONYM: gettext_lazy("made a synonym of “%(other)s”"),
    Action.UNSYNONYM: gettext_lazy("no longer a synonym of “%(other)s”"),
    Action.ADD_PARENT: gettext_lazy("put under “%(other)s”"),
    Action.REMOVE_PARENT: gettext_lazy("taken from under “%(other)s”"),
    Action.RENAME: gettext_lazy("renamed from “%(old)s”"),
}


class SheetError(Exception):
    """The file as a whole cannot be read: missing, not UTF-8, not CSV, no name column."""


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


@dataclass
class RowResult:
    row: Row
    tag: str = ""
    changes: list[str] = field(default_factory=list)
    works_moved: int = 0
    error: str = ""


@dataclass
class Summary:
    """Rows are counted once: applied (changed something), unchanged or failed."""

    results: list[RowResult]

    @property
    def applied(self) -> int:
        return sum(1 for result in self.results if result.changes and not result.error)

    @property
    def changes(self) -> int:
        return sum(len(result.changes) for result in self.results if not result.error)

    @property
    def unchanged(self) -> int:
        return sum(1 for result in self.results if not result.changes and not result.error)

    @property
    def failed(self) -> int:
        return sum(1 for result in self.results if result.error)


# Export


def _type_rank():
    return Case(*(When(type=value, then=rank) for rank, value in enumerate(Tag.Type.values)))


def find_fandom(name: str) -> Tag:
    """The canonical fandom tag called ``name`` (or that ``name`` is a synonym of)."""
    tag = Tag.objects.filter(normalized_name=normalize_tag_name(name)).first()
    if tag is not None and tag.synonym_of_id:
        tag = tag.synonym_of
    if tag is None or tag.type != Tag.Type.FANDOM:
        raise ValidationError(_("There is no fandom called “%(name)s”.") % {"name": name})
    return tag


def tags_for_export(*, type: str = "", unwrangled: bool = False, fandom: Tag | None = None):
    """Tags in archive order (by type, then name); unwrangled ones by usage, most used first.

    Unwrangled tags are neither canonical nor synonyms (fixed types never need it).
    With ``fandom``, only tags under it; with ``unwrangled`` too, also tags used on
    works found under it, since freshly typed tags have no fandom yet.
    """
    tags = Tag.objects.select_related("synonym_of").prefetch_related(
        Prefetch("parents", queryset=Tag.objects.order_by("normalized_name"))
    )
    if type:
        tags = tags.filter(type=type)
    if unwrangled:
        tags = tags.filter(canonical=False, synonym_of__isnull=True).exclude(type__in=FIXED_TYPES)
    if fandom is not None:
        under = Q(parents=fandom)
        if unwrangled:
            under |= Q(works__filter_tags=fandom)
        tags = tags.filter(pk__in=Tag.objects.filter(under).values("pk"))
    order = ("-usage_count", "type_rank", "normalized_name") if unwrangled else ()
    return tags.annotate(type_rank=_type_rank()).order_by(
        *(order or ("type_rank", "normalized_name"))
    )


def write_tags(tags: Iterable[Tag], stream: TextIO) -> int:
    """Write ``tags`` as CSV with the header ``COLUMNS``; returns how many."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for tag in tags:
        writer.writerow(
            [
                tag.name,
                tag.type,
                YES if tag.canonical else NO,
                tag.synonym_of.name if tag.synonym_of_id else "",
                PARENT_SEPARATOR.join(parent.name for parent in tag.parents.all()),
                tag.usage_count,
            ]
        )
        count += 1
    return count


# Reading a sheet


def read_sheet(path: Path) -> list[Row]:
    """The rows of the CSV at ``path``, each with its line number in the file."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SheetError(
            _("%(path)s: cannot read it (%(reason)s).") % {"path": path, "reason": error.strerror}
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError(
            _("%(path)s: not UTF-8 (byte %(byte)#04x at offset %(offset)d); save it as UTF-8.")
            % {"path": path, "byte": data[error.start], "offset": error.start}
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header, rows, end_of_last = None, [], 0
    try:
        for cells in reader:
            # A record starts on the line after the previous one ended (quoted cells
            # may span lines); blank lines are skipped but still counted.
            line, end_of_last = end_of_last + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                continue
            rows.append(Row(line=line, cells=dict(zip(header, cells, strict=False))))
    except csv.Error as error:
        raise SheetError(
            _("%(path)s:%(line)d: not valid CSV (%(reason)s).")
            % {"path": path, "line": reader.line_num, "reason": error}
        ) from None
    if header is None or "name" not in header:
        raise SheetError(
            _("%(path)s: no “name” column; the first line must name the columns (%(columns)s).")
            % {"path": path, "columns": ",".join(COLUMNS)}
        )
    return rows


# Applying a sheet


def _refuse(message: str, **names) -> None:
    raise ValidationError(message % names)


def _existing(name: str) -> Tag:
    tag = Tag.objects.filter(normalized_name=normalize_tag_name(name)).first()
    if tag is None:
        _refuse(_("There is no tag called “%(name)s”."), name=name)
    return tag


def _runs(text: str) -> dict[tuple[int, int], str]:
    """Every run of adjacent ``|``-separated pieces, keyed by (first, past-last) piece."""
    pieces = text.split(PARENT_SEPARATOR)
    return {
        (start, stop): PARENT_SEPARATOR.join(pieces[start:stop]).strip()
        for start in range(len(pieces))
        for stop in range(start + 1, min(len(pieces), start + _MAX_PIECES_PER_NAME) + 1)
    }


def _split_removal(run: str) -> tuple[bool, str]:
    if run.startswith(CLEAR):
        return True, run[len(CLEAR) :].strip()
    return False, run


def _keys(runs: dict[tuple[int, int], str]) -> set[str]:
    return {normalize_tag_name(_split_removal(run)[1]) for run in runs.values()}


def _parents(text: str) -> list[tuple[bool, Tag]]:
    """(remove?, tag) for each parent named, longest known name first at each place."""
    runs = _runs(text)
    keys = _keys(runs)
    known = {tag.normalized_name: tag for tag in Tag.objects.filter(normalized_name__in=keys)}
    count = len(text.split(PARENT_SEPARATOR))
    found, start = [], 0
    while start < count:
        if not runs[(start, start + 1)]:
            start += 1
            continue
        for stop in range(min(count, start + _MAX_PIECES_PER_NAME), start, -1):
            remove, name = _split_removal(runs[(start, stop)])
            tag = known.get(normalize_tag_name(name))
            if tag is not None:
                found.append((remove, tag))
                start = stop
                break
        else:
            _refuse(_("There is no tag called “%(name)s”."),
                    name=_split_removal(runs[(start, start + 1)])[1])  # fmt: skip
    return found


def _type(row: Row) -> str:
    value = row.get("type").lower()
    if value and value not in Tag.Type.values:
        _refuse(_("Unknown tag type “%(type)s”; use one of %(types)s."),
                type=row.get("type"), types=", ".join(Tag.Type.values))  # fmt: skip
    return value


def _canonical(row: Row) -> bool | None:
    value = row.get("canonical")
    if not value:
        return None
    if value.lower() not in _BOOLEANS:
        _refuse(_("canonical is “%(value)s”; write yes or no."), value=value)
    return _BOOLEANS[value.lower()]


def _describe(change: WranglingChange) -> str:
    return str(_DESCRIPTIONS[change.action]) % {"other": change.other, "old": change.old_value}


def _apply_row(row: Row, *, user, result: RowResult, dry_run: bool) -> None:
    name = " ".join(row.get("name").split())
    result.tag = name
    tag_type, canonical, parents = _type(row), _canonical(row), _parents(row.get("parents"))
    tag = Tag.objects.filter(normalized_name=normalize_tag_name(name)).first()
    if tag is None:
        validate_tag_name(name)
        if not tag_type:
            _refuse(_("“%(tag)s” is a new tag: give its type."), tag=name)
        if tag_type in FIXED_TYPES:
            _refuse(_("“%(tag)s” would be a new %(type)s tag; ratings, archive warnings and "
                      "categories are the archive's fixed set."),
                    tag=name, type=Tag.Type(tag_type).label.lower())  # fmt: skip
        tag = find_or_create_tag(name=name, type=tag_type)
        result.changes.append(_("new %(type)s tag") % {"type": tag_type})
    elif tag_type and tag_type != tag.type:
        _refuse(_("“%(tag)s” is a %(type)s tag, not a %(wanted)s tag; a tag's type cannot "
                  "be changed here."),
                tag=tag, type=tag.type, wanted=tag_type)  # fmt: skip

    with wrangling.counting_moves(tag) as moves:
        _wrangle_row(row, tag, canonical, parents, user=user, result=result)
    result.works_moved = moves.works


def _wrangle_row(row: Row, tag: Tag, canonical, parents, *, user, result: RowResult) -> None:
    def record(change: WranglingChange | None) -> None:
        if change is not None:
            result.changes.append(_describe(change))
        tag.refresh_from_db()

    # Compare first: services refuse any call on a fixed tag, even one that changes nothing.
    if canonical is False and tag.canonical:
        record(wrangling.set_canonical(user=user, tag=tag, canonical=False))
    synonym = row.get("synonym_of")
    if synonym == CLEAR and tag.synonym_of_id:
        record(wrangling.make_synonym(user=user, tag=tag, canonical=None))
    elif synonym and synonym != CLEAR:
        target = _existing(synonym)
        if target.pk != tag.synonym_of_id:
            record(wrangling.make_synonym(user=user, tag=tag, canonical=target))
    if canonical is True and not tag.canonical:
        record(wrangling.set_canonical(user=user, tag=tag, canonical=True))
    current = set(tag.parents.values_list("pk", flat=True))
    for remove, parent in parents:
        if remove and parent.pk in current:
            record(wrangling.remove_parent(user=user, tag=tag, parent=parent))
    for remove, parent in parents:
        if not remove and parent.pk not in current:
            record(wrangling.add_parent(user=user, tag=tag, parent=parent))


def apply_row(row: Row, *, user, dry_run: bool = False) -> RowResult:
    """Apply one row in its own transaction: all of it, or none of it and the reason."""
    result = RowResult(row=row)
    try:
        with transaction.atomic():
            _apply_row(row, user=user, result=result, dry_run=dry_run)
    except ValidationError as error:
        result.error = " ".join(error.messages)
    except PermissionDenied as error:
        result.error = str(error)
    if result.error:
        result.changes.clear()
        result.works_moved = 0
    elif not result.changes:
        result.works_moved = 0
    return result


def _key(row: Row) -> str:
    return normalize_tag_name(row.get("name"))


def _named(row: Row) -> set[str]:
    """Names a row refers to (its synonym and anything that may be a parent)."""
    names = _keys(_runs(row.get("parents"))) | {normalize_tag_name(row.get("synonym_of"))}
    return names - {""}


def dependency_order(rows: list[Row]) -> list[Row]:
    """Rows after the rows that define the tags they name; otherwise in file order.

    Rows caught in a cycle keep file order (the services will refuse the cycle).
    """
    by_key = defaultdict(list)
    for index, row in enumerate(rows):
        by_key[_key(row)].append(index)
    waiting = [0] * len(rows)
    dependents = defaultdict(set)
    for index, row in enumerate(rows):
        before = {other for other in by_key[_key(row)] if other < index}
        for name in _named(row) - {_key(row)}:
            before.update(by_key.get(name, ()))
        for other in before:
            dependents[other].add(index)
        waiting[index] = len(before)
    ready = [index for index, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        index = heapq.heappop(ready)
        order.append(index)
        for dependent in dependents[index]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, dependent)
    placed = set(order)
    order += [index for index in range(len(rows)) if index not in placed]
    return [rows[index] for index in order]


def apply_sheet(
    rows: list[Row], *, user, dry_run: bool = False, advance: Callable[[], None] | None = None
) -> Summary:
    """Apply ``rows`` as ``user``; results come back in file order.

    With ``dry_run`` everything runs inside one transaction that is rolled back, so
    the results say what would change (and how many works would move) and nothing is
    kept, not even the queued filter-tag refreshes.
    """
    wrangling.require_wrangler(user)
    results = []
    with transaction.atomic() if dry_run else contextlib.nullcontext():
        for row in dependency_order(rows):
            results.append(apply_row(row, user=user, dry_run=dry_run))
            if advance is not None:
                advance()
        if dry_run:
            transaction.set_rollback(True)
    return Summary(results=sorted(results, key=lambda result: result.row.line))


# The log


def latest_changes(limit: int = 50) -> list[WranglingChange]:
    return list(WranglingChange.objects.select_related("user", "tag", "other")[:limit])


def write_log(changes: Iterable[WranglingChange], stream: TextIO) -> None:
    """The changes as CSV, with the columns of ``LOG_COLUMNS``."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(LOG_COLUMNS)
    for change in changes:
        writer.writerow(
            [
                change.pk,
                change.created_at.isoformat(timespec="seconds"),
                change.user.username if change.user_id else "",
                change.action,
                change.tag.name,
                change.other.name if change.other_id else "",
                change.old_value,
                change.new_value,
                change.reverted_by_id or "",
            ]
        )


def describe_change(change: WranglingChange) -> str:
    """One line for a logged change: “Kylux made a synonym of “Kylo Ren/Armitage Hux””."""
    return f"{change.tag} {_describe(change)}"
