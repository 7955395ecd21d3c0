"""Markdown to sanitised HTML, for authors who write their works in Markdown."""

from markdown_it import MarkdownIt

from .sanitize import sanitize_html

# CommonMark plus the two GitHub extensions fic writers ask for. Raw HTML is let
# through the Markdown step on purpose (AO3 authors mix in <center>, <details>,
# ruby…); the sanitiser decides what survives.
_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_to_html(md: str) -> str:
    """Render CommonMark (with tables and ~~strikethrough~~) to sanitised HTML.

    Raw HTML inside the Markdown is allowed, and the whole result then goes through
    :func:`~fanshelf.text.sanitize_html`, so scripts and ``javascript:`` links are
    removed and links get ``rel="nofollow"``. Empty input gives ``""``.
    """
    if not md or not md.strip():
        return ""
    return sanitize_html(_markdown.render(md))
