"""PDF downloads, laid out by WeasyPrint from the HTML download's markup.

The markup is the HTML format's (same front page, contents, chapters, afterword),
styled for print by ``downloads/pdf/book.css``: A5 pages, page numbers in the footer,
each chapter on a new page, contents with page numbers (``target-counter()``) and PDF
bookmarks for the chapters. WeasyPrint takes the PDF's title, author, subject and
keywords from the document's ``<title>`` and ``<meta>`` elements, so an anonymous
work, which has no author ``<meta>``, has no author in its PDF either. Fonts are
embedded as subsets of the glyphs used.

Nothing is ever fetched while a PDF is written: the markup has no images or
stylesheets to load, and the URL fetcher refuses every URL anyway.
"""

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from . import html_format

MEDIA_TYPE = "application/pdf"
STYLESHEET = "downloads/pdf/book.css"


def render(book) -> bytes:
    """The whole work as a PDF with contents, page numbers, bookmarks and metadata."""
    document = html_format.markup(book, stylesheet=STYLESHEET)
    fetcher = URLFetcher(allowed_protocols=())
    return HTML(string=document, url_fetcher=fetcher).write_pdf()
