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
"""
