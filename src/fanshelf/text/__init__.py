"""Text handling for Fanshelf: sanitising, word counts and format conversion.

Pure Python with no Django imports, so importers, exporters and the command line
can use it alone. Everything that stores HTML goes through :func:`sanitize_html`
(directly or through one of the converters, which sanitise their output).
"""

from .markdown import markdown_to_html
from .paragraphs import text_to_html
from .plain import html_to_text
from .sanitize import sanitize_html
from .words import count_words

__all__ = [
    "count_words",
    "html_to_text",
    "markdown_to_html",
    "sanitize_html",
    "text_to_html",
]
