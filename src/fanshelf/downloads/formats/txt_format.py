"""Plain text downloads: UTF-8, wrapped at 78 columns, readable in any editor.

The front matter, chapters and afterword are laid out like the other formats, with
underlined headings. The stored HTML is laid out here rather than flattened with
``fanshelf.text.html_to_text``: lists keep their bullets and numbers, block quotes
are indented, links and images show their URL, and paragraphs are wrapped.

Wrapping counts display columns (a Chinese character takes two, a combining mark
none), breaks only at spaces and between CJK characters (never before a closing
``。`` or after an opening ``「``), and never inside a word: a word or URL wider than
the line gets a line of its own.
"""

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urljoin

import regex
from django.utils.translation import gettext as _

MEDIA_TYPE = "text/plain; charset=utf-8"
WIDTH = 78
MIN_WIDTH = 24  # deeply nested quotes and lists still get this many columns of text
INDENT = "    "
SCENE_BREAK = "* * *"

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# Scripts written without spaces, where a line may break between two characters.
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\u3000-\u303f\uff01-\uff60]")
# Kinsoku: characters that never start a line, and characters that never end one.
_NO_LINE_START = frozenset(
    "、。，．・：；？！゛゜ヽヾゝゞ々〻ー）」』】〕〉》〙〗〟’”｝〜～…‥"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ,.!?:;)]}"
)
_NO_LINE_END = frozenset("（「『【〔〈《〘〖〝‘“｛([{")
_BLOCKS = frozenset(
    {
        "address", "blockquote", "center", "details", "div", "dl", "figure", "figcaption",
        "h1", "h2", "h3", "h4", "h5", "h6", "ol", "p", "pre", "summary", "table", "ul",
        "caption", "dd", "dt", "li",
    }
)  # fmt: skip
_SKIPPED = frozenset({"script", "style", "template", "head", "title"})


def render(book) -> bytes:
    """The whole work as wrapped UTF-8 text with ``\\n`` line endings."""
    blocks = [_front_matter(book)]
    for chapter in book.chapters:
        blocks.append("\n" + _heading(chapter.heading, "="))
        blocks += _section(_("Chapter Summary"), chapter.summary, book.url)
        blocks += _section(_("Chapter Notes"), chapter.notes, book.url)
        if body := layout_html(chapter.body, base_url=book.url):
            blocks.append(body)
        blocks += _section(_("Chapter End Notes"), chapter.end_notes, book.url)
    blocks.append("\n" + _heading(_("Afterword"), "="))
    blocks += _section(_("End Notes"), book.end_notes, book.url)
    blocks.append(
        _paragraph(
            _(
                "Please drop by the archive and leave kudos or a comment to let the "
                "creator know if you enjoyed their work!"
            )
        )
    )
    blocks.append(
        "\n".join([_field(_("Kudos"), book.kudos_url), _field(_("Comments"), book.comments_url)])
    )
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _front_matter(book) -> str:
    title = _wrap(book.title, WIDTH)
    rule = "=" * max(_width(line) for line in title)
    lines = [rule, *title, rule, "", *_wrap(_("by %(byline)s") % {"byline": book.byline}, WIDTH)]
    fields = [
        _field(book.tag_labels[tag_type], ", ".join(names)) for tag_type, names in book.tags.items()
    ]
    fields.append(_field(_("Language"), book.language_name))
    if book.series:
        part = _("Part %(n)s of %(series)s") % {
            "n": book.series.position,
            "series": book.series.title,
        }
        fields.append(_field(_("Series"), f"{part} <{book.series.url}>"))
    stats = [f"{label}: {value}" for label, value in book.stat_items]
    fields.append(_field(_("Stats"), stats, separator="  "))
    fields.append(_field(_("URL"), book.url))
    blocks = ["\n".join(lines), "\n".join(fields)]
    blocks += _section(_("Summary"), book.summary, book.url)
    blocks += _section(_("Notes"), book.notes, book.url)
    return "\n\n".join(blocks)


def _section(title: str, html: str, base_url: str) -> list[str]:
    """A titled block of the author's HTML, or nothing when the HTML is empty."""
    text = layout_html(html, base_url=base_url)
    return [_heading(title, "-"), text] if text else []


def _heading(text: str, underline: str) -> str:
    lines = _wrap(text, WIDTH)
    return "\n".join([*lines, underline * max(_width(line) for line in lines)])


def _paragraph(text: str) -> str:
    return "\n".join(_wrap(text, WIDTH))


