"""An EPUB's package: the container, the package document (OPF) and its metadata, the
spine, the table of contents, and whether the texts are locked with DRM.

Members are read through ``FileSample.zip_member`` (bounded), the whole book within
``MAX_UNPACKED_BYTES``; XML is parsed by lxml without entities, DTDs or network.
"""

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.utils.translation import gettext as _

from fanshelf import text
from fanshelf.imports.readers.base import (
    MAX_FILE_BYTES,
    ImportedWork,
    ImportProblem,
    placeholder_title,
)
from fanshelf.imports.readers.markup import (
    day,
    first,
    language_code,
    local_name,
    parse_html,
    parse_xml,
    text_of,
)
from fanshelf.imports.readers.registry import FileSample

CONTAINER = "META-INF/container.xml"
ENCRYPTION = "META-INF/encryption.xml"
DC = "http://purl.org/dc/elements/1.1/"
OPF = "http://www.idpf.org/2007/opf"
XMLENC = "http://www.w3.org/2001/04/xmlenc#"
# Font obfuscation (IDPF's and Adobe's) scrambles fonts only; it is not DRM.
FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
GUIDE_NOT_STORY = {"cover", "title-page", "toc", "copyright-page", "colophon"}
MAX_UNPACKED_BYTES = 8 * MAX_FILE_BYTES


@dataclass(frozen=True)
class Item:
    path: str
    media_type: str
    properties: frozenset[str]


@dataclass
class Package:
    """The parts of an OPF the reader needs, paths resolved inside the zip."""

    path: str
    metadata: list = field(default_factory=list)  # the elements inside <metadata>
    items: dict[str, Item] = field(default_factory=dict)
    spine: list[Item] = field(default_factory=list)  # linear documents, in order
    spine_size: int = 0  # every itemref, linear or not
    toc_id: str = ""
    not_story: set[str] = field(default_factory=set)  # guide: cover, title page…


class EpubFiles:
    """The EPUB's zip members, read within one budget for the whole book."""

    def __init__(self, sample: FileSample):
        if not sample.zip_names:
            raise ImportProblem(_("a corrupt EPUB file (not a readable zip archive)"))
        self.sample = sample
        self.unpacked = 0

    def read(self, path: str) -> bytes:
        if path not in self.sample.zip_names:
            raise ImportProblem(
                _("the EPUB lists %(path)s, which is missing from the file") % {"path": path}
            )
        data = self.sample.zip_member(path)
        self.unpacked += len(data)
        if self.unpacked > MAX_UNPACKED_BYTES:
            raise ImportProblem(
                _("the EPUB unpacks to more than %(max)s bytes (a zip bomb?)")
                % {"max": f"{MAX_UNPACKED_BYTES:,}"}
            )
        return data

    def xml(self, path: str):
        return parse_xml(self.read(path), name=path)


def _resolve(base: str, href: str) -> str:
    """A zip member path from an href relative to the file ``base``."""
    href = unquote(href.split("#", 1)[0].strip())
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), href)) if href else ""


def open_package(book: EpubFiles) -> Package:
    """The package named by ``META-INF/container.xml``; ImportProblem when it is missing."""
    if CONTAINER not in book.sample.zip_names:
        raise ImportProblem(_("not a complete EPUB: %(name)s is missing") % {"name": CONTAINER})
    container = book.xml(CONTAINER)
    paths = [
        element.get("full-path")
        for element in container.iter()
        if local_name(element) == "rootfile" and element.get("full-path")
    ]
    if not paths:
        raise ImportProblem(_("the EPUB's %(name)s names no package") % {"name": CONTAINER})
    path = posixpath.normpath(unquote(paths[0]))
    if path not in book.sample.zip_names:
        raise ImportProblem(
            _("the EPUB's package %(path)s is missing from the file") % {"path": path}
        )
    opf = book.xml(path)
    package = Package(path=path)
    for element in opf:
        name = local_name(element)
        if name == "metadata":
            # Old EPUB 2 files wrap the metadata in <dc-metadata>/<x-metadata>.
            package.metadata = [
                child
                for child in element.iter()
                if child is not element and local_name(child) not in {"dc-metadata", "x-metadata"}
            ]
        elif name == "manifest":
            for item in element:
                if local_name(item) == "item" and item.get("id") and item.get("href"):
                    package.items[item.get("id")] = Item(
                        path=_resolve(path, item.get("href")),
                        media_type=(item.get("media-type") or "").strip().lower(),
                        properties=frozenset((item.get("properties") or "").split()),
                    )
        elif name == "spine":
            package.toc_id = element.get("toc") or ""
            for reference in element:
                if local_name(reference) != "itemref":
                    continue
                package.spine_size += 1
                item = package.items.get(reference.get("idref") or "")
                if item is None:
                    raise ImportProblem(
                        _("the EPUB's spine names an item the package does not list (%(id)s)")
                        % {"id": reference.get("idref")}
                    )
                if reference.get("linear", "yes").strip().lower() != "no":
                    package.spine.append(item)
        elif name == "guide":
            for reference in element:
                if (reference.get("type") or "").lower() in GUIDE_NOT_STORY:
                    package.not_story.add(_resolve(path, reference.get("href") or ""))
    return package


