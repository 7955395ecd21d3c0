"""``{% download_menu work %}``: the Download menu on a work's page (EPUB, PDF, HTML, TXT)."""

from django import template
from django.urls import reverse

from fanshelf.downloads.book import work_slug
from fanshelf.downloads.services import available_extensions

register = template.Library()

LABELS = {"epub": "EPUB", "pdf": "PDF", "html": "HTML", "txt": "TXT"}


@register.inclusion_tag("downloads/_menu.html")
def download_menu(work):
    """A link per format for a posted work; nothing for drafts, which cannot be downloaded."""
    if not work.is_posted:
        return {"links": []}
    slug = work_slug(work_id=work.pk, title=work.title)
    return {
        "links": [
            (
                LABELS[extension],
                reverse(
                    "downloads:file",
                    kwargs={"work_id": work.pk, "slug": slug, "extension": extension},
                ),
            )
            for extension in available_extensions()
        ]
    }
