"""AO3's HTML download: the preface (metadata list, title, byline, summary, notes),
the chapters with their own summaries and notes, and the afterword (end notes).

The layout is AO3's download template (otwarchive ``app/views/downloads``)::

    <div id="preface">
      <p class="message"><b>Title</b> … at <a href="https://archiveofourown.org/works/N">…</a></p>
      <div class="meta">
        <dl class="tags"><dt>Rating:</dt><dd><a>…</a></dd> … <dt>Stats:</dt><dd>…</dd></dl>
        <h1>Title</h1> <div class="byline">by <a rel="author">Name</a></div>
        <p>Summary</p><blockquote class="userstuff">…</blockquote>
        <p>Notes</p><blockquote class="userstuff">…</blockquote>
      </div>
    </div>
    <div id="chapters" class="userstuff">
      <div class="meta group"><h2 class="heading">Chapter 1: Title</h2> …notes…</div>
      <div class="userstuff">…text…</div>
      <div class="meta" id="endnotes1"><p>Chapter End Notes</p><blockquote>…</blockquote></div>
      …   (a one-shot has only <div class="userstuff">…</div>)
    </div>
    <div id="afterword"><div class="meta"><div id="endnotes"><p>End Notes</p>…</div></div></div>

AO3's EPUBs are made from the same page by Calibre, which cuts it into one file per
chapter; ``read_ao3`` takes the files' bodies one after another (see ``epub``).
"""

import re

from django.utils.translation import gettext as _

from fanshelf.imports.readers.base import (
    ImportedChapter,
    ImportedWork,
    ImportProblem,
    placeholder_title,
)
from fanshelf.imports.readers.markup import (
    apply_metadata,
    chapter_title,
    clean_html,
    first,
    has_class,
    has_story_text,
    labelled_blocks,
    parse_html,
    text_of,
)
from fanshelf.imports.readers.registry import FileSample, Reader

_PREFACE = re.compile(r"""<div[^>]*\sid\s*=\s*["']preface["']""", re.IGNORECASE)
_CHAPTERS = re.compile(r"""<div[^>]*\sid\s*=\s*["']chapters["']""", re.IGNORECASE)
_WORK_URL = re.compile(r"^https?://[^/]+/works/\d+")
_ANONYMOUS = "Anonymous"


def looks_like_ao3(source: str) -> bool:
    """Whether an HTML text has the preface and chapters of an AO3 download."""
    return bool(_PREFACE.search(source) and _CHAPTERS.search(source))


def read_ao3(
    root, *, name: str = "", reader: str = "ao3-html", local: bool = False
) -> ImportedWork:
    """The work of an AO3 download page (or of an AO3 EPUB's documents under one root).

    ``local`` says images point inside a file (an EPUB): they become their alt text.
    """
    remote_images = not local
    preface = first(root.xpath("//*[@id='preface']"))
    if preface is None:
        raise ImportProblem(_("not an AO3 download: it has no preface"))
    meta = first(e for e in preface.iter("div") if has_class(e, "meta"))
    if meta is None:
        meta = preface
    work = ImportedWork(title="", chapters=[], source=name, reader=reader)
    tags_list = first(dl for dl in meta.iter("dl") if has_class(dl, "tags"))
    given = apply_metadata(work, tags_list) if tags_list is not None else set()
    title = text_of(first(meta.iter("h1"))) or _message_title(preface)
    work.title = title or placeholder_title(name)
    work.title_is_placeholder = not title
    work.creators, work.anonymous = _creators(meta)
    work.source = _work_url(preface) or name
    blocks = labelled_blocks(meta)
    work.summary_html = clean_html(blocks.get("summary"), remote_images=remote_images)
    work.notes_html = clean_html(blocks.get("notes"), remote_images=remote_images)
    work.end_notes_html = _end_notes(root, remote_images=remote_images)
    work.chapters = _chapters(root, remote_images=remote_images)
    if not work.chapters:
        raise ImportProblem(_("the AO3 download has no chapter text"))
    if "expected_chapters" not in given:
        work.expected_chapters = len(work.chapters)
    if len(work.chapters) == 1 and work.chapters[0].title == work.title:
        work.chapters[0].title = ""
    return work


