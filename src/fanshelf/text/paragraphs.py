"""Plain text to paragraph HTML, for works pasted or uploaded as text."""

import html

from .prose import split_flattened_prose
from .sanitize import sanitize_html

# Below this a text without line breaks is short enough to stay one paragraph
# (a drabble's summary, a one-paragraph ficlet).
FLATTENED_MIN_CHARS = 600


def text_to_html(text: str) -> str:
    """Turn plain text into sanitised ``<p>`` paragraphs.

    Line endings are normalised; one or more blank lines separate paragraphs and a
    single newline inside a paragraph becomes ``<br>``. The text is escaped, so
    ``<script>`` in it is shown, not run. A text of more than 600 characters with no
    line break at all has lost its paragraphs on the way; it is split at dialogue
    turns and sentence groups instead (see :mod:`fanshelf.text.prose`). Empty or
    blank text gives ``""``.
    """
    if not text or not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in text and len(text) > FLATTENED_MIN_CHARS:
        paragraphs = [[p] for p in split_flattened_prose(text)]
    else:
        paragraphs = _blank_line_paragraphs(text)
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line, quote=False) for line in lines) + "</p>"
        for lines in paragraphs
    )
    return sanitize_html(body)


def _blank_line_paragraphs(text):
    """Group the lines of ``text`` into paragraphs at runs of blank lines."""
    paragraphs, lines = [], []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append(lines)
            lines = []
    if lines:
        paragraphs.append(lines)
    return paragraphs
