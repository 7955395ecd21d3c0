"""Search on SQLite: an FTS5 table over ``SearchChapter`` (see migration 0001).

The FTS5 table keeps no text of its own (``content=discovery_searchchapter``);
triggers on that table feed it in the same transaction. Its tokenizer is
``porter unicode61 remove_diacritics 2``: words are cut at anything that is not a
letter or digit, case and accents are folded (``café`` finds ``Cafe``) and English
endings are stemmed (``kissing`` finds ``kiss``), like PostgreSQL's ``english``
configuration on the other backend.

Queries are FTS5 MATCH expressions in which every word or phrase is a double-quoted
string, so FTS5 reads nothing in it as syntax, and the whole expression is a query
parameter. Ranking is bm25 with column weights (title 10, tags 5, creators 5,
summary 3, notes 1, text 1) over the best chapter of each work.
"""

# The SQL here is put together from fixed table and column names and %s placeholders
# only; what a reader typed is always passed as a parameter.
# ruff: noqa: S608

from collections.abc import Iterable

from django.db import connection

from fanshelf.discovery.models import CHAPTER_BITS, SearchChapter, search_row_id
from fanshelf.discovery.search.base import SearchBackend
from fanshelf.discovery.search.query import SearchQuery, Term
from fanshelf.discovery.search.snippet import (
    HIT_END,
    HIT_START,
    SNIPPET_WORDS,
    Snippet,
    snippet_html,
)

FTS_TABLE = "discovery_searchchapter_fts"
# bm25 weights in the FTS5 table's column order: title, summary, notes, tags,
# creators, body.
BM25 = f"bm25({FTS_TABLE}, 10.0, 3.0, 1.0, 5.0, 5.0, 1.0)"
BODY_COLUMN = 5


def fts_string(words: Iterable[str]) -> str:
    """An FTS5 string: double quotes around, double quotes inside doubled."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def match_expression(terms: Iterable[Term], *, any_term: bool = False) -> str:
    """The FTS5 MATCH expression for ``terms``: all of them, or any with ``any_term``."""
    parts = []
    for term in terms:
        string = fts_string(term.words)
        # Column names come from a fixed list (Term checks), never from the text.
        parts.append(f"{term.field} : {string}" if term.field else string)
    return (" OR " if any_term else " AND ").join(parts)


class SQLiteSearch(SearchBackend):
    vendor = "sqlite"

    def matching_works_sql(self, terms, *, any_term: bool) -> tuple[str, list]:
        sql = (
            f"SELECT rowid >> {CHAPTER_BITS} AS work_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        )
        return sql, [match_expression(terms, any_term=any_term)]

    def ranked_works_sql(self, terms) -> tuple[str, list]:
        # bm25() only works in a plain scan of the FTS table; LIMIT -1 keeps SQLite
        # from flattening that scan into the GROUP BY (its flattener never merges a
        # subquery with a LIMIT into an aggregate query).
        sql = (
            "SELECT work_id, -min(score) AS rank FROM ("
            f"SELECT rowid >> {CHAPTER_BITS} AS work_id, {BM25} AS score "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT -1"
            ") GROUP BY work_id"
        )
        return sql, [match_expression(terms)]

    def snippets(self, work_ids: Iterable[int], query: SearchQuery) -> dict[int, Snippet]:
        """The excerpt of each work's best-matching chapter, hits marked.

        The best-matching chapter is the first whose own text has every word searched
        for (without a field prefix), else the first that matches at all. Not bm25:
        bm25 reads how common each word is in the whole archive again for every
        statement, which would make the snippets of a page cost more than its search.
        Each statement is bounded to one work's row ids (a seek in the index).
        """
        if not query.included:
            return {}
        match = match_expression(query.included)
        free = [term for term in query.included if term.field is None]
        in_text = f"({match}) AND body : ({match_expression(free)})" if free else None
        best: dict[int, int] = {}
        with connection.cursor() as cursor:
            for work_id in dict.fromkeys(work_ids):
                matching = self._rows_of_work(cursor, match, work_id)
                if len(matching) > 1 and in_text:
                    matching = self._rows_of_work(cursor, in_text, work_id) or matching
                if matching:
                    best[work_id] = min(matching)
            excerpts = {}
            for row_id in best.values():
                cursor.execute(
                    f"SELECT snippet({FTS_TABLE}, {BODY_COLUMN}, %s, %s, '…', {SNIPPET_WORDS}) "
                    f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid = %s",
                    [HIT_START, HIT_END, match, row_id],
                )
                excerpts[row_id] = cursor.fetchone()[0] or ""
        rows = SearchChapter.objects.filter(pk__in=best.values())
        chapters = {
            pk: (chapter_id, position)
            for pk, chapter_id, position in rows.values_list("pk", "chapter_id", "position")
        }
        return {
            work_id: Snippet(*chapters[row_id], snippet_html(excerpts[row_id]))
            for work_id, row_id in best.items()
            if row_id in chapters
        }

    @staticmethod
    def _rows_of_work(cursor, match: str, work_id: int) -> list[int]:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s",
            [match, search_row_id(work_id, 0), search_row_id(work_id + 1, 0) - 1],
        )
        return [row_id for (row_id,) in cursor.fetchall()]

    def rebuild_index(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
