"""What the AO3, EPUB and Fanshelf-download readers share: safe lxml parsing, clean
HTML out of an element, and the metadata list a download puts before a work.

AO3's downloads, EPUBs made from them and Fanshelf's own downloads describe a work
the same way: a ``<dl>`` of ``Label:`` / value pairs ("Rating:", "Fandoms:",
"Language:", "Series:", "Stats:" …) and labelled blocks ("Summary", "Notes"). The
labels are English, as AO3 writes them; Fanshelf's tag type names are accepted in
the language the archive runs in too.

Parsers never fetch anything and never expand entities (lxml with ``no_network`` and
``resolve_entities=False``); images in a text are never fetched either.
"""

import re
import unicodedata
from datetime import UTC, date, datetime, time
from functools import lru_cache
from html import escape

import lxml.html
from django.conf.locale import LANG_INFO
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from lxml import etree

from fanshelf import text
from fanshelf.imports.readers.base import ImportedWork, ImportProblem, decode

HTML_PARSER = lxml.html.HTMLParser(
    no_network=True, huge_tree=False, remove_comments=True, remove_pis=True
)
XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    remove_comments=True,
    remove_pis=True,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHAPTER_HEADING = re.compile(r"^\s*chapter\s+\d+\s*(?:[:.\-–—]\s*|$)", re.IGNORECASE)
_CALIBRE = re.compile(r"^calibre\d*$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")

# Labels of the metadata list, lower case, without the colon.
TAG_LABELS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warning",
    "archive warnings": "warning",
    "warning": "warning",
    "warnings": "warning",
    "category": "category",
    "categories": "category",
    "fandom": "fandom",
    "fandoms": "fandom",
    "relationship": "relationship",
    "relationships": "relationship",
    "character": "character",
    "characters": "character",
    "additional tags": "freeform",
    "additional tag": "freeform",
    "freeform": "freeform",
    "freeforms": "freeform",
}
# Labels of summaries and notes before a block of the author's HTML.
BLOCK_LABELS = {
    "summary": "summary",
    "chapter summary": "summary",
    "notes": "notes",
    "chapter notes": "notes",
    "end notes": "end_notes",
    "chapter end notes": "end_notes",
}
# Names AO3 gives languages that Django's LANG_INFO spells another way.
AO3_LANGUAGES = {
    "português europeu": "pt",
    "中文-普通话 國語": "zh",
    "中文-广东话 粵語": "yue",
    "cestina": "cs",
    "eesti keel": "et",
    "latviesu valoda": "lv",
    "lietuviu kalba": "lt",
    "lietuviu": "lt",
    "euskara": "eu",
    "slovencina": "sk",
    "srpski": "sr-latn",
    "bahasa malaysia": "ms",
    "filipino": "fil",
    "हिन्दी": "hi",
    "lingua latina": "la",
    "latina": "la",
    "қазақша": "kk",
    "монгол": "mn",
    "azərbaycan dili": "az",
    "tlhingan-hol": "tlh",
}


