"""What both search backends share: keeping the rows in step, rebuilding, filtering."""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import BigIntegerField, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from fanshelf.discovery.models import SearchChapter
from fanshelf.discovery.search import documents
from fanshelf.discovery.search.joins import join_matches
from fanshelf.discovery.search.query import SearchQuery
from fanshelf.discovery.search.snippet import Snippet

REBUILD_BATCH = 200


class SearchBackend:
    """Keeps ``SearchChapter`` rows in step; subclasses add matching and snippets."""

    vendor = ""

    def index_works(self, work_ids: Iterable[int]) -> int:
        """(Re)build the rows of these works; returns how many rows were written.

        Rows whose text has not changed are left alone, so calling it again is cheap.
        Runs in the caller's transaction.
        """
        work_ids = sorted(set(work_ids))
        if not work_ids:
            return 0
        wanted = {row.pk: row for row in documents.rows_for(work_ids)}
        existing = dict(
            SearchChapter.objects.filter(work_id__in=work_ids).values_list("pk", "digest")
        )
        stale = [
            pk for pk, digest in existing.items() if pk not in wanted or wanted[pk].digest != digest
        ]
        new = [row for pk, row in wanted.items() if existing.get(pk) != row.digest]
        with transaction.atomic():
            if stale:
                SearchChapter.objects.filter(pk__in=stale).delete()
            SearchChapter.objects.bulk_create(new, batch_size=100)
        return len(new) + sum(1 for pk in stale if pk not in wanted)

    def remove_works(self, work_ids: Iterable[int]) -> None:
        """Drop the rows of these works."""
        SearchChapter.objects.filter(work_id__in=list(work_ids)).delete()

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> dict:
        """Reindex every posted work, ``REBUILD_BATCH`` works to a transaction.

        Then drops the rows of works that are not posted and has the engine rebuild
        its own index from the rows. ``progress(done, total)`` is called after each
        batch. Returns counts for a summary: ``works`` (posted works), ``rows``
        (chapters in the index) and ``written`` (rows added, changed or dropped).
        """
        from fanshelf.works.models import Work

        posted = Work.objects.filter(state=Work.State.POSTED).order_by("pk")
        work_ids = list(posted.values_list("pk", flat=True))
        written = 0
        if progress:
            progress(0, len(work_ids))
        for start in range(0, len(work_ids), REBUILD_BATCH):
            batch = work_ids[start : start + REBUILD_BATCH]
            with transaction.atomic():
                written += self.index_works(batch)
            if progress:
                progress(min(start + REBUILD_BATCH, len(work_ids)), len(work_ids))
        with transaction.atomic():
            unposted = SearchChapter.objects.exclude(work__state=Work.State.POSTED)
            written += unposted.delete()[0]
            self.rebuild_index()
        return {"works": len(work_ids), "rows": SearchChapter.objects.count(), "written": written}

    def rebuild_index(self) -> None:
        """Rebuild the engine's own index from the rows (after ``rebuild``)."""

    def filter(self, queryset: QuerySet, query: SearchQuery) -> QuerySet:
        """The works of ``queryset`` matching ``query``, annotated with ``search_rank``."""
        if query.excluded:
            sql, params = self.matching_works_sql(query.excluded, any_term=True)
            # The SQL is fixed; the words are parameters.
            work_ids = RawSQL(sql, params, output_field=BigIntegerField())  # noqa: S611
            queryset = queryset.exclude(pk__in=work_ids)
        if not query.included:
            return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
        return join_matches(
            queryset,
            ranked=self.ranked_works_sql(query.included),
            unranked=self.matching_works_sql(query.included, any_term=False),
        )

    def matching_works_sql(self, terms, *, any_term: bool) -> tuple[str, list]:
        """SQL selecting ``work_id`` of works with all (or any) of ``terms`` (repeats allowed)."""
        raise NotImplementedError

    def ranked_works_sql(self, terms) -> tuple[str, list]:
        """SQL selecting ``work_id, rank`` for the works with all ``terms``, one row each."""
        raise NotImplementedError

    def snippets(self, work_ids: Iterable[int], query: SearchQuery) -> dict[int, Snippet]:
        raise NotImplementedError
