"""``fanshelf backup``: the whole archive as one zip, read in one consistent snapshot.

The zip holds ``manifest.json`` (version, date, engine, applied migrations, row counts),
``data/<app_label>.<model>.jsonl`` (one JSON object per row, in primary-key order) and
``media/...`` (the files under the default storage). Every model of every installed
app is written, whoever added it, except the ones in ``EXCLUDED``: what is rebuilt
after a restore or has no value in another archive.

Rows are written as Django's serializers shape them (``{"model", "pk", "fields"}``),
with two differences: many-to-many links are written as rows of their own through
tables (so a restore inserts them in bulk, like any model), and only content types and
permissions are referred to by natural key (they are created by ``migrate`` in the
target archive, with ids of their own).
"""

import contextlib
import datetime
import importlib.metadata
import json
import time
import zipfile
from collections.abc import Callable, Iterator

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.serializers import python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from fanshelf.downloads import storage as download_storage

FORMAT = "fanshelf-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data/"
MEDIA_DIR = "media/"
CHUNK = 2000

# Left out of every backup:
# - sessions: signed-in browsers of this server, not worth keeping;
# - the task queue (django_tasks_database): work in flight belongs to this server;
# - the search index rows (discovery.SearchChapter) and, with them, the SQLite FTS5
#   table or PostgreSQL tsvector: ``restore`` rebuilds them from the works;
# - download files (downloads.DownloadFile, and ``downloads/`` in the media): a cache,
#   written again when someone downloads;
# - content types and permissions: ``migrate`` creates them in the target archive;
#   rows pointing at them are written with natural keys.
# Duplicate-detection fingerprints (imports.WorkFingerprint, FingerprintBand) are kept:
# they are small and only rebuilt when a work is imported or edited.
EXCLUDED = {
    "sessions.session",
    "django_tasks_database.dbtaskresult",
    "discovery.searchchapter",
    "downloads.downloadfile",
    "contenttypes.contenttype",
    "auth.permission",
}
EXCLUDED_MEDIA = {download_storage.ROOT}


def model_label(model) -> str:
    return model._meta.label_lower


def backed_up_models() -> list:
    """Every model with a table of its own that a backup carries, in a stable order.

    Many-to-many through tables are included; proxies, unmanaged and swapped-out
    models are not (they have no table of their own). Foreign keys are checked at the
    end of the restore transaction, so the order only needs to be stable.
    """
    models = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped:
            continue
        if model_label(model) in EXCLUDED:
            continue
        models.append(model)
    return sorted(models, key=model_label)


def data_name(model) -> str:
    return f"{DATA_DIR}{model_label(model)}.jsonl"


class BackupEncoder(DjangoJSONEncoder):
    """Django's encoder, keeping microseconds (Django's cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def encode_row(row: dict) -> bytes:
    return (json.dumps(row, cls=BackupEncoder, ensure_ascii=False, sort_keys=True) + "\n").encode()


class RowSerializer(python.Serializer):
    """One dict per row; foreign keys by id, except to content types and permissions."""

    def __init__(self, natural_keys: dict):
        super().__init__()
        # {related model: {pk: natural key}}: looked up once, not once per row.
        self.natural_keys = natural_keys

    def handle_fk_field(self, obj, field):
        keys = self.natural_keys.get(field.remote_field.model)
        if keys is None:
            return super().handle_fk_field(obj, field)
        value = getattr(obj, field.attname)
        self._current[field.name] = None if value is None else list(keys[value])

    def handle_m2m_field(self, obj, field):
        """Nothing: the through table's rows are written as a model of their own."""

    def rows(self, objects) -> Iterator[dict]:
        for obj in objects:
            self.serialize([obj])
            yield self.objects[0]


def natural_keys() -> dict:
    return {
        ContentType: {ct.pk: ct.natural_key() for ct in ContentType.objects.all()},
        Permission: {
            p.pk: p.natural_key() for p in Permission.objects.select_related("content_type")
        },
    }


@contextlib.contextmanager
def read_snapshot():
    """One read transaction: every table is read as it was at the same moment.

    PostgreSQL: ``REPEATABLE READ`` keeps the snapshot taken by the first query for
    the whole transaction (READ ONLY, so it never blocks or fails writers).
    SQLite: the archive runs in WAL mode (settings.database_config), where a read
    transaction sees the database as of its first read until it ends, while writers
    go on appending to the WAL. Django's ``atomic`` would ``BEGIN IMMEDIATE`` (the
    archive's transaction mode) and take the write lock for the whole backup, so a
    plain deferred ``BEGIN`` is issued instead. Inside an outer transaction (tests,
    callers with their own), that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


class NotMigrated(Exception):
    """The archive's database lags behind its code: its tables are not all there."""


def check_migrated() -> None:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise NotMigrated("This archive has unapplied migrations: run `fanshelf migrate` first.")


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def media_files(folder: str = "") -> Iterator[str]:
    """Every file name under the default storage, the download cache left out."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        path = f"{folder}/{sub}" if folder else sub
        if path not in EXCLUDED_MEDIA:
            yield from media_files(path)


def _entry(zf: zipfile.ZipFile, name: str):
    """A new member to stream into, dated now (``ZipFile.open`` would date it 1980)."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return zf.open(info, "w", force_zip64=True)


def write_backup(*, file, progress: Callable[[str, int], None] | None = None) -> dict:
    """Write the archive's backup zip to ``file`` (a path or a binary file); returns the manifest.

    Raises ``NotMigrated`` (before writing anything) when migrations are pending.

    Rows are streamed table by table (``CHUNK`` rows per query), never held all in
    memory. ``progress(model_label, rows)`` is called after each table is written.
    Media files are copied after the data, outside the snapshot: a file added in
    between is carried without a row pointing at it, which a restore ignores.
    """
    check_migrated()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "fanshelf_version": importlib.metadata.version("fanshelf"),
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "models": {},
        "media": [],
    }
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        with read_snapshot():
            manifest["migrations"] = applied_migrations()
            serializer = RowSerializer(natural_keys())
            tables = set(connection.introspection.table_names())
            for model in backed_up_models():
                if model._meta.db_table not in tables:
                    continue  # a model whose migration is not written yet: no rows to keep
                count = 0
                rows = model._base_manager.order_by("pk").iterator(chunk_size=CHUNK)
                with _entry(zf, data_name(model)) as entry:
                    for row in serializer.rows(rows):
                        entry.write(encode_row(row))
                        count += 1
                manifest["models"][model_label(model)] = count
                if progress:
                    progress(model_label(model), count)
        for name in media_files():
            with (
                default_storage.open(name, "rb") as source,
                _entry(zf, MEDIA_DIR + name) as entry,
            ):
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    entry.write(chunk)
            manifest["media"].append(name)
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
    return manifest