def _field(label: str, value: str | list[str], *, separator: str = " ") -> str:
    """ "Label: value", wrapped with the following lines indented."""
    words = _HTML_SPACE.split(value) if isinstance(value, str) else value
    lines = _wrap_words([f"{label}:", *words], WIDTH - len(INDENT), separator=separator)
    # One space after the label, whatever separates the values.
    lines[0] = lines[0].replace(f"{label}:{separator}", f"{label}: ", 1)
    return "\n".join([lines[0], *(INDENT + line for line in lines[1:])])


# Wrapping -------------------------------------------------------------------------


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    """How many columns ``text`` takes in a terminal."""
    return len(text) if text.isascii() else sum(map(_char_width, text))


def _joins(char: str) -> bool:
    """Whether ``char`` is glued to its neighbour (combining marks, ZWJ, selectors)."""
    return unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf")


def _pieces(word: str) -> list[str]:
    """``word`` cut where a line may break inside it: between CJK characters."""
    if word.isascii() or not _CJK.search(word):
        return [word]
    pieces, start = [], 0
    for i in range(1, len(word)):
        before, after = word[i - 1], word[i]
        if (
            (_CJK.match(before) or _CJK.match(after))
            and after not in _NO_LINE_START
            and before not in _NO_LINE_END
            and not _joins(after)
            and not _joins(before)
        ):
            pieces.append(word[start:i])
            start = i
    pieces.append(word[start:])
    return pieces


def _wrap(text: str, width: int) -> list[str]:
    return _wrap_words(_HTML_SPACE.split(text), width)


def _wrap_words(words: list[str], width: int, *, separator: str = " ") -> list[str]:
    """Fill lines of at most ``width`` columns with ``words`` (never split, except CJK)."""
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for word in words:
        if not word:
            continue
        for number, piece in enumerate(_pieces(word)):
            gap = separator if number == 0 and line else ""
            size = _width(piece)
            if line and used + len(gap) + size > width:
                lines.append("".join(line))
                line, used = [piece], size
            else:
                line.append(gap + piece)
                used += len(gap) + size
    if line:
        lines.append("".join(line))
    return lines or [""]


# Laying out the author's HTML ---------------------------------------------------


def layout_html(html: str, *, base_url: str = "", width: int = WIDTH) -> str:
    """Lay out a fragment of stored HTML as wrapped plain text; "" when it has no text.

    Paragraphs and other blocks are separated by a blank line, ``<br>`` starts a new
    line, list items get ``*`` or their number, block quotes and list items are
    indented, ``<hr>`` is a centred ``* * *``, ``<pre>`` keeps its lines, links and
    images show their URL (made absolute against ``base_url``) in angle brackets.
    """
    if not html or not html.strip():
        return ""
    layout = _Layout(base_url=base_url, width=width)
    layout.feed(html)
    layout.close()
    layout.end_block()
    return "\n".join(layout.lines).strip("\n")


