"""Where files come from: paths, folders, zips and uploads, read safely into ReadResults.

A file a reader claims (an EPUB and a DOCX are zips too) is read as one file. A folder
or any other zip is a container: a bundle reader (a tumblr blog export) may claim it
whole; otherwise each importable file inside is read on its own. Containers are never
unpacked to disk; member names that climb out of the archive, zip bombs, too many or
too large members and corrupt archives each get a one-line problem, and the rest goes on.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from fanshelf.imports.readers import (
    BUNDLE_READERS,
    FileSample,
    ImportProblem,
    ReadResult,
    reader_for,
)
from fanshelf.imports.readers.base import check_size
from fanshelf.imports.readers.registry import member_problem, read_member

# Files inside folders and zips that may hold works; pictures, styles and the like
# are passed over quietly (named files are always tried, whatever their name).
IMPORTABLE_SUFFIXES = {
    "",
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".xhtml",
    ".json",
    ".epub",
    ".docx",
    ".zip",
}
MAX_ARCHIVE_MEMBERS = 20_000
MAX_ARCHIVE_BYTES = 2 * 1024**3
MAX_ZIP_DEPTH = 2


@dataclass(frozen=True)
class Source:
    """One path named to an import: a file (maybe a zip) or a folder."""

    path: Path
    size: int


def plan(paths: Iterable[Path]) -> list[Source]:
    """Sources for the paths, with sizes for a progress bar (a folder's is its files')."""
    sources = []
    for path in paths:
        if path.is_dir():
            size = sum(member.stat().st_size for member in _folder_files(path))
        else:
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
        sources.append(Source(path, size))
    return sources


def read_source(source: Source) -> Iterator[ReadResult]:
    """Every work (or problem) in one path, one ReadResult per file or post."""
    path = source.path
    if path.is_dir():
        files = {str(member.relative_to(path)): member for member in _folder_files(path)}
        yield from _read_container(_FolderFiles(files), name=str(path), depth=0)
        return
    try:
        with path.open("rb") as opened:
            data = opened.read(MAX_ARCHIVE_BYTES + 1)
    except OSError as error:
        problem = _("cannot read it (%(reason)s)") % {"reason": error.strerror or error}
        yield ReadResult(str(path), problem=problem)
        return
    yield from read_file(data, name=str(path))


def read_uploads(uploads: Iterable[tuple[str, bytes]]) -> Iterator[ReadResult]:
    """The works in uploaded files (name, bytes), one ReadResult per file or post."""
    for name, data in uploads:
        yield from read_file(data, name=name)


def read_file(data: bytes, *, name: str, depth: int = 0) -> Iterator[ReadResult]:
    """One file's ReadResults: a single file's works, or a zip container's contents."""
    sample = FileSample(data, name)
    try:
        if not sample.is_zip:
            check_size(data)
        reader = reader_for(sample)
    except ImportProblem as problem:
        if sample.is_zip:  # no reader claims it: a zip of files
            yield from _read_zip(data, name=name, depth=depth)
        else:
            yield ReadResult(name, problem=str(problem), size=len(data))
        return
    try:
        yield ReadResult(name, works=reader.read(sample), size=len(data))
    except ImportProblem as problem:
        yield ReadResult(name, problem=str(problem), size=len(data))


def _folder_files(folder: Path) -> list[Path]:
    return sorted(
        member
        for member in folder.rglob("*")
        if member.is_file()
        and not _hidden(member.relative_to(folder).as_posix())
        and member.suffix.lower() in IMPORTABLE_SUFFIXES
    )


def _hidden(name: str) -> bool:
    return any(
        (part.startswith(".") and part not in {".", ".."}) or part == "__MACOSX"
        for part in name.split("/")
    )


class _FolderFiles(Mapping):
    """A folder's files by relative name, read only when asked for."""

    def __init__(self, paths: dict[str, Path]):
        self.paths = paths

    def __getitem__(self, name: str) -> bytes:
        return self.paths[name].read_bytes()

    def __iter__(self):
        return iter(self.paths)

    def __len__(self):
        return len(self.paths)

    def size(self, name: str) -> int:
        return self.paths[name].stat().st_size


class _ZipFiles(Mapping):
    """A zip's safe members by name, each unpacked (with a bound) only when asked for."""

    def __init__(self, archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]):
        self.archive = archive
        self.infos = infos

    def __getitem__(self, name: str) -> bytes:
        return read_member(self.archive, self.infos[name])

    def __iter__(self):
        return iter(self.infos)

    def __len__(self):
        return len(self.infos)

    def size(self, name: str) -> int:
        return self.infos[name].compress_size


def _read_zip(data: bytes, *, name: str, depth: int) -> Iterator[ReadResult]:
    if depth >= MAX_ZIP_DEPTH:
        yield ReadResult(name, problem=_("a zip inside a zip inside a zip: too deep"))
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        yield ReadResult(name, problem=_("a corrupt zip file (%(reason)s)") % {"reason": error})
        return
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        problem = _("the zip holds %(count)s files; the limit is %(max)s") % {
            "count": f"{len(infos):,}",
            "max": f"{MAX_ARCHIVE_MEMBERS:,}",
        }
        yield ReadResult(name, problem=problem, size=len(data))
        return
    safe: dict[str, zipfile.ZipInfo] = {}
    unpacked = 0
    with archive:
        for info in infos:
            member_name = f"{name}/{info.filename}"
            if info.is_dir():
                continue
            if PurePosixPath(info.filename).suffix.lower() not in IMPORTABLE_SUFFIXES:
                continue
            problem = member_problem(info)
            if not problem and _hidden(info.filename):
                continue
            unpacked += info.file_size
            if not problem and unpacked > MAX_ARCHIVE_BYTES:
                problem = _("the zip unpacks to more than %(max)s bytes") % {
                    "max": f"{MAX_ARCHIVE_BYTES:,}"
                }
            if problem:
                yield ReadResult(member_name, problem=problem, size=info.compress_size)
            else:
                safe[info.filename] = info
        yield from _read_container(_ZipFiles(archive, safe), name=name, depth=depth + 1)


def _read_container(files, *, name: str, depth: int) -> Iterator[ReadResult]:
    """A bundle reader's works when one claims the files, and each other file's own."""
    members = list(files)
    for bundle in BUNDLE_READERS:
        if bundle.sniff(files):
            yield from bundle.read(files, name)
            # Files beside the bundle (other stories in the same folder) still count.
            members = [member for member in members if not bundle.owns(member)]
            break
    else:
        if not members:
            yield ReadResult(name, problem=_("no files Fanshelf can import inside"))
            return
    for member in members:
        member_name = f"{name}/{member}"
        try:
            data = files[member]
        except ImportProblem as problem:
            yield ReadResult(member_name, problem=str(problem), size=files.size(member))
            continue
        except OSError as error:
            problem = _("cannot read it (%(reason)s)") % {"reason": error.strerror or error}
            yield ReadResult(member_name, problem=problem, size=files.size(member))
            continue
        # Progress counts the member's packed size once, on its first result.
        share = files.size(member)
        for result in read_file(data, name=member_name, depth=depth):
            result.size, share = share, 0
            yield result
