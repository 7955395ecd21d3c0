"""Repairs an HTML tree to the content model of EPUB 3 XHTML, keeping all of its text.

Browsers forgive markup that the XHTML content model (and so epubcheck) does not: an
``<em>`` around paragraphs, an ``<li>`` outside a list, a ``<caption>`` after the
rows, ``<ruby>`` without ``<rt>``, a ``<summary>`` in the wrong place. Each rule here
moves or renames elements so that every element holds what it may; none drops text.
Rules run children before parents and repeat until nothing changes, since one repair
(a new list item, a pushed-down emphasis) can make work for another.
"""

import re

from django.utils.translation import gettext as _
from lxml import etree

PHRASING = frozenset(
    {
        "a", "abbr", "b", "bdi", "br", "cite", "code", "del", "dfn", "em", "i", "ins",
        "kbd", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span",
        "strong", "sub", "sup", "u", "var", "wbr",
    }
)  # fmt: skip
FLOW = frozenset(
    {
        "address", "blockquote", "caption", "col", "colgroup", "dd", "details", "div",
        "dl", "dt", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "li", "ol", "p", "pre", "summary", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
VOID = frozenset({"br", "col", "hr", "wbr"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
RUBY_PARTS = frozenset({"rb", "rp", "rt", "rtc"})
# Elements holding other elements in a fixed structure: an inline element pushed into
# them goes one level further down, into each child.
STRUCTURED = frozenset(
    {"details", "dl", "figure", "ol", "table", "tbody", "tfoot", "thead", "tr", "ul"}
)
# Blocks that may hold phrasing content only: given a block child, they become a div.
PHRASING_BLOCKS = HEADINGS | {"p", "pre"}
TABLE_PARTS = frozenset({"caption", "colgroup", "thead", "tbody", "tr", "tfoot"})
# Real texts push an inline element one or two blocks down; a bound keeps crafted
# nesting from costing minutes (deeper blocks simply lose that emphasis).
MAX_PUSH_DEPTH = 16
MAX_PASSES = 8
# A ruby annotation: bases (B), then annotations (T: rt, C: rtc), rt between rp's.
_RUBY = re.compile(r"(?:B+(?:T|PTP|C)+)+")


def repair(root) -> None:
    """Repair the tree under ``root`` (a div) in place."""
    for _pass in range(MAX_PASSES):
        changed = False
        for element in reversed(list(root.iter(etree.Element))):
            if element is root or element.getparent() is not None:
                changed |= _fix(element)
        if not changed:
            return


def _fix(element) -> bool:
    """Repair ``element`` and its children; True if anything changed."""
    tag = element.tag
    parent = element.getparent()
    context = parent.tag if parent is not None else "div"
    misplaced = {
        "figcaption": context != "figure",
        "summary": context != "details",
        "caption": context != "table",
        "rb": context != "ruby",
        "rtc": context != "ruby",
        "rt": context not in ("ruby", "rtc"),
        "rp": context not in ("ruby", "rtc"),
    }
    if misplaced.get(tag):
        element.tag = "span" if tag in RUBY_PARTS else "div"
        return True
    changed = _fix_children(element)
    if tag in PHRASING and tag not in VOID and _has_flow_child(element):
        if tag in RUBY_PARTS or tag == "ruby":
            element.tag = "span"
        elif parent is not None:
            _push_down(element)
        return True
    if tag in PHRASING_BLOCKS and _has_flow_child(element):
        element.tag = "div"
        return True
    return changed


def _fix_children(element) -> bool:
    tag = element.tag
    if tag in ("ul", "ol"):
        return _adopt_strays(element, allowed={"li"}, wrapper="li", into_previous=True)
    if tag == "dl":
        return _adopt_strays(element, allowed={"dt", "dd"}, wrapper="dd") | _pair_terms(element)
    changed = _group_orphans(element, {"li"}, "ul") | _group_orphans(element, {"dt", "dd"}, "dl")
    if tag == "details":
        changed |= _summary_first(element)
    elif tag == "summary":
        changed |= _rename_if(element, _has_flow_child(element) and not _single_heading(element))
    elif tag == "figure":
        changed |= _caption_at_an_end(element)
    elif tag == "table":
        changed |= _table_order(element)
    elif tag == "ruby":
        changed |= _check_ruby(element)
    elif (tag == "rp" and len(element)) or (
        tag == "caption" and any(True for _ in element.iterdescendants("table"))
    ):
        _keep_text_only(element)  # an rp holds text only; a caption holds no table
        changed = True
    elif tag in ("a", "dfn"):
        for inner in element.iterdescendants(tag, "details"):
            inner.tag = "div" if inner.tag == "details" else "span"
            inner.attrib.pop("href", None)
            changed = True
    elif tag == "address":
        inner = element.iterdescendants(*HEADINGS, "address")
        changed |= _rename_if(element, any(True for _ in inner))
    elif tag == "colgroup" and len(element) and "span" in element.attrib:
        del element.attrib["span"]  # a group spans its columns or says how many, not both
        changed = True
    elif tag in ("dt", "th"):
        for heading in element.iterdescendants(*HEADINGS):
            heading.tag = "p"
            changed = True
    return changed


def _rename_if(element, condition: bool, to: str = "div") -> bool:
    if condition:
        element.tag = to
    return condition


def _has_flow_child(element) -> bool:
    return any(child.tag not in PHRASING for child in element)


def _has_text(text: str | None) -> bool:
    """Whether ``text`` is more than XML white space (a no-break space counts as text)."""
    return bool(text and text.strip(" \t\n\r"))


def _single_heading(summary) -> bool:
    return (
        len(summary) == 1
        and summary[0].tag in HEADINGS
        and not _has_text(summary.text)
        and not _has_text(summary[0].tail)
    )


def _keep_text_only(element) -> None:
    text = element.text_content()
    for child in list(element):
        element.remove(child)
    element.text = text


def _push_down(inline, depth: int = 0) -> None:
    """Replace ``inline`` (an em, a link…) holding blocks by copies inside each block.

    ``<em><p>a</p><p>b</p></em>`` becomes ``<p><em>a</em></p><p><em>b</em></p>``:
    the emphasis is kept and every element holds what it may.
    """
    if depth > MAX_PUSH_DEPTH:
        inline.drop_tag()
        return
    parent = inline.getparent()
    index = parent.index(inline)
    tail = inline.tail
    pieces = []
    run = _empty_copy(inline)
    run.text = inline.text
    for child in list(inline):
        if child.tag in PHRASING:
            run.append(child)
            continue
        child_tail, child.tail = child.tail, None
        if _has_text(run.text) or len(run):
            pieces.append(run)
        pieces.append(child)
        _wrap_inside(child, inline, depth)
        run = _empty_copy(inline)
        run.text = child_tail
    if _has_text(run.text) or len(run):
        pieces.append(run)
    elif run.text:
        pieces.append(run.text)  # whitespace between blocks stays as it was
    parent.remove(inline)
    position = index
    for piece in pieces:
        if isinstance(piece, str):
            _append_text(parent, position, piece)
            continue
        parent.insert(position, piece)
        position += 1
    _append_text(parent, position, tail)


def _wrap_inside(block, inline, depth: int) -> None:
    """Put a copy of ``inline`` around the phrasing content of ``block``."""
    if depth > MAX_PUSH_DEPTH or block.tag in VOID or block.tag == "colgroup":
        return
    if inline.tag == "a" and any(True for _ in block.iter("a")):
        return  # a link never holds another link; the inner one wins
    only_blocks = not _has_text(block.text) and all(
        child.tag not in PHRASING and not _has_text(child.tail) for child in block
    )
    if block.tag in STRUCTURED or only_blocks:
        for child in block:
            _wrap_inside(child, inline, depth + 1)
        return
    wrapper = _empty_copy(inline)
    wrapper.text, block.text = block.text, None
    for child in list(block):
        wrapper.append(child)
    block.append(wrapper)
    if _has_flow_child(wrapper):
        _push_down(wrapper, depth + 1)


def _empty_copy(element):
    return element.makeelement(element.tag, dict(element.attrib))


def _append_text(parent, index: int, text: str | None) -> None:
    """Put ``text`` where position ``index`` of ``parent`` is (after what precedes it)."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text


def _move_first(parent, child) -> None:
    """Move ``child`` to the start of ``parent``, ahead of any text too."""
    index = parent.index(child)
    tail, child.tail = child.tail, None
    parent.remove(child)
    _append_text(parent, index, tail)
    parent.insert(0, child)
    child.tail, parent.text = (parent.text or "") + (child.tail or ""), None


def _move_last(parent, child) -> None:
    index = parent.index(child)
    tail, child.tail = child.tail, None
    parent.remove(child)
    _append_text(parent, index, tail)
    parent.append(child)


def _adopt_strays(container, *, allowed: set[str], wrapper: str, into_previous=False) -> bool:
    """Put what a list holds besides its items into items (``<ul><ul>…`` → ``<ul><li><ul>``)."""
    changed = False
    previous = None
    if _has_text(container.text):
        previous = container.makeelement(wrapper, {})
        previous.text, container.text = container.text, None
        container.insert(0, previous)
        changed = True
    for child in list(container):
        stray_tail = child.tail if _has_text(child.tail) else None
        if child.tag not in allowed:
            if previous is None or not into_previous:
                previous = container.makeelement(wrapper, {})
                container.replace(child, previous)
            else:
                container.remove(child)
            previous.append(child)
            changed = True
            continue
        previous = child
        if stray_tail:
            child.tail = None
            item = container.makeelement(wrapper, {})
            item.text = stray_tail
            child.addnext(item)
            previous = item
            changed = True
    return changed


def _group_orphans(element, tags: set[str], wrapper: str) -> bool:
    """Wrap runs of ``tags`` children (items outside a list) in a new ``wrapper``."""
    group = None
    changed = False
    for child in list(element):
        if child.tag not in tags:
            group = None
            continue
        if group is None:
            group = element.makeelement(wrapper, {})
            child.addprevious(group)
            changed = True
        tail, child.tail = child.tail, None
        group.append(child)
        if _has_text(tail):
            group.tail = (group.tail or "") + tail
            group = None
    return changed


def _pair_terms(dl) -> bool:
    """A description list starts with a term and ends with a description."""
    changed = False
    if len(dl) and dl[0].tag == "dd":
        dl.insert(0, dl.makeelement("dt", {}))
        changed = True
    if len(dl) and dl[-1].tag == "dt":
        dl.append(dl.makeelement("dd", {}))
        changed = True
    return changed


def _summary_first(details) -> bool:
    summaries = [child for child in details if child.tag == "summary"]
    for extra in summaries[1:]:
        extra.tag = "div"
    if not summaries:
        summary = details.makeelement("summary", {})
        summary.text = _("Details")
        details.insert(0, summary)
        _move_first(details, summary)
        return True
    if details.index(summaries[0]) != 0 or _has_text(details.text):
        _move_first(details, summaries[0])
        return True
    return len(summaries) > 1


def _caption_at_an_end(figure) -> bool:
    captions = [child for child in figure if child.tag == "figcaption"]
    for extra in captions[1:]:
        extra.tag = "div"
    if not captions:
        return False
    caption = captions[0]
    first = caption is figure[0] and not _has_text(figure.text)
    last = caption is figure[-1] and not _has_text(caption.tail)
    if not (first or last):
        _move_first(figure, caption)
        return True
    return len(captions) > 1


def _table_order(table) -> bool:
    """Caption, column groups, head, body rows, foot: the order XHTML requires."""
    changed = False
    for child in list(table):
        if child.tag not in TABLE_PARTS or _has_text(child.tail):
            # Nothing else may stand in a table: it goes before it (as browsers show it).
            tail, child.tail = child.tail, None
            table.remove(child)
            table.addprevious(child)
            child.tail = tail
            changed = True
    if _has_text(table.text):
        holder = table.makeelement("div", {})
        holder.text, table.text = table.text, None
        table.addprevious(holder)
        changed = True
    rows = [child for child in table if child.tag == "tr"]
    if rows:
        body = table.makeelement("tbody", {})
        rows[0].addprevious(body)
        for row in rows:
            body.append(row)
        changed = True
    heads = [child for child in table if child.tag == "thead"]
    feet = [child for child in table if child.tag == "tfoot"]
    for extra in heads[1:] + feet[1:]:
        extra.tag = "tbody"
        changed = True
    captions = [child for child in table if child.tag == "caption"]
    for extra in captions[1:]:
        extra.tag = "div"
        table.remove(extra)
        captions[0].append(extra)
        changed = True
    rank = {"caption": 0, "colgroup": 1, "thead": 2, "tbody": 3, "tfoot": 4}
    ordered = sorted(table, key=lambda child: rank[child.tag])
    if ordered != list(table):
        for child in ordered:
            table.append(child)  # appending an element already there moves it
        changed = True
    return changed


def _check_ruby(ruby) -> bool:
    """A ruby that is not bases then annotations becomes plain text in a span."""
    tokens = "B" if _has_text(ruby.text) else ""
    for child in ruby:
        if child.tag == "ruby" or child.tag not in PHRASING:
            tokens += "X"
        else:
            tokens += {"rt": "T", "rp": "P", "rtc": "C"}.get(child.tag, "B")
        if _has_text(child.tail):
            tokens += "B"
    if _RUBY.fullmatch(tokens):
        return False
    ruby.tag = "span"
    for part in ruby.iterdescendants(*RUBY_PARTS, "ruby"):
        part.tag = "span"
    return True
