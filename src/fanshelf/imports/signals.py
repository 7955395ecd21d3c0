"""Keeping near-duplicate fingerprints in step with the archive.

Connected in ``ImportsConfig.ready()``. ``work_posted`` and ``chapter_posted`` are
sent after the change commits; each receiver recomputes the work's fingerprint in
its own transaction. A receiver that fails logs the error instead of raising it:
the post is already saved, and ``fanshelf duplicates`` (or the next
``similar_works``) fingerprints whatever was missed.
"""

import logging

from fanshelf.imports.duplicates import update_fingerprint, works_needing_fingerprints
from fanshelf.works.models import Chapter, Work

logger = logging.getLogger(__name__)


def on_work_posted(sender, *, work: Work, **kwargs) -> None:
    """A work was posted: fingerprint its text."""
    _update(work)


def on_chapter_posted(sender, *, chapter: Chapter, **kwargs) -> None:
    """A chapter of a posted work was posted: the work's text changed."""
    _update(chapter.work)


def _update(work: Work) -> None:
    try:
        # An import stores the fingerprint with the work (duplicates.store_fingerprint).
        if works_needing_fingerprints([work]):
            update_fingerprint(work)
    except Exception:
        logger.exception("Could not fingerprint work %s", work.pk)
