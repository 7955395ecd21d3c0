"""How an archived work names its creators: "by Anna K [archived by open_doors]".

Until they claim it, the creators of a work an archivist imported for them
(``imports.archive``) are shown by the names their old archive gave them, and the
archivist only in brackets, as on AO3's Open Doors works.
"""

from dataclasses import dataclass, field

from django import template

from fanshelf.imports.archive import ARCHIVING_ROLES
from fanshelf.imports.models import ExternalCreatorship

register = template.Library()


@dataclass
class ArchiveCredit:
    names: list[str]
    creatorships: list = field(default_factory=list)  # creators who are users
    archivists: list = field(default_factory=list)  # the archivist's creatorships


def _external_creatorships(work) -> list[ExternalCreatorship]:
    if "external_creatorships" in getattr(work, "_prefetched_objects_cache", {}):
        return list(work.external_creatorships.all())
    # Not prefetched (a page other than a listing): only an archivist's work can have
    # external creators, so other works cost no query.
    if not any(c.pseud.user.role in ARCHIVING_ROLES for c in work.creatorships.all()):
        return []
    return list(work.external_creatorships.select_related("creator"))


@register.simple_tag
def archive_credit(work) -> ArchiveCredit | None:
    """The credit of an archived work with unclaimed creators, else None."""
    shares = _external_creatorships(work)
    if not shares:
        return None
    archivist_ids = {share.creator.archivist_id for share in shares}
    credit = ArchiveCredit(names=list(dict.fromkeys(share.creator.name for share in shares)))
    for creatorship in work.creatorships.all():
        if creatorship.pseud.user_id in archivist_ids:
            credit.archivists.append(creatorship)
        else:
            credit.creatorships.append(creatorship)
    return credit
