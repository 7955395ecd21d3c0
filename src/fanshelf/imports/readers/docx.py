"""Word documents (.docx), turned into HTML by mammoth.

The title comes from the document's properties (``docProps/core.xml``) or its first
Title or Heading 1 paragraph, the creators from its properties. Headings that read like
chapter headings ("Chapter 1", "Chapter One: The Gala", "Part 2", "Prologue") start
chapters and give them their titles; what comes before the first one is the work's
notes (or, when it is long, a first chapter). Pictures are dropped, their alt text
kept; mammoth fetches nothing outside the file.
"""

import io
import re
import zipfile

import mammoth
from django.utils.translation import gettext as _
from lxml import etree
from mammoth import html as mammoth_html

from fanshelf import text
from fanshelf.imports.readers.base import (
    MAX_FILE_BYTES,
    ImportedChapter,
    ImportedWork,
    ImportProblem,
    placeholder_title,
)
from fanshelf.imports.readers.registry import (
    MAX_COMPRESSION_RATIO,
    MAX_MEMBER_BYTES,
    FileSample,
    Reader,
)
from fanshelf.imports.readers.tumblr import NUMBER, inner_html, parse_fragment

READER_NAME = "docx"
DOCUMENT = "word/document.xml"
CORE_PROPERTIES = "docProps/core.xml"
DUBLIN_CORE = "{http://purl.org/dc/elements/1.1/}"
# An old Word (.doc) file, or a .docx locked with a password (both are OLE containers).
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Added to mammoth's own map (Heading 1 => h1 …): the Title paragraph, marked.
STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p.Title => h1.title:fresh
"""
CHAPTER_HEADING = re.compile(
    rf"^\s*(?:chapter|part|ch\.?)\s+(?:{NUMBER})\b\s*[:.–—-]?\s*(?P<title>.*)$", re.IGNORECASE
)
NAMED_CHAPTER = re.compile(r"^\s*(?:prologue|epilogue|interlude)\b", re.IGNORECASE)
# Words before the first chapter heading that are still notes, not a chapter.
PREAMBLE_WORDS = 300
LANGUAGE_CODE = re.compile(r"^([A-Za-z]{2,3})((?:-[A-Za-z0-9]{2,8})*)$")
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
MAX_PACKAGE_MEMBERS = 10_000
# mammoth reads the document's XML parts whole; bound them before it does.
XML_SUFFIXES = (".xml", ".rels")


def read_docx(sample: FileSample) -> list[ImportedWork]:
    """A Word document as one work; ImportProblem when it is broken or empty."""
    _check_package(sample)
    properties = _core_properties(sample)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(sample.data), style_map=STYLE_MAP, convert_image=_image_text
        )
    except Exception as error:  # noqa: BLE001 - mammoth raises whatever a broken part causes
        reason = " ".join(str(error).split())[:120] or type(error).__name__
        raise ImportProblem(
            _("a corrupt DOCX document (%(reason)s)") % {"reason": reason}
        ) from None
    root = parse_fragment(result.value)
    if root is None:
        raise ImportProblem(_("the document has no story text"))
    title = _take_title(root, properties.get("title", ""))
    notes_html, chapters = _chapters(root)
    if not chapters:
        raise ImportProblem(_("the document has no story text"))
    creators = [name.strip() for name in properties.get("creator", "").split(";")]
    return [
        ImportedWork(
            title=title or placeholder_title(sample.name),
            title_is_placeholder=not title,
            chapters=chapters,
            creators=[name for name in creators if name],
            notes_html=notes_html,
            language=_language(properties.get("language", "")),
            expected_chapters=len(chapters),
            source=sample.name,
            reader=READER_NAME,
        )
    ]


def _check_package(sample: FileSample) -> None:
    if sample.data.startswith(OLE_SIGNATURE):
        raise ImportProblem(
            _(
                "an old Word document (.doc) or one locked with a password; "
                "save it as an unlocked .docx and try again"
            )
        )
    if len(sample.data) > MAX_MEMBER_BYTES:
        raise ImportProblem(
            _("the file is too long (%(size)s bytes; the limit is %(max)s)")
            % {"size": f"{len(sample.data):,}", "max": f"{MAX_MEMBER_BYTES:,}"}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(sample.data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ImportProblem(_("a corrupt DOCX document (not a readable zip file)")) from None
    if DOCUMENT not in {info.filename for info in infos}:
        raise ImportProblem(
            _("a corrupt DOCX document (%(member)s is missing)") % {"member": DOCUMENT}
        )
    if len(infos) > MAX_PACKAGE_MEMBERS:
        raise ImportProblem(_("a corrupt DOCX document (too many parts)"))
    for info in infos:
        if not info.filename.endswith(XML_SUFFIXES):
            continue  # pictures and fonts, which are never read
        ratio = info.file_size / max(info.compress_size, 1)
        too_packed = info.file_size > MAX_FILE_BYTES and ratio > MAX_COMPRESSION_RATIO
        if too_packed or info.file_size > MAX_MEMBER_BYTES:
            raise ImportProblem(
                _("%(member)s unpacks to more than %(max)s bytes (a zip bomb?)")
                % {"member": info.filename, "max": f"{min(info.file_size, MAX_MEMBER_BYTES):,}"}
            )


def _core_properties(sample: FileSample) -> dict[str, str]:
    """Title, creator and language from docProps/core.xml; {} when it is missing or
    broken (the story is what matters)."""
    if CORE_PROPERTIES not in sample.zip_names:
        return {}
    try:
        root = etree.fromstring(sample.zip_member(CORE_PROPERTIES), parser=XML_PARSER)
    except (ImportProblem, etree.XMLSyntaxError):
        return {}
    return {
        name: " ".join((root.findtext(f"{DUBLIN_CORE}{name}") or "").split())
        for name in ("title", "creator", "language")
    }


def _language(value: str) -> str:
    """A language code as the archive writes it ("EN-us" gives "en-us"); "en" when the
    document names none, or something that is no code."""
    match = LANGUAGE_CODE.match(value)
    return match.group(1).lower() + match.group(2) if match else "en"


def _image_text(image):
    """A picture becomes its alt text; nothing of it is read or kept."""
    alt = " ".join((image.alt_text or "").split())
    return [mammoth_html.text(_("[Image: %(alt)s]") % {"alt": alt})] if alt else []


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _take_title(root, title: str) -> str:
    """The work's title, taking its Title paragraph (or a first Heading 1 that is no
    chapter heading) out of the text."""
    marked = next((child for child in root if child.tag == "h1" and "title" in child.classes), None)
    if marked is not None:
        title = title or _text(marked)
        root.remove(marked)
    first = root[0] if len(root) and not (root.text or "").strip() else None
    if first is None or first.tag != "h1" or _chapter_title(_text(first)) is not None:
        return title
    if not title or _text(first).casefold() == title.casefold():
        title = title or _text(first)
        root.remove(first)
    return title


def _chapter_title(heading: str) -> str | None:
    """A chapter heading's own title ("Chapter One: The Gala" gives "The Gala",
    "Prologue" gives "Prologue"); None when the heading starts no chapter."""
    match = CHAPTER_HEADING.match(heading)
    if match:
        return match.group("title").strip()
    return heading if NAMED_CHAPTER.match(heading) else None


def _chapters(root) -> tuple[str, list[ImportedChapter]]:
    """The work's notes and its chapters, split at chapter headings."""
    preamble = etree.Element("div")
    preamble.text = root.text
    parts: list[tuple[str, object]] = []
    for child in list(root):
        heading = _chapter_title(_text(child)) if child.tag in {"h1", "h2"} else None
        if heading is not None:
            parts.append((heading, etree.Element("div")))
            parts[-1][1].text = child.tail
            continue
        (parts[-1][1] if parts else preamble).append(child)
    preamble_html = text.sanitize_html(inner_html(preamble))
    notes_html = ""
    if not parts or len(text.html_to_text(preamble_html).split()) >= PREAMBLE_WORDS:
        parts.insert(0, ("", None))
    else:
        notes_html = preamble_html
    chapters = []
    for title, body in parts:
        body_html = preamble_html if body is None else text.sanitize_html(inner_html(body))
        if text.html_to_text(body_html).strip():
            chapters.append(ImportedChapter(body_html=body_html, title=title))
    return notes_html, chapters


def _is_docx(sample: FileSample) -> bool:
    if sample.is_zip and "word/document.xml" in sample.zip_names:
        return True
    # A broken or locked file named .docx is still claimed, to say what is wrong with it.
    return sample.suffix == ".docx" and sample.text is None


READER = Reader(READER_NAME, sniff=_is_docx, read=read_docx)
