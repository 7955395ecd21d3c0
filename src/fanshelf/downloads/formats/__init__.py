"""The download formats: each a module with ``render(book) -> bytes`` and its media type.

Modules are imported when first used (WeasyPrint is slow to import and not every
process writes PDFs). Each format module defines:

- ``MEDIA_TYPE``: the Content-Type of its files ("application/epub+zip", …);
- ``render(book: fanshelf.downloads.book.Book) -> bytes``: the whole file.
"""

import importlib
from types import ModuleType

EXTENSIONS = ["epub", "pdf", "html", "txt"]


def format_module(extension: str) -> ModuleType:
    """The module that writes ``extension`` files; KeyError for an unknown extension."""
    if extension not in EXTENSIONS:
        raise KeyError(extension)
    return importlib.import_module(f"fanshelf.downloads.formats.{extension}_format")


def render(book, extension: str) -> bytes:
    return format_module(extension).render(book)


def media_type(extension: str) -> str:
    return format_module(extension).MEDIA_TYPE