class _Layout(HTMLParser):
    def __init__(self, *, base_url: str, width: int):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.width = width
        self.lines: list[str] = []  # the finished output
        self.logical: list[str] = []  # the current block's lines, before wrapping
        self.text: list[str] = []  # the current line's pieces
        self.indents: list[tuple[str, str]] = []  # (element, indentation) for every line
        self.marker = ""  # a list item's bullet or number, for its first line
        self.tight = False  # no blank line before the next block (list items)
        self.lists: list[list] = []  # [kind, next number] of each open list
        self.links: list[tuple[str, int]] = []  # open links: href, where their text began
        self.pre = 0
        self.skipping = 0
        self.ruby_parens = False

    # Blocks

    def end_line(self):
        if self.pre:
            self.logical.append("".join(self.text).rstrip())
        else:
            self.logical.append(_HTML_SPACE.sub(" ", "".join(self.text)).strip())
        self.text = []

    def end_block(self):
        self.end_line()
        while self.logical and not self.logical[-1]:
            self.logical.pop()
        while self.logical and not self.logical[0]:
            self.logical.pop(0)
        if not self.logical:
            return
        rest = "".join(indent for _, indent in self.indents)
        first = rest[: len(rest) - len(self.marker)] + self.marker if self.marker else rest
        available = max(MIN_WIDTH, self.width - len(rest))
        if self.lines and not self.tight:
            self.lines.append("")
        prefix = first
        for line in self.logical:
            wrapped = [line] if self.pre else _wrap(line, available)
            for part in wrapped:
                self.lines.append((prefix + part).rstrip())
                prefix = rest
        self.logical = []
        self.marker = ""
        self.tight = False

    def new_line(self):
        if "".join(self.text).strip():
            self.end_line()

    def indent(self, tag: str, indent: str):
        self.end_block()
        self.indents.append((tag, indent))

    def dedent(self, tag: str):
        self.end_block()
        if self.indents and self.indents[-1][0] == tag:
            self.indents.pop()

    def scene_break(self):
        self.end_block()
        if self.lines:
            self.lines.append("")
        rest = "".join(indent for _, indent in self.indents)
        room = max(MIN_WIDTH, self.width - len(rest))
        self.lines.append(rest + SCENE_BREAK.center(room).rstrip())

    def open_item(self):
        self.end_block()
        kind, number, start = self.lists[-1] if self.lists else ("ul", 1, 1)
        if self.lists:
            self.lists[-1][1] += 1
        self.marker = "  " + ("* " if kind == "ul" else f"{_list_label(kind, number)}. ")
        self.indents.append(("li", " " * len(self.marker)))
        # Items follow each other without a blank line; the first keeps the list's.
        self.tight = self.tight or number != start

    # Parser events

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SKIPPED:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag == "br":
            self.end_line()
        elif tag == "hr":
            self.scene_break()
        elif tag == "img":
            self.handle_image(attrs)
        elif tag == "a":
            self.links.append((attrs.get("href") or "", len(self.text)))
        elif tag == "li":
            self.open_item()
        elif tag in ("ul", "ol"):
            start = _int(attrs.get("start"), 1) if tag == "ol" else 1
            kind = "ul" if tag == "ul" else attrs.get("type") or "1"
            kind = kind if kind in ("ul", "1", "a", "A", "i", "I") else "1"
            in_item = bool(self.lists)
            self.end_block()
            self.tight = in_item
            self.lists.append([kind, start, start])
        elif tag == "blockquote":
            self.indent(tag, INDENT)
        elif tag == "dd":
            self.indent(tag, INDENT)
            self.tight = True
        elif tag == "tr":
            self.new_line()
        elif tag in _BLOCKS:
            self.end_block()
            self.pre += tag == "pre"
        elif tag in ("td", "th"):
            if "".join(self.text).strip():
                self.text.append(" | ")
        elif tag == "ruby":
            self.ruby_parens = True
        elif tag == "rp":
            self.ruby_parens = False
        elif tag == "rt" and self.ruby_parens:
            self.text.append("(")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif self.skipping:
            return
        elif tag == "a" and self.links:
            self.close_link()
        elif tag == "li":
            self.dedent(tag)
            self.marker = ""
        elif tag in ("ul", "ol"):
            self.end_block()
            if self.lists:
                self.lists.pop()
        elif tag in ("blockquote", "dd"):
            self.dedent(tag)
        elif tag == "tr":
            self.new_line()
        elif tag in _BLOCKS:
            self.end_block()
            self.pre = max(0, self.pre - (tag == "pre"))
        elif tag == "rt" and self.ruby_parens:
            self.text.append(")")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.skipping:
            return
        if not self.pre:
            self.text.append(data)
            return
        for number, line in enumerate(data.replace("\r\n", "\n").split("\n")):
            if number:
                self.end_line()
            self.text.append(line)

    def handle_image(self, attrs):
        alt = _HTML_SPACE.sub(" ", attrs.get("alt") or "").strip() or _("image")
        src = self.absolute(attrs.get("src") or "")
        label = _("Image: %(alt)s") % {"alt": alt}
        self.text.append(f" [{label} <{src}>] " if src else f" [{label}] ")

    def close_link(self):
        href, start = self.links.pop()
        url = self.absolute(href)
        shown = _HTML_SPACE.sub(" ", "".join(self.text[start:])).strip()
        if url and shown not in (url, href, url.removeprefix("mailto:")):
            self.text.append(f" <{url}>")

    def absolute(self, href: str) -> str:
        href = href.strip()
        if not href or href.startswith("#"):
            return ""
        return urljoin(self.base_url, href) if self.base_url else href


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _list_label(kind: str, number: int) -> str:
    """The number of an ``<ol type=…>`` item: 3, c, C, iii or III."""
    if kind in "aA" and number > 0:
        letters = ""
        while number:
            number, digit = divmod(number - 1, 26)
            letters = chr(ord(kind) + digit) + letters
        return letters
    if kind in "iI" and 0 < number < 4000:
        numerals = ""
        for value, symbol in zip(
            (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
            ("m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"),
            strict=True,
        ):
            count, number = divmod(number, value)
            numerals += symbol * count
        return numerals.upper() if kind == "I" else numerals
    return str(number)
