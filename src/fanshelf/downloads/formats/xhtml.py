"""The archive's stored HTML, rewritten as XHTML that an EPUB validator accepts.

Stored texts are HTML5 fragments cut to the allow-list of ``fanshelf.text.sanitize``:
void elements without a slash (``<br>``), named entities (``&nbsp;``), and markup that
a browser forgives but the XHTML content model does not (a ``<p>`` inside an ``<em>``,
an ``<li>`` outside any list, ``<center>``, ``align``, a ``<caption>`` after the rows).
lxml (libxml2) parses each fragment; the tree is then repaired to the content model of
EPUB 3 XHTML and written out as XML, entities as characters. Images are never fetched:
each becomes a link to its address, labelled with its alt text.
"""

import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

from fanshelf.downloads.formats.xhtml_repair import FLOW, PHRASING, RUBY_PARTS, VOID, repair

# Characters XML 1.0 forbids (C0 controls other than tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF). lxml refuses strings holding them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Obsolete elements the sanitiser lets through, as what they meant.
RENAMED = {
    "acronym": ("abbr", None),
    "big": ("span", "big"),
    "center": ("div", "align-center"),
    "strike": ("s", None),
    "tt": ("span", "tt"),
}
GLOBAL_ATTRIBUTES = frozenset({"class", "dir", "lang", "title"})
ATTRIBUTES = {
    "a": {"href"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_VALID_VALUE = {
    "colspan": re.compile(r"[1-9][0-9]{0,2}"),
    "dir": re.compile(r"ltr|rtl|auto"),
    "lang": re.compile(r"(?:[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)?"),
    "rowspan": re.compile(r"[0-9]{1,3}"),
    "span": re.compile(r"[1-9][0-9]{0,2}"),
    "start": re.compile(r"-?[0-9]{1,9}"),
    "type": re.compile(r"[1aAiI]"),
}
ALIGNMENTS = frozenset({"left", "center", "right", "justify"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# What may stay as it is in a URL's path and query; everything else (spaces, quotes,
# non-ASCII) is percent-encoded, and existing escapes are kept.
_PATH_SAFE = "/:@!$&'()*+,;=%~-._"
_QUERY_SAFE = _PATH_SAFE + "?"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")
# libxml2 parses up to about 2,000 elements deep with huge_tree (deeper text is lost).
_PARSER = lxml.html.HTMLParser(huge_tree=True)
# Many readers parse XHTML with libxml2, which refuses documents nested more than
# 256 elements deep; markup deeper than this in a text is kept as plain text.
_MAX_NESTING = 64
# Elements that may hold plain text wherever they stand.
TEXT_HOLDERS = (PHRASING - RUBY_PARTS - {"ruby", "br", "img", "wbr"}) | {
    "address", "blockquote", "caption", "dd", "div", "dt", "figcaption", "h1", "h2", "h3",
    "h4", "h5", "h6", "li", "p", "pre", "summary", "td", "th",
}  # fmt: skip


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot carry (stray control characters)."""
    return _NOT_XML.sub("", text or "")


def to_xhtml(html: str, *, base_url: str) -> str:
    """The HTML fragment ``html`` as well-formed, valid EPUB 3 XHTML markup.

    The result is a sequence of elements in no namespace, to be placed inside an
    XHTML document's body (where the default namespace makes them XHTML). Relative
    links are resolved against ``base_url``; links to fragments of the archive page
    (which the book does not hold) lose their target, keeping their text.
    """
    root = _parse(html)
    if root is None:
        return ""
    _repair(root, base_url=base_url)
    _flatten_below(root, _MAX_NESTING)
    _close_empty_elements(root)
    markup = etree.tostring(root, encoding="unicode", method="xml")
    return markup[len("<div>") : -len("</div>")]


def to_text(html: str) -> str:
    """The text of the HTML fragment ``html``, paragraphs separated by blank lines."""
    root = _parse(html)
    if root is None:
        return ""
    for element in root.iter(etree.Element):
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in FLOW:
            element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _parse(html: str):
    html = xml_text(html)
    if not html.strip():
        return None
    root = lxml.html.fragment_fromstring(html, create_parent="div", parser=_PARSER)
    for node in root.xpath("//comment() | //processing-instruction()"):
        node.drop_tree()  # keeps the text after it
    return root


def _repair(root, *, base_url: str) -> None:
    for element in list(root.iter(etree.Element)):
        if element is not root:
            _clean_element(element, base_url=base_url)
    repair(root)


def _clean_element(element, *, base_url: str) -> None:
    """Rename obsolete elements, turn images into links, keep only valid attributes."""
    tag = element.tag
    if tag in RENAMED:
        element.tag, class_name = RENAMED[tag]
        if class_name:
            _add_class(element, class_name)
    elif tag == "img":
        _image_as_link(element, base_url=base_url)
        return
    elif tag not in PHRASING and tag not in FLOW:
        element.drop_tag()
        return
    align = (element.get("align") or "").strip().lower()
    href = element.get("href") if element.tag == "a" else None
    allowed = GLOBAL_ATTRIBUTES | ATTRIBUTES.get(element.tag, set())
    for name, value in list(element.attrib.items()):
        pattern = _VALID_VALUE.get(name)
        if name not in allowed or (pattern and not pattern.fullmatch(value.strip())):
            del element.attrib[name]
        elif pattern:
            element.set(name, value.strip())
    if align in ALIGNMENTS:
        _add_class(element, f"align-{align}")
    if href is not None:
        link = _link(href, base_url=base_url)
        if link:
            element.set("href", link)
        else:
            element.attrib.pop("href", None)


def _image_as_link(image, *, base_url: str) -> None:
    """An image shown as its alt text, linked to its address unless already in a link."""
    label = " ".join((image.get("alt") or "").split()) or _("image")
    link = _link(image.get("src") or "", base_url=base_url)
    in_link = any(parent.tag == "a" for parent in image.iterancestors())
    image.attrib.clear()
    image.tag = "a" if link and not in_link else "span"
    _add_class(image, "image")
    if image.tag == "a":
        image.set("href", link)
    image.text = f"[{label}]"


def _link(href: str, *, base_url: str) -> str:
    """``href`` as an absolute, well-formed URL; "" if it cannot be one the book keeps."""
    href = href.strip()
    if not href or href.startswith("#"):
        return ""
    try:
        parts = urlsplit(urljoin(base_url, href))
        scheme = parts.scheme.lower()
        netloc = ""
        if scheme not in LINK_SCHEMES:
            return ""
        if scheme != "mailto":
            host, port = parts.hostname or "", parts.port  # ValueError: port not a number
            host = host if host.isascii() else host.encode("idna").decode("ascii")
            if parts.username is not None or not _HOST.fullmatch(host):
                return ""
            netloc = host if port is None else f"{host}:{port}"
    except (ValueError, UnicodeError):
        return ""
    return urlunsplit(
        (
            scheme,
            netloc,
            _escape(parts.path, _PATH_SAFE),
            _escape(parts.query, _QUERY_SAFE),
            _escape(parts.fragment, _QUERY_SAFE),
        )
    )


def _escape(component: str, safe: str) -> str:
    """Percent-encode what a URL may not hold as it is; existing escapes stay."""
    return quote(_STRAY_PERCENT.sub("%25", component), safe=safe)


def _add_class(element, name: str) -> None:
    classes = (element.get("class") or "").split()
    if name not in classes:
        element.set("class", " ".join([*classes, name]))


def _flatten_below(root, limit: int) -> None:
    """Keep only the text of whatever is nested more than ``limit`` elements deep."""
    depths = {root: 0}
    holders = []
    for element in root.iterdescendants(etree.Element):
        parent_depth = depths.get(element.getparent())
        if parent_depth is None:
            continue  # below an element already at the limit
        depth = parent_depth + 1
        if depth < limit:
            depths[element] = depth
        elif depth == limit:
            holder = element
            while holder is not root and holder.tag not in TEXT_HOLDERS:
                holder = holder.getparent()
            holders.append(holder)
    chosen = set(holders)
    for holder in dict.fromkeys(holders):
        if any(ancestor in chosen for ancestor in holder.iterancestors()):
            continue  # flattened with an outer one
        text = holder.text_content()
        for child in list(holder):
            holder.remove(child)
        holder.text = text


def _close_empty_elements(root) -> None:
    """Write empty elements as ``<p></p>``: ``<p/>`` is XML but trips some readers."""
    for element in root.iter(etree.Element):
        if element.tag not in VOID and element.text is None and len(element) == 0:
            element.text = ""
