"""Generic HTML: the title from the first ``<h1>`` or ``<title>``, the body sanitised."""

from html.parser import HTMLParser

from django.utils.translation import gettext as _

from fanshelf import text
from fanshelf.imports.readers.base import (
    ImportedChapter,
    ImportedWork,
    ImportProblem,
    placeholder_title,
)
from fanshelf.imports.readers.registry import FileSample, Reader


class _HtmlOutline(HTMLParser):
    """Finds the document's title, first h1 and the span of its body, by offsets."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for line in source.split("\n"):
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.title = ""
        self.h1 = ""
        self.h1_span: tuple[int, int] | None = None
        self.body_span = [None, None]
        self.lang = ""
        self._in = None
        self._h1_start = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        elif tag == "body" and self.body_span[0] is None:
            self.body_span[0] = self._offset() + len(self.get_starttag_text() or "")
        elif tag == "title" and not self.title:
            self._in = "title"
        elif tag == "h1" and self.h1_span is None and self._h1_start is None:
            self._in, self._h1_start = "h1", self._offset()

    def handle_endtag(self, tag):
        if tag == "body":
            self.body_span[1] = self._offset()
        elif tag == self._in:
            if tag == "h1":
                self.h1_span = (self._h1_start, self._offset() + len("</h1>"))
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data


def read_html(source: str, *, name: str = "") -> list[ImportedWork]:
    """A generic HTML file: the title from <title> or the first <h1>, the body as text."""
    outline = _HtmlOutline(source)
    outline.feed(source)
    outline.close()
    start, end = outline.body_span
    body = source[start or 0 : end if end is not None else len(source)]
    title = " ".join((outline.h1 or outline.title).split())
    if outline.h1_span and title and (start or 0) <= outline.h1_span[0]:
        h1_start, h1_end = (offset - (start or 0) for offset in outline.h1_span)
        body = body[:h1_start] + body[h1_end:]
    body_html = text.sanitize_html(body)
    if not text.html_to_text(body_html).strip():
        raise ImportProblem(_("the file has no story text"))
    return [
        ImportedWork(
            title=title or placeholder_title(name),
            title_is_placeholder=not title,
            language=outline.lang.strip() or "en",
            expected_chapters=1,
            chapters=[ImportedChapter(body_html=body_html)],
            source=name,
            reader="html",
        )
    ]


def _is_html(sample: FileSample) -> bool:
    if sample.looks_like_html:
        return True
    return sample.suffix in {".html", ".htm", ".xhtml"} and "<" in (sample.text or "")


READER = Reader(
    "html", sniff=_is_html, read=lambda sample: read_html(sample.text, name=sample.name)
)