def _message_title(preface) -> str:
    message = first(p for p in preface.iter("p") if has_class(p, "message"))
    return text_of(first(message.iter("b"))) if message is not None else ""


def _work_url(preface) -> str:
    for link in preface.iter("a"):
        href = (link.get("href") or "").strip()
        if _WORK_URL.match(href):
            return href
    return ""


def _creators(meta) -> tuple[list[str], bool]:
    byline = first(e for e in meta.iter() if has_class(e, "byline"))
    if byline is None:
        return [], False
    names = [text_of(a) for a in byline.iter("a") if "author" in (a.get("rel") or "").split()]
    if not names:
        names = [text_of(a) for a in byline.iter("a")]
    names = [name for name in names if name]
    if names:
        return names, False
    rest = re.sub(r"^\s*by\s+", "", text_of(byline), flags=re.IGNORECASE)
    if rest == _ANONYMOUS:
        return [], True
    return [piece.strip() for piece in rest.split(",") if piece.strip()], False


def _end_notes(root, *, remote_images: bool) -> str:
    afterword = first(root.xpath("//*[@id='afterword']"))
    if afterword is None:
        return ""
    blocks = labelled_blocks(afterword)
    # Older downloads label the work's end notes "Notes".
    block = blocks.get("end_notes", blocks.get("notes"))
    return clean_html(block, remote_images=remote_images)


def _chapters(root, *, remote_images: bool) -> list[ImportedChapter]:
    chapters: list[ImportedChapter] = []
    containers = root.xpath("//*[@id='chapters']")
    for container in containers:
        for position, child in enumerate(container.iterchildren("*")):
            current = chapters[-1] if chapters else None
            if has_class(child, "meta") and has_class(child, "group"):
                chapters.append(_chapter_meta(child, remote_images=remote_images))
            elif (child.get("id") or "").startswith("endnotes") or has_class(child, "meta"):
                if current is not None:
                    blocks = labelled_blocks(child)
                    block = blocks.get("end_notes", blocks.get("notes"))
                    current.end_notes_html = clean_html(block, remote_images=remote_images)
            elif has_class(child, "userstuff"):
                body = clean_html(child, remote_images=remote_images)
                if current is not None and current.body_html and position == 0:
                    # Calibre cut a long chapter in two: its text goes on in this file.
                    current.body_html += "\n" + body
                elif current is None or current.body_html:
                    chapters.append(ImportedChapter(body_html=body))
                else:
                    current.body_html = body
    if not chapters:
        chapters = _bare_one_shot(containers, remote_images=remote_images)
    return [chapter for chapter in chapters if has_story_text(chapter.body_html)]


def _chapter_meta(meta, *, remote_images: bool) -> ImportedChapter:
    heading = first(h for h in meta.iter("h2", "h3") if has_class(h, "heading"))
    blocks = labelled_blocks(meta)
    return ImportedChapter(
        body_html="",
        title=chapter_title(text_of(heading)),
        summary_html=clean_html(blocks.get("summary"), remote_images=remote_images),
        notes_html=clean_html(blocks.get("notes"), remote_images=remote_images),
    )


def _bare_one_shot(containers, *, remote_images: bool) -> list[ImportedChapter]:
    """A one-shot whose text sits right inside ``#chapters`` (older downloads)."""
    if not containers:
        return []
    container = containers[0]
    for heading in list(container.iter("h2")):
        if has_class(heading, "toc-heading"):
            heading.drop_tree()
    return [ImportedChapter(body_html=clean_html(container, remote_images=remote_images))]


def read_ao3_html(sample: FileSample) -> list[ImportedWork]:
    return [read_ao3(parse_html(sample.text), name=sample.name)]


def _is_ao3_html(sample: FileSample) -> bool:
    return sample.text is not None and looks_like_ao3(sample.text)


READER = Reader("ao3-html", sniff=_is_ao3_html, read=read_ao3_html)
