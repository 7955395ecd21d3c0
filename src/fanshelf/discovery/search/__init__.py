"""Full-text search behind one small interface, with a backend per database engine.

- ``sqlite``: FTS5 (the default, embedded setup).
- ``postgresql``: tsvector + GIN, ``websearch``-style queries.

The backend in use follows the ``default`` database's vendor. Callers only use:

``backend().index_works(work_ids)``
    (Re)build the index rows of these works in the current transaction: one row per
    posted chapter of each posted work (title, summary, notes, tags, creators —
    unless anonymous — and the chapter text); works that are not posted lose their rows.
``backend().remove_works(work_ids)``
    Drop their rows.
``backend().filter(queryset, query)``
    The works of ``queryset`` that match ``query`` (a ``SearchQuery`` from
    ``discovery.search.query.parse``), annotated with ``search_rank`` (a float,
    higher is better), without changing the queryset's other filters.
``backend().snippets(work_ids, query)``
    ``{work_id: Snippet(chapter_id, chapter_position, html)}`` — a short highlighted
    excerpt (``<mark>`` around the hits; all other text HTML-escaped) from the
    best-matching chapter of each work.
``backend().rebuild(progress=None)``
    Reindex everything (``fanshelf reindex``).

Queries come from ``parse(text)`` (see ``query``). What is indexed is decided in
``documents``; the rows live in ``discovery.models.SearchChapter`` on both engines,
and each engine indexes them its own way (``sqlite``, ``postgres``).
"""

from django.db import connection

from fanshelf.discovery.search.query import SearchQuery, Term, parse
from fanshelf.discovery.search.snippet import Snippet

__all__ = ["SearchQuery", "Snippet", "Term", "backend", "index_works_tagged", "parse"]

# Works carrying a renamed tag are reindexed at once up to this many, else by a task.
INLINE_REINDEX_LIMIT = 200

_backends: dict = {}


def backend():
    """The search backend for the default database's engine."""
    vendor = connection.vendor
    if vendor not in _backends:
        if vendor == "sqlite":
            from fanshelf.discovery.search.sqlite import SQLiteSearch as backend_class
        elif vendor == "postgresql":
            from fanshelf.discovery.search.postgres import PostgresSearch as backend_class
        else:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"Full-text search has no backend for {vendor}.")
        _backends[vendor] = backend_class()
    return _backends[vendor]


def index_works_tagged(tag_ids) -> None:
    """Reindex the works carrying these tags (after a rename changed their text).

    A few works are reindexed at once, in the caller's transaction; more by a
    background task queued when the transaction commits.
    """
    from fanshelf.discovery.search import tasks
    from fanshelf.works.models import Work

    tag_ids = sorted(set(tag_ids))
    tagged = Work.tags.through.objects.filter(tag_id__in=tag_ids).values_list("work_id", flat=True)
    work_ids = list(tagged[: INLINE_REINDEX_LIMIT + 1])
    if len(work_ids) <= INLINE_REINDEX_LIMIT:
        backend().index_works(work_ids)
    else:
        tasks.reindex_tagged_after_commit(tag_ids)
