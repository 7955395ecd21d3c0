"""The covering index of 0006 on PostgreSQL: ``id`` with the listing columns INCLUDEd.

A listing that starts from a tag's works looks each one up by id; on PostgreSQL each
lookup read a heap page of the (wide) works table: most of the 138 ms of a listing
that checks 35,000 works at a million (docs/performance.md). With the columns the
filters and sorts read INCLUDEd in an index on ``id``, the lookups become index-only
scans. Django's ``Index(include=…)`` would do on PostgreSQL, but it would put an
index in the model's state that SQLite builds differently (0006).
"""

from django.db import migrations

from fanshelf.works.migrations._listing_columns import COLUMNS

INDEX = "work_listing_covering_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        included = ", ".join(f'"{column}"' for column in COLUMNS[1:])
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "works_work" ("id") INCLUDE ({included})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("works", "0006_sqlite_listing_index")]

    operations = [migrations.RunPython(create, drop)]