def parse_html(source: str | bytes) -> lxml.html.HtmlElement:
    """The document element of an HTML or XHTML page; ImportProblem if there is none."""
    if isinstance(source, bytes):
        source = decode(source)
    # lxml refuses a str that declares its own encoding; the text is decoded already.
    source = _XML_DECLARATION.sub("", source, count=1)
    try:
        return lxml.html.document_fromstring(source, parser=HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise ImportProblem(_("the file holds no HTML document")) from None


def parse_xml(data: bytes, *, name: str) -> etree._Element:
    """The root element of an XML file; ImportProblem naming ``name`` when it is broken."""
    try:
        return etree.fromstring(data, parser=XML_PARSER)
    except etree.XMLSyntaxError as error:
        raise ImportProblem(
            _("%(name)s is not well-formed XML (%(reason)s)") % {"name": name, "reason": error}
        ) from None


def local_name(element) -> str:
    """An element's tag without its namespace ("title" for ``{…/elements/1.1/}title``)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def first(elements):
    return next(iter(elements), None)


def text_of(element) -> str:
    """The element's text with its whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def inner_html(element) -> str:
    """The markup inside ``element``, as HTML."""
    parts = [escape(element.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts)


def clean_html(element, *, remote_images: bool = False) -> str:
    """The sanitised HTML inside ``element`` (changed in place: images replaced).

    An image becomes its alt text, "[Image: …]", and is never fetched; with
    ``remote_images`` an image at an http(s) address stays, as it would on the page
    it came from (the reader's browser loads it, as on AO3).
    """
    if element is None:
        return ""
    for image in list(element.iter("img")):
        source = (image.get("src") or "").strip().lower()
        if remote_images and source.startswith(("http://", "https://")):
            continue
        alt = " ".join((image.get("alt") or "").split())
        label = _("[Image: %(alt)s]") % {"alt": alt} if alt else ""
        image.tail = label + (image.tail or "")
        image.drop_tree()
    for node in list(element.iter()):
        # AO3 marks the start of a text with a hidden "Chapter Text" heading.
        if node is not element and has_class(node, "landmark"):
            node.drop_tree()
        elif node.get("class"):
            # Calibre renames every class to "calibre12": styling hooks of no use here.
            classes = [name for name in node.get("class").split() if not _CALIBRE.match(name)]
            if classes:
                node.set("class", " ".join(classes))
            else:
                del node.attrib["class"]
    return text.sanitize_html(inner_html(element))


def has_story_text(html: str) -> bool:
    return bool(text.html_to_text(html).strip())


def chapter_title(heading: str) -> str:
    """A chapter's own title from its heading: "Chapter 2: Coins" gives "Coins",
    "Chapter 2" gives ""."""
    heading = " ".join(heading.split())
    return _CHAPTER_HEADING.sub("", heading, count=1).strip()


def day(value: str) -> datetime | None:
    """Midnight UTC of an ISO date ("2024-05-06", "2024-05", "2024", or a timestamp)."""
    match = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value or "")
    if not match:
        return None
    year, month, day_of_month = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime.combine(date(year, month, day_of_month), time(), tzinfo=UTC)
    except ValueError:
        return None


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    names = {}
    for code, info in LANG_INFO.items():
        for key in ("name", "name_local"):
            if info.get(key):
                names.setdefault(_fold(info[key]), code)
    for name, code in AO3_LANGUAGES.items():
        names.setdefault(_fold(name), code)
    return names


def language_code(value: str) -> str:
    """A language code from a code ("en-US", "pt-br") or a language's name in English or
    in itself ("English", "Français", "日本語", AO3's "Português brasileiro");
    "und" (undetermined) for a name we do not know, "" for nothing."""
    value = " ".join((value or "").split())
    if not value:
        return ""
    named = _language_names().get(_fold(value))
    if named:
        return named
    return value.lower() if _LANGUAGE_CODE.match(value.lower()) else "und"


def meta_pairs(dl) -> list[tuple[str, object]]:
    """(label, ``<dd>``) pairs of a ``<dl>``, labels lower case without their colon."""
    pairs, label = [], None
    for child in dl:
        # HTML lets a <div> wrap each dt/dd group.
        for item in child if child.tag == "div" else [child]:
            if item.tag == "dt":
                label = text_of(item).rstrip(":：").strip().casefold()
            elif item.tag == "dd" and label is not None:
                pairs.append((label, item))
                label = None
    return pairs


@lru_cache(maxsize=8)
def _tag_labels(language: str) -> dict[str, str]:
    """Every tag type label, AO3's and ours in ``language`` (the cache key: the
    labels are lazy translations). Models are imported here, once apps are ready."""
    from fanshelf.tags.models import Tag
    from fanshelf.works.models import TAG_TYPE_PLURALS

    labels = dict(TAG_LABELS)
    for tag_type in Tag.Type:
        labels.setdefault(str(tag_type.label).casefold(), tag_type.value)
        labels.setdefault(str(TAG_TYPE_PLURALS[tag_type]).casefold(), tag_type.value)
    return labels


def tag_names(dd) -> list[str]:
    """The tags of a ``<dd>``: its links' or tag spans' texts, else its text split at commas."""
    pieces = [text_of(a) for a in dd.iter("a")]
    pieces = pieces or [text_of(span) for span in dd.iter("span") if has_class(span, "tag")]
    pieces = pieces or text_of(dd).split(",")
    names = []
    for piece in pieces:
        name = " ".join(piece.split())
        if name and name not in names:
            names.append(name)
    return names


def apply_metadata(work: ImportedWork, dl) -> set[str]:
    """Fill ``work`` from a download's metadata list: tags by type, language, series,
    dates, expected chapters and the work's address. Returns the fields it set."""
    labels = _tag_labels(get_language() or "en")
    given = set()
    for label, dd in meta_pairs(dl):
        if label in labels:
            tags = work.tags.setdefault(labels[label], [])
            tags += [name for name in tag_names(dd) if name not in tags]
        elif label == "language":
            work.language = language_code(text_of(dd)) or work.language
        elif label == "series":
            _apply_series(work, dd)
        elif label == "stats":
            given |= apply_stats(work, text_of(dd))
        elif label in {"published", "updated", "completed", "chapters"}:
            given |= apply_stats(work, f"{label}: {text_of(dd)}")
        elif label == "url":
            link = first(dd.iter("a"))
            work.source = (link.get("href") if link is not None else text_of(dd)) or work.source
    return given


def _apply_series(work: ImportedWork, dd) -> None:
    match = re.match(r"\s*part\s+(\d+)\s+of\s+(.+)", text_of(dd), re.IGNORECASE)
    if not match:
        return
    link = first(dd.iter("a"))
    work.series = text_of(link) if link is not None else match.group(2).split(",")[0].strip()
    work.series_position = int(match.group(1))


def apply_stats(work: ImportedWork, stats: str) -> set[str]:
    """Dates and chapters from a stats line: "Published: 2024-05-06 Updated: 2024-06-01
    Words: 1,234 Chapters: 2/?" ("?" leaves the expected chapters unknown). Returns the
    fields it set."""
    given = set()
    published = re.search(r"published:\s*(\d{4}-\d{1,2}-\d{1,2})", stats, re.IGNORECASE)
    if published:
        work.published_at = day(published.group(1))
    revised = re.search(r"(?:updated|completed):\s*(\d{4}-\d{1,2}-\d{1,2})", stats, re.IGNORECASE)
    if revised:
        work.revised_at = day(revised.group(1))
    chapters = re.search(r"chapters:\s*(\d+)\s*/\s*(\d+|\?)", stats, re.IGNORECASE)
    if chapters:
        expected = chapters.group(2)
        work.expected_chapters = int(expected) if expected.isdigit() else None
        given.add("expected_chapters")
    return given


def labelled_blocks(scope, *, skip_userstuff: bool = True) -> dict[str, object]:
    """The author's blocks after a label ("Summary", "Chapter Notes", "End Notes" …):
    the ``<blockquote>`` or ``.userstuff`` element right after each label element.

    Labels inside an author's own text (a ``.userstuff`` element) are not labels.
    """
    blocks = {}
    for label in scope.iter("p", "h2", "h3", "h4", "h5"):
        kind = BLOCK_LABELS.get(text_of(label).rstrip(":").casefold())
        if kind is None or kind in blocks:
            continue
        if skip_userstuff and _inside_userstuff(label, scope):
            continue
        block = label.getnext()
        if block is not None and (block.tag == "blockquote" or has_class(block, "userstuff")):
            blocks[kind] = block
    return blocks


def _inside_userstuff(element, scope) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is scope:
            return False
        if has_class(ancestor, "userstuff"):
            return True
    return False