def refuse_drm(book: EpubFiles, package: Package) -> None:
    """ImportProblem when the book's texts are encrypted (fonts alone may be)."""
    if ENCRYPTION not in book.sample.zip_names:
        return
    spine = {item.path for item in package.spine}
    for data in book.xml(ENCRYPTION).iter(f"{{{XMLENC}}}EncryptedData"):
        method = first(data.iter(f"{{{XMLENC}}}EncryptionMethod"))
        algorithm = method.get("Algorithm") if method is not None else ""
        references = [r.get("URI") or "" for r in data.iter(f"{{{XMLENC}}}CipherReference")]
        paths = {posixpath.normpath(unquote(uri)) for uri in references}
        if algorithm not in FONT_OBFUSCATION or paths & spine:
            raise ImportProblem(
                _(
                    "the EPUB is locked with DRM (its texts are encrypted); "
                    "only DRM-free EPUBs can be imported"
                )
            )


def _metadata(package: Package, name: str) -> list:
    return [e for e in package.metadata if e.tag == f"{{{DC}}}{name}" and text_of(e)]


def _meta(package: Package, key: str) -> list:
    """EPUB 3 ``<meta property=key>`` and EPUB 2 ``<meta name=key content=…>`` values."""
    values = []
    for element in package.metadata:
        if local_name(element) != "meta" or element.get("refines"):
            continue
        if element.get("property") == key and text_of(element):
            values.append((element.get("id") or "", text_of(element)))
        elif element.get("name") == key and (element.get("content") or "").strip():
            values.append(("", element.get("content").strip()))
    return values


def _refinements(package: Package, element_id: str, key: str) -> str:
    for element in package.metadata:
        if element.get("refines") == f"#{element_id}" and element.get("property") == key:
            return text_of(element)
    return ""


def _position(value: str) -> int | None:
    try:
        return max(1, int(float(value)))
    except (TypeError, ValueError):
        return None


def work_from_package(package: Package, *, name: str) -> ImportedWork:
    """The work the package's metadata describes (chapters come later)."""
    titles = [text_of(e) for e in _metadata(package, "title")]
    creators = []
    for creator in _metadata(package, "creator"):
        role = creator.get(f"{{{OPF}}}role") or _refinements(package, creator.get("id"), "role")
        if role in ("", "aut") and text_of(creator) not in creators:
            creators.append(text_of(creator))
    languages = [text_of(e) for e in _metadata(package, "language")]
    description = first(text_of(e) for e in _metadata(package, "description")) or ""
    looks_like_html = re.search(r"<(p|div|br|em|i|b|strong)[\s/>]", description, re.IGNORECASE)
    summary = (text.sanitize_html if looks_like_html else text.text_to_html)(description)
    subjects = [text_of(e) for e in _metadata(package, "subject")]
    dates = [text_of(e) for e in _metadata(package, "date")]
    links = [text_of(e) for e in _metadata(package, "source") + _metadata(package, "identifier")]
    work = ImportedWork(
        title=titles[0] if titles else placeholder_title(name),
        title_is_placeholder=not titles,
        chapters=[],
        creators=creators,
        summary_html=summary,
        tags={"freeform": list(dict.fromkeys(subjects))} if subjects else {},
        language=language_code(languages[0]) if languages else "en",
        published_at=day(dates[0]) if dates else None,
        source=next((link for link in links if link.startswith(("http://", "https://"))), name),
        reader="epub",
    )
    collections = _meta(package, "belongs-to-collection")
    if collections:
        element_id, work.series = collections[0]
        position = _refinements(package, element_id, "group-position") if element_id else ""
        work.series_position = _position(position)
    elif _meta(package, "calibre:series"):
        work.series = _meta(package, "calibre:series")[0][1]
        index = _meta(package, "calibre:series_index")
        work.series_position = _position(index[0][1]) if index else None
    return work


def navigation_titles(book: EpubFiles, package: Package) -> dict[str, str]:
    """Document path → its title in the table of contents (EPUB 3 nav, else the NCX)."""
    titles: dict[str, str] = {}
    nav = first(item for item in package.items.values() if "nav" in item.properties)
    if nav is not None and nav.path in book.sample.zip_names:
        root = parse_html(book.read(nav.path))
        navs = list(root.iter("nav"))
        toc = first(n for n in navs if "toc" in (n.get("epub:type") or "").split())
        toc = toc if toc is not None else first(navs)
        for link in (toc if toc is not None else root).iter("a"):
            path = _resolve(nav.path, link.get("href") or "")
            if path and text_of(link):
                titles.setdefault(path, text_of(link))
        if titles:
            return titles
    ncx = package.items.get(package.toc_id) or first(
        item for item in package.items.values() if item.media_type == "application/x-dtbncx+xml"
    )
    if ncx is not None and ncx.path in book.sample.zip_names:
        for point in book.xml(ncx.path).iter():
            if local_name(point) != "navPoint":
                continue
            label = first(e for e in point.iter() if local_name(e) == "text")
            content = first(e for e in point if local_name(e) == "content")
            if label is not None and content is not None and text_of(label):
                titles.setdefault(_resolve(ncx.path, content.get("src") or ""), text_of(label))
    return titles
