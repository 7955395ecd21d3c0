"""``fanshelf restore``: load a backup zip (``snapshot``) into an empty archive.

All or nothing: the rows are loaded in one transaction, foreign keys checked at its
end (Django declares them DEFERRABLE INITIALLY DEFERRED on PostgreSQL and SQLite), so
a bad file leaves the archive as it was. Rows are inserted in bulk and raw (as
``loaddata`` does: no ``save()``, no signals, ``auto_now`` dates kept as written).
"""

import json
import zipfile
import zlib

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers import base, python
from django.db import DatabaseError, IntegrityError, connection, transaction

from fanshelf.discovery import search
from fanshelf.portability import snapshot

BATCH = 500


class RestoreError(Exception):
    """Why a backup cannot be restored, in one line for the operator."""


def open_backup(file) -> tuple[zipfile.ZipFile, dict]:
    """The zip and its manifest; ``RestoreError`` when it is not a Fanshelf backup."""
    try:
        zf = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as error:
        raise RestoreError(f"Not a backup zip: {error}.") from None
    try:
        manifest = json.loads(zf.read(snapshot.MANIFEST))
    except KeyError:
        raise RestoreError("Not a Fanshelf backup: the zip has no manifest.json.") from None
    except (ValueError, zipfile.BadZipFile) as error:
        raise RestoreError(f"The backup's manifest.json is damaged: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != snapshot.FORMAT:
        raise RestoreError("Not a Fanshelf backup: manifest.json is not a backup manifest.")
    if manifest.get("format_version") != snapshot.FORMAT_VERSION:
        raise RestoreError(
            f"This backup has format version {manifest.get('format_version')}; this Fanshelf "
            f"reads version {snapshot.FORMAT_VERSION}."
        )
    return zf, manifest


def check_migrations(manifest: dict) -> None:
    """The archive's schema must be the backup's: same migrations applied, none pending."""
    try:
        snapshot.check_migrated()
    except snapshot.NotMigrated as error:
        raise RestoreError(str(error)) from None
    here = snapshot.applied_migrations()
    there = manifest.get("migrations") or {}
    newer = sorted(
        f"{app}.{name}" for app in there for name in set(there[app]) - set(here.get(app, []))
    )
    older = sorted(
        f"{app}.{name}" for app in here for name in set(here[app]) - set(there.get(app, []))
    )
    if newer:
        raise RestoreError(
            f"The backup was made by a newer Fanshelf (migrations {', '.join(newer[:3])}"
            f"{' …' if len(newer) > 3 else ''} are not in this one): upgrade, migrate, "
            "then restore."
        )
    if older:
        raise RestoreError(
            f"The backup was made by an older Fanshelf (without migrations "
            f"{', '.join(older[:3])}{' …' if len(older) > 3 else ''}): restore it with that "
            "version, then upgrade."
        )


def check_empty() -> None:
    from fanshelf.accounts.models import User
    from fanshelf.works.models import Work

    if User.objects.exists() or Work.objects.exists():
        raise RestoreError(
            "This archive is not empty (it has users or works): restore only into a new, "
            "migrated archive."
        )


def _rows(zf: zipfile.ZipFile, name: str):
    try:
        entry = zf.open(name)
    except KeyError:
        raise RestoreError(f"The backup has no {name}, which its manifest lists.") from None
    with entry:
        for number, line in enumerate(entry, start=1):
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or "pk" not in row or "fields" not in row:
                    raise ValueError("not a row")
            except ValueError:
                raise RestoreError(f"{name} line {number}: not a valid row.") from None
            yield number, row


def _load_model(zf: zipfile.ZipFile, model) -> int:
    name = snapshot.data_name(model)
    fields = model._meta.local_concrete_fields
    batch, count = [], 0

    def flush():
        model._base_manager._insert(batch, fields=fields, raw=True, using=connection.alias)
        batch.clear()

    for number, row in _rows(zf, name):
        if row.get("model") != snapshot.model_label(model):
            raise RestoreError(f"{name} line {number}: a row of another model.")
        try:
            (obj,) = python.Deserializer([row])
        except (
            base.DeserializationError,
            FieldDoesNotExist,
            ValidationError,
            ValueError,
            LookupError,
            TypeError,
        ) as error:
            raise RestoreError(f"{name} line {number}: {error}".splitlines()[0]) from None
        batch.append(obj.object)
        count += 1
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return count


def _clear(models) -> None:
    """Empty the tables a fresh ``migrate`` filled (default tags): the backup has its own."""
    for model in reversed(models):
        queryset = model._base_manager.all()
        queryset._raw_delete(connection.alias)


def _restore_media(zf: zipfile.ZipFile, manifest: dict) -> None:
    for name in manifest.get("media") or []:
        if name.startswith("/") or ".." in name.split("/"):
            raise RestoreError(f"The backup holds a media file outside the media folder: {name}.")
        if default_storage.exists(name):
            default_storage.delete(name)
        with zf.open(snapshot.MEDIA_DIR + name) as source:
            saved = default_storage.save(name, File(source, name=name))
        if saved != name:  # written meanwhile by someone else: the rows point at ``name``
            raise RestoreError(f"Could not restore the media file {name}: the name is taken.")


def restore_backup(*, file, progress=None) -> dict:
    """Load the backup ``file`` (path or binary file) into this empty archive.

    Checks the manifest, the migrations and that the archive has no users or works,
    then loads every table in one transaction, resets the id sequences, copies the
    media files and rebuilds the search index. Returns ``{model label: rows}``.
    ``progress(model_label, rows)`` is called after each table. Raises
    ``RestoreError`` (nothing changed in the database) when anything is wrong.
    """
    zf, manifest = open_backup(file)
    with zf:
        check_migrations(manifest)
        check_empty()
        by_label = {snapshot.model_label(model): model for model in snapshot.backed_up_models()}
        listed = manifest.get("models") or {}
        if not isinstance(listed, dict):
            raise RestoreError("The backup's manifest.json is damaged: no table list.")
        unknown = sorted(set(listed) - set(by_label))
        if unknown:
            raise RestoreError(
                f"The backup has tables this archive does not: {', '.join(unknown)}."
            )
        models = [by_label[label] for label in sorted(listed)]
        loaded = {}
        try:
            with transaction.atomic():
                tables = set(connection.introspection.table_names())
                _clear([m for m in by_label.values() if m._meta.db_table in tables])
                for model in models:
                    loaded[snapshot.model_label(model)] = _load_model(zf, model)
                    if progress:
                        progress(snapshot.model_label(model), loaded[snapshot.model_label(model)])
                connection.check_constraints(table_names=[m._meta.db_table for m in models])
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), models):
                        cursor.execute(sql)
                search.backend().rebuild()
                _restore_media(zf, manifest)
        except IntegrityError as error:
            raise RestoreError(
                f"The backup's rows do not fit together: {error}".splitlines()[0]
            ) from None
        except (DatabaseError, OSError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise RestoreError(f"The backup could not be loaded: {error}".splitlines()[0]) from None
    cache.clear()
    return loaded
