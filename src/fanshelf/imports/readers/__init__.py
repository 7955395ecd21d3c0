"""Readers turn a file's bytes into ``ImportedWork``s, whatever the file's kind.

Each kind of file has a small module with a ``Reader``: ``sniff`` looks at a
``FileSample`` (its bytes, name, decoded text, zip member names) and says whether
the file is its kind; ``read`` gives the works. ``read_bytes`` asks the readers in
``READERS`` order (the most specific first), so the format is found from the content,
not only the name. A folder or zip of many files that belong together (a tumblr blog
export) is read by a ``BundleReader`` instead; see ``imports.sources``.
"""

from fanshelf.imports.readers import (
    ao3,
    docx,
    epub,
    export_json,
    fanshelf_html,
    html,
    text,
    tumblr_api,
    tumblr_export,
)
from fanshelf.imports.readers.base import (
    MAX_FILE_BYTES,
    ImportedChapter,
    ImportedWork,
    ImportProblem,
    decode,
    placeholder_title,
)
from fanshelf.imports.readers.registry import (
    BundleReader,
    FileSample,
    Reader,
    ReadResult,
    detect_format,
)
from fanshelf.imports.readers.text import read_text, split_end_notes, split_header

# Most specific first: a generic reader must come after every reader it would also claim.
READERS: list[Reader] = [
    docx.READER,
    epub.AO3_READER,
    epub.READER,
    tumblr_api.READER,
    export_json.READER,
    ao3.READER,
    fanshelf_html.READER,
    html.READER,
    text.MARKDOWN_READER,
    text.READER,
]
BUNDLE_READERS: list[BundleReader] = [tumblr_export.READER]


def reader_for(sample: FileSample) -> Reader:
    """The first reader that claims ``sample``; ImportProblem when none does."""
    return detect_format(sample, READERS)


def read_bytes(data: bytes, *, name: str = "") -> list[ImportedWork]:
    """The works in a file's bytes, or ImportProblem saying why there are none."""
    sample = FileSample(data, name)
    return reader_for(sample).read(sample)


__all__ = [
    "BUNDLE_READERS",
    "MAX_FILE_BYTES",
    "READERS",
    "BundleReader",
    "FileSample",
    "ImportProblem",
    "ImportedChapter",
    "ImportedWork",
    "ReadResult",
    "Reader",
    "decode",
    "placeholder_title",
    "read_bytes",
    "read_text",
    "reader_for",
    "split_end_notes",
    "split_header",
]
