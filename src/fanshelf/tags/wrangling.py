"""Wrangling: making tags canonical, merging synonyms, attaching fandoms and meta tags.

Only wranglers (and admins) may wrangle. Every action checks its rule and refuses
with a message naming the tag and the rule, runs in one transaction, is logged as a
``WranglingChange`` (who, what, when) that can be reverted, and queues a background
refresh of the filter tags of the works it moves.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fanshelf.accounts.roles import has_role
from fanshelf.discovery import search
from fanshelf.tags import graph
from fanshelf.tags.models import Tag, WranglingChange, normalize_tag_name
from fanshelf.tags.services import validate_tag_name
from fanshelf.tags.tasks import refresh_after_commit

Action = WranglingChange.Action
WRANGLER_ROLES = {"wrangler", "admin"}


def can_wrangle(user) -> bool:
    """Whether ``user`` may wrangle tags."""
    return has_role(user, WRANGLER_ROLES)


def require_wrangler(user) -> None:
    if not can_wrangle(user):
        raise PermissionDenied(_("Only tag wranglers can wrangle tags."))


def _refuse(message: str, **names) -> None:
    raise ValidationError(message % names)


def _not_fixed(tag: Tag) -> None:
    if tag.is_fixed:
        _refuse(_("“%(tag)s” is one of the archive's fixed tags and is not wrangled."), tag=tag)


def _fresh(tag: Tag | None) -> Tag | None:
    """The tag as the database has it now, locked for this transaction."""
    return None if tag is None else Tag.objects.select_for_update().get(pk=tag.pk)


def _log(user, action: str, tag: Tag, other: Tag | None = None, old="", new="") -> WranglingChange:
    return WranglingChange.objects.create(
        user=user, action=action, tag=tag, other=other, old_value=old, new_value=new
    )


@dataclass
class Moves:
    works: int = 0


@contextmanager
def counting_moves(tag: Tag) -> Iterator[Moves]:
    """Count the works whose filter tags the wrangles of ``tag`` inside the block change.

    Compares what the graph says each candidate work should be found under before
    and after, so it is exact whether or not the refresh task has run yet; inside a
    transaction that is then rolled back, it previews a wrangle ("this will move N
    works") without changing anything.
    """
    moves = Moves()
    candidates = sorted(graph.works_using([tag.pk]))
    before = graph.wanted_filter_tags(candidates)
    try:
        yield moves
    finally:
        after = graph.wanted_filter_tags(candidates)
        moves.works = sum(1 for work_id in candidates if before[work_id] != after[work_id])


class _DryRun(Exception):
    pass


def dry_run(tag: Tag, apply: Callable[[], WranglingChange | None]) -> tuple:
    """Run ``apply`` (a wrangle of ``tag``) and roll it back.

    Returns the change it would log (None if it would change nothing) and how many
    works it would move; a refusal is raised as the real action would raise it.
    """
    try:
        with transaction.atomic(), counting_moves(tag) as moves:
            change = apply()
            raise _DryRun
    except _DryRun:
        pass
    return change, moves.works


@transaction.atomic
def set_canonical(*, user, tag: Tag, canonical: bool = True) -> WranglingChange | None:
    """Make ``tag`` canonical (or not). Returns the logged change, or None if no change."""
    require_wrangler(user)
    tag = _fresh(tag)
    _not_fixed(tag)
    if tag.canonical == canonical:
        return None
    if canonical and tag.synonym_of_id:
        _refuse(
            _("“%(tag)s” is a synonym of “%(canonical)s”; a synonym cannot be canonical."),
            tag=tag,
            canonical=tag.synonym_of,
        )
    if not canonical and tag.synonyms.exists():
        _refuse(
            _("“%(tag)s” still has synonyms; move them to another canonical tag first."), tag=tag
        )
    if not canonical and tag.children.exists():
        _refuse(_("“%(tag)s” still has sub tags; remove them first."), tag=tag)
    tag.canonical = canonical
    tag.save(update_fields=["canonical"])
    refresh_after_commit([tag.pk])
    return _log(user, Action.CANONICAL if canonical else Action.UNCANONICAL, tag)


@transaction.atomic
def make_synonym(*, user, tag: Tag, canonical: Tag | None) -> WranglingChange | None:
    """Make ``tag`` another name for ``canonical`` (or, with None, for nothing)."""
    require_wrangler(user)
    tag, canonical = _fresh(tag), _fresh(canonical)
    _not_fixed(tag)
    if canonical is not None and canonical.pk == tag.synonym_of_id:
        return None
    if canonical is None:
        if tag.synonym_of_id is None:
            return None
        old = tag.synonym_of
        tag.synonym_of = None
        tag.save(update_fields=["synonym_of"])
        refresh_after_commit([tag.pk, old.pk])
        return _log(user, Action.UNSYNONYM, tag, other=old)
    if canonical.pk == tag.pk:
        _refuse(_("“%(tag)s” cannot be a synonym of itself."), tag=tag)
    if not canonical.canonical:
        _refuse(
            _("“%(canonical)s” is not canonical; a synonym must point at a canonical tag."),
            canonical=canonical,
        )
    if canonical.type != tag.type:
        _refuse(
            _("“%(tag)s” is a %(type)s tag but “%(canonical)s” is a %(other)s tag; "
              "synonyms must be of the same type."),
            tag=tag, type=tag.get_type_display().lower(), canonical=canonical,
            other=canonical.get_type_display().lower(),
        )  # fmt: skip
    if tag.canonical:
        _refuse(_("“%(tag)s” is canonical; make it not canonical before merging it."), tag=tag)
    old = tag.synonym_of
    tag.synonym_of = canonical
    tag.save(update_fields=["synonym_of"])
    refresh_after_commit([tag.pk, canonical.pk] + ([old.pk] if old else []))
    return _log(user, Action.SYNONYM, tag, other=canonical, old=old.name if old else "")


@transaction.atomic
def add_parent(*, user, tag: Tag, parent: Tag) -> WranglingChange | None:
    """Put ``tag`` under ``parent``: a fandom, or a meta tag of the same type."""
    require_wrangler(user)
    tag, parent = _fresh(tag), _fresh(parent)
    _not_fixed(tag)
    if not parent.canonical:
        _refuse(_("“%(parent)s” is not canonical; only canonical tags can be parents."),
                parent=parent)  # fmt: skip
    if parent.type != Tag.Type.FANDOM and parent.type != tag.type:
        _refuse(
            _("“%(parent)s” is a %(type)s tag: a tag's parents are fandoms or meta tags "
              "of its own type."),
            parent=parent, type=parent.get_type_display().lower(),
        )  # fmt: skip
    if parent.pk == tag.pk or parent.pk in graph.descendants([tag.pk]):
        _refuse(
            _("Putting “%(tag)s” under “%(parent)s” would make a cycle: “%(parent)s” is "
              "already below it."),
            tag=tag, parent=parent,
        )  # fmt: skip
    if tag.parents.filter(pk=parent.pk).exists():
        return None
    tag.parents.add(parent)
    refresh_after_commit([tag.pk])
    return _log(user, Action.ADD_PARENT, tag, other=parent)


@transaction.atomic
def remove_parent(*, user, tag: Tag, parent: Tag) -> WranglingChange | None:
    require_wrangler(user)
    tag, parent = _fresh(tag), _fresh(parent)
    if not tag.parents.filter(pk=parent.pk).exists():
        return None
    tag.parents.remove(parent)
    refresh_after_commit([tag.pk, parent.pk])
    return _log(user, Action.REMOVE_PARENT, tag, other=parent)


@transaction.atomic
def rename(*, user, tag: Tag, name: str) -> WranglingChange | None:
    """Give ``tag`` a new name; works keep it, so their filters do not change."""
    require_wrangler(user)
    tag = _fresh(tag)
    _not_fixed(tag)
    name = " ".join((name or "").split())
    validate_tag_name(name)
    if name == tag.name:
        return None
    clash = Tag.objects.filter(normalized_name=normalize_tag_name(name)).exclude(pk=tag.pk).first()
    if clash:
        _refuse(_("There is already a tag called “%(name)s”."), name=clash)
    old = tag.name
    tag.name = name
    tag.save(update_fields=["name", "normalized_name"])
    search.index_works_tagged([tag.pk])
    return _log(user, Action.RENAME, tag, old=old, new=name)


def _former_canonical(name: str) -> Tag | None:
    if not name:
        return None
    former = Tag.objects.filter(normalized_name=normalize_tag_name(name)).first()
    if former is None:
        _refuse(_("The former canonical tag “%(name)s” no longer exists."), name=name)
    return former


@transaction.atomic
def revert(*, user, change: WranglingChange) -> WranglingChange:
    """Undo a logged change with the opposite action, itself logged."""
    require_wrangler(user)
    if change.reverted_by_id:
        raise ValidationError(_("This change was already reverted."))
    tag, other = change.tag, change.other
    undo = {
        Action.CANONICAL: lambda: set_canonical(user=user, tag=tag, canonical=False),
        Action.UNCANONICAL: lambda: set_canonical(user=user, tag=tag, canonical=True),
        Action.SYNONYM: lambda: make_synonym(
            user=user, tag=tag, canonical=_former_canonical(change.old_value)
        ),
        Action.UNSYNONYM: lambda: make_synonym(user=user, tag=tag, canonical=other),
        Action.ADD_PARENT: lambda: remove_parent(user=user, tag=tag, parent=other),
        Action.REMOVE_PARENT: lambda: add_parent(user=user, tag=tag, parent=other),
        Action.RENAME: lambda: rename(user=user, tag=tag, name=change.old_value),
    }[change.action]
    reverting = undo()
    if reverting is None:
        raise ValidationError(_("Nothing to revert: the tag is already as it was."))
    change.reverted_by = reverting
    change.save(update_fields=["reverted_by"])
    return reverting
