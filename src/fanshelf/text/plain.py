"""Plain text out of stored HTML, for TXT downloads and the search index."""

from html.parser import HTMLParser

# Elements that stand apart from their neighbours with a blank line.
PARAGRAPH_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "div", "dl",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main",
        "nav", "ol", "p", "pre", "section", "table", "ul",
    }
)  # fmt: skip
# Elements that start a new line but stay in the surrounding paragraph.
LINE_ELEMENTS = frozenset({"caption", "dd", "dt", "figcaption", "li", "summary", "tr"})
CELL_ELEMENTS = frozenset({"td", "th"})
SKIPPED_ELEMENTS = frozenset({"script", "style", "template", "head", "title"})
SCENE_BREAK = "* * *"

# Markers between text pieces: a line break from <br> (two in a row leave an empty
# line, which ends the paragraph), a new line from structure (never doubled) and a
# paragraph break.
_BR, _LINE, _PARAGRAPH = object(), object(), object()


class _TextCollector(HTMLParser):
    """Turns a stream of tags and text into text pieces and break markers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events = []
        self._skipping = 0
        self._pre = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self._skipping += 1
        elif tag == "br":
            self.events.append(_BR)
        elif tag == "hr":
            self.events.extend([_PARAGRAPH, SCENE_BREAK, _PARAGRAPH])
        elif tag in PARAGRAPH_ELEMENTS:
            self.events.append(_PARAGRAPH)
            if tag == "pre":
                self._pre += 1
        elif tag in LINE_ELEMENTS:
            self.events.append(_LINE)
        elif tag in CELL_ELEMENTS:
            self.events.append(" ")

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in PARAGRAPH_ELEMENTS:
            self.events.append(_PARAGRAPH)
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
        elif tag in LINE_ELEMENTS:
            self.events.append(_LINE)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._skipping:
            return
        if not self._pre:
            self.events.append(data)
            return
        for number, line in enumerate(data.split("\n")):
            if number:
                self.events.append(_BR)
            self.events.append(_Preformatted(line))


class _Preformatted(str):
    """Text from inside <pre>, whose spaces are kept."""


def html_to_text(html: str) -> str:
    """Return the text of an HTML fragment, laid out as plain text.

    Paragraph-level elements (p, div, headings, blockquote, lists, tables) are
    separated by a blank line; ``<br>``, list items and table rows start a new
    line, and two ``<br>`` in a row make a paragraph break. Entities are unescaped,
    whitespace inside a line is collapsed (except inside ``<pre>``), ``<hr>``
    becomes a ``* * *`` scene break, and scripts and styles are left out.
    """
    if not html:
        return ""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()

    paragraphs, lines, line = [], [], []

    def end_line(*, keep_empty=False):
        if any(isinstance(piece, _Preformatted) for piece in line):
            text = "".join(line).rstrip()
        else:
            text = " ".join("".join(line).split())
        if text or keep_empty:
            lines.append(text)
        line.clear()

    for event in collector.events:
        if event is _BR:
            end_line(keep_empty=True)
        elif event is _LINE:
            end_line()
        elif event is _PARAGRAPH:
            end_line()
            paragraphs.append(list(lines))
            lines.clear()
        else:
            line.append(event)
    end_line()
    paragraphs.append(lines)
    return "\n\n".join(_split_at_blank_lines(paragraphs))


def _split_at_blank_lines(paragraphs):
    """Yield each paragraph's text; an empty line inside one (<br><br>) splits it."""
    for lines in paragraphs:
        block = []
        for line in lines:
            if line.strip():
                block.append(line)
            elif block:
                yield "\n".join(block)
                block = []
        if block:
            yield "\n".join(block)
