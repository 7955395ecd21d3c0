"""Where written download files live: Django's default storage, under ``downloads/``.

Files are named ``downloads/<work_id>/<revision>.<extension>``: a new revision of a
work gets a new name, so a file is never rewritten in place while someone reads it.
The storage is not served as it is (downloads go through the permission checks in
``services``), so a restricted work's file is only ever sent by the view.
"""

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

ROOT = "downloads"


def file_name(*, work_id: int, revision: str, extension: str) -> str:
    return f"{ROOT}/{work_id}/{revision}.{extension}"


def save(name: str, content: bytes) -> str:
    """Store ``content`` as ``name``, replacing a file left there; returns the name used.

    A leftover file (from a writer that crashed before recording it) is removed
    first. Should another writer store the same name in between, the storage picks a
    free name instead, which is returned and recorded, so nothing is overwritten.
    """
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def open_file(name: str) -> File:
    """The stored file, opened for reading; ``FileNotFoundError`` when it is gone."""
    return default_storage.open(name, "rb")


def delete(names) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def delete_work_files(work_id: int) -> None:
    """Remove every file written for a work (when the work is deleted)."""
    folder = f"{ROOT}/{work_id}"
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    delete(f"{folder}/{file}" for file in files)
