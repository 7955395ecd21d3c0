"""The shapes readers share: a file sample to sniff, a reader, a bundle reader, a result."""

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath, PurePosixPath, PureWindowsPath

from django.utils.translation import gettext as _

from fanshelf.imports.readers.base import MAX_FILE_BYTES, ImportedWork, ImportProblem, decode

HTML_START = re.compile(
    r"^\s*(<\?xml[^>]*>\s*)?(<!doctype html|<html|<head|<body|<(p|div|h1|h2|article|section)[\s>])",
    re.I,
)
# What reading a zip member can raise: broken deflated data (zlib.error), an encrypted
# member (RuntimeError), a method zipfile lacks (NotImplementedError), a cut-off file.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    ValueError,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)
# A member unpacking to more than this many times its packed size is a bomb, not prose
# (text compresses about 3 to 1, 10 to 1 at most).
MAX_COMPRESSION_RATIO = 100
# Formats that are zips inside; a file named so that is not one is broken.
ZIP_SUFFIXES = {".epub", ".docx", ".zip"}
# One member of an EPUB or DOCX, unpacked; more is a zip bomb, not a story.
MAX_MEMBER_BYTES = 4 * MAX_FILE_BYTES


class FileSample:
    """One file's bytes and name, with what sniffing needs worked out once, lazily."""

    def __init__(self, data: bytes, name: str = ""):
        self.data = data
        self.name = name

    @cached_property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()

    @cached_property
    def is_zip(self) -> bool:
        return self.data[:4] == b"PK\x03\x04"

    @cached_property
    def zip_names(self) -> frozenset[str]:
        """Member names when the file is a zip (EPUB, DOCX, an archive), else empty."""
        if not self.is_zip:
            return frozenset()
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                return frozenset(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return frozenset()

    def zip_member(self, member: str) -> bytes:
        """One member of the zip, or ImportProblem if it is missing or broken."""
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive, archive.open(member) as opened:
                # The header's size can lie: read one byte past the limit to know.
                content = opened.read(MAX_MEMBER_BYTES + 1)
        except KeyError:
            missing = _("%(member)s is missing from the file") % {"member": member}
            raise ImportProblem(missing) from None
        except ZIP_ERRORS as error:
            raise ImportProblem(_("a corrupt zip file (%(reason)s)") % {"reason": error}) from None
        if len(content) > MAX_MEMBER_BYTES:
            raise ImportProblem(
                _("%(member)s unpacks to more than %(max)s bytes (a zip bomb?)")
                % {"member": member, "max": f"{MAX_MEMBER_BYTES:,}"}
            )
        return content

    @cached_property
    def text(self) -> str | None:
        """The file decoded as text, or None for binary files and unknown encodings."""
        utf16 = self.data[:2] in (b"\xff\xfe", b"\xfe\xff")
        if self.is_zip or (b"\x00" in self.data[:1024] and not utf16):
            return None
        try:
            return decode(self.data)
        except ImportProblem:
            return None

    @cached_property
    def looks_like_html(self) -> bool:
        source = self.text
        return source is not None and bool(HTML_START.match(source.lstrip()))


@dataclass(frozen=True)
class Reader:
    """A kind of file: ``sniff(sample)`` says whether ``sample`` is one,
    ``read(sample)`` gives its works or raises ImportProblem."""

    name: str
    sniff: Callable[[FileSample], bool]
    read: Callable[[FileSample], list[ImportedWork]]


@dataclass
class ReadResult:
    """What became of one file (or one post of a bundle): its works, or why none."""

    name: str
    works: list[ImportedWork] = field(default_factory=list)
    problem: str = ""
    size: int = 0


@dataclass(frozen=True)
class BundleReader:
    """Files that only make sense together (a tumblr blog export: a folder or zip of
    post pages). ``sniff(files)`` looks at the member names and contents; ``read(files,
    name)`` yields one ReadResult per work or per post that failed; ``owns(member)``
    says which members it read, so the others are still read one by one."""

    name: str
    sniff: Callable[[Mapping[str, bytes]], bool]
    read: Callable[[Mapping[str, bytes], str], Iterable[ReadResult]]
    owns: Callable[[str], bool]


def detect_format(sample: FileSample, readers: list[Reader]) -> Reader:
    """The first of ``readers`` that claims ``sample``; ImportProblem naming why none does."""
    if sample.suffix in ZIP_SUFFIXES and not sample.is_zip and sample.text is not None:
        # A broken e-book that happens to decode must not be posted as a story.
        raise ImportProblem(
            _("a %(suffix)s file that is not a zip inside: corrupt, or not really %(suffix)s")
            % {"suffix": sample.suffix}
        )
    for reader in readers:
        if reader.sniff(sample):
            return reader
    if sample.is_zip and not sample.zip_names:
        raise ImportProblem(_("a corrupt zip file"))
    if sample.is_zip:
        raise ImportProblem(_("a zip file that is neither an EPUB nor a DOCX document"))
    # Decoding again raises the precise reason (empty, too long, unknown encoding).
    decode(sample.data)
    raise ImportProblem(_("not a kind of file Fanshelf can import"))


def member_problem(info: zipfile.ZipInfo) -> str:
    """Why a member of a zip of files must not be read, or "": a name that points
    outside the archive, a zip bomb, or more than ``MAX_MEMBER_BYTES`` unpacked."""
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or PureWindowsPath(info.filename).drive:
        return _("an unsafe name inside the zip (it points outside the archive)")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_FILE_BYTES and ratio > MAX_COMPRESSION_RATIO:
        return _("unpacks to %(ratio)d times its packed size (a zip bomb?)") % {"ratio": ratio}
    if info.file_size > MAX_MEMBER_BYTES:
        return _("the file is too long (%(size)s bytes; the limit is %(max)s)") % {
            "size": f"{info.file_size:,}",
            "max": f"{MAX_MEMBER_BYTES:,}",
        }
    return ""


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member of a zip of files, unpacked to at most ``MAX_MEMBER_BYTES`` (the
    header's size can lie: one byte past the limit is read to know); ImportProblem
    for a corrupt or encrypted member or one that is too long."""
    try:
        with archive.open(info) as opened:
            data = opened.read(MAX_MEMBER_BYTES + 1)
    except ZIP_ERRORS as error:
        raise ImportProblem(_("a corrupt zip member (%(reason)s)") % {"reason": error}) from None
    if len(data) > MAX_MEMBER_BYTES:
        raise ImportProblem(_("the file is too long"))
    return data
