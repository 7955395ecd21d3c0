"""HTML downloads: one self-contained HTML5 file that reads well in any browser.

Everything is inline: the stylesheet sits in a ``<style>`` element, there are no
scripts, and nothing is loaded from anywhere. Images in the author's text are never
fetched (a dead or huge URL must not break a download, and a file must not call home
when opened): each becomes its alt text, linked to the image. Relative links are made
absolute against the work's URL so they still lead to the archive from a saved file.

The PDF format lays out the same markup with a print stylesheet: :func:`markup`.
"""

from dataclasses import replace
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from fanshelf.text import html_to_text, sanitize_html

MEDIA_TYPE = "text/html; charset=utf-8"
TEMPLATE = "downloads/html/book.html"
STYLESHEET = "downloads/html/book.css"


def render(book) -> bytes:
    """The whole work as one HTML5 document in UTF-8."""
    return markup(book).encode("utf-8")


def markup(book, *, stylesheet: str = STYLESHEET) -> str:
    """The HTML document of ``book``, styled by the template ``stylesheet``."""
    base = book.url

    def offline(html: str) -> str:
        return offline_html(html, base_url=base)

    chapters = [
        replace(
            chapter,
            summary=offline(chapter.summary),
            notes=offline(chapter.notes),
            body=offline(chapter.body),
            end_notes=offline(chapter.end_notes),
        )
        for chapter in book.chapters
    ]
    keywords = [name for names in book.tags.values() for name in names]
    context = {
        "book": book,
        "stylesheet": stylesheet,
        "tag_groups": [(book.tag_labels[kind], names) for kind, names in book.tags.items()],
        "summary": offline(book.summary),
        "description": " ".join(html_to_text(book.summary).split()),
        "keywords": ", ".join(keywords),
        "notes": offline(book.notes),
        "end_notes": offline(book.end_notes),
        "chapters": chapters,
    }
    return render_to_string(TEMPLATE, context)


def offline_html(html: str, *, base_url: str) -> str:
    """Stored HTML made safe to save: sanitised again, images as links, URLs absolute.

    The text was sanitised when it was stored; cleaning it once more costs little and
    keeps a file free of scripts even if a row was written some other way.
    """
    html = sanitize_html(html)
    if "<a" not in html and "<img" not in html:
        return html
    writer = _OfflineWriter(base_url)
    writer.feed(html)
    writer.close()
    return "".join(writer.out)


class _OfflineWriter(HTMLParser):
    """Writes sanitised HTML back out, with ``<img>`` replaced and links made absolute."""

    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=False)
        self.base_url = base_url
        self.out: list[str] = []
        self.in_link = 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.image(dict(attrs))
            return
        if tag == "a":
            self.in_link += 1
            attrs = [
                (name, self.absolute(value) if name == "href" else value) for name, value in attrs
            ]
        self.out.append(_start_tag(tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "a":  # <a/> is not self-closing in HTML: it opened a link.
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = max(0, self.in_link - 1)
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def image(self, attrs):
        alt = " ".join((attrs.get("alt") or "").split()) or _("image")
        label = escape(_("[Image: %(alt)s]") % {"alt": alt})
        src = self.absolute(attrs.get("src") or "")
        if src and not self.in_link:
            self.out.append(f'<a class="image" href="{escape(src)}" rel="nofollow">{label}</a>')
        else:
            self.out.append(f'<span class="image">{label}</span>')

    def absolute(self, url: str | None) -> str:
        url = (url or "").strip()
        if not url or url.startswith("#") or urlsplit(url).scheme:
            return url
        return urljoin(self.base_url, url)


def _start_tag(tag: str, attrs) -> str:
    parts = [tag]
    for name, value in attrs:
        parts.append(name if value is None else f'{name}="{escape(value)}"')
    return "<" + " ".join(parts) + ">"
