from django.db import models

# A chapter's row id packs its work and position, so the SQLite full-text index can
# tell a match's work from the row id alone (``rowid >> 16``) and seek to one work's
# chapters by a row id range, without reading another table.
CHAPTER_BITS = 16
MAX_CHAPTERS = (1 << CHAPTER_BITS) - 1


def search_row_id(work_id: int, position: int) -> int:
    return (work_id << CHAPTER_BITS) | position


class SearchChapter(models.Model):
    """The searchable text of one posted chapter of a posted work.

    Kept by ``discovery.search`` in the same transaction as the work, one row per
    posted chapter, each carrying the work's own fields too (title, summary, notes,
    tags, creators), so one row answers a query that mixes them with the chapter
    text. All text is plain (from ``fanshelf.text.html_to_text``).

    Each database adds its index in the migration: on SQLite an FTS5 table that reads
    its text from this one, kept in step by triggers (a schema change that rebuilds
    this table on SQLite must create them again: see migration 0001); on PostgreSQL a
    generated, weighted ``document`` tsvector column with a GIN index, which this
    model does not declare because only SQL reads it.
    """

    id = models.BigIntegerField(primary_key=True)  # search_row_id(work, position)
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey("works.Chapter", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    creators = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # A hash of the text above: reindexing skips rows whose text has not changed.
    digest = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"chapter {self.position} of work {self.work_id}"
