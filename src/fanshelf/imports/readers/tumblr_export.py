"""tumblr's "Export blog": a zip, or its unpacked folder, with a page per post.

The export's zip holds ``media/`` and an inner ``posts.zip`` (or, once unpacked,
``posts/``) with ``posts_index.html`` and ``html/<post id>.html``. A post page has the
post's HTML in its ``<body>``, its tags as ``<span class="tag">`` and its date in
``<span id="timestamp">`` inside ``<div id="footer">``. Each text post becomes a work,
posts of one chain the chapters of one (``tumblr.chain_posts``). The inner zip is read
in memory with the same bounds as any other zip (``imports.sources``), never unpacked.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import PurePosixPath

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

from fanshelf.imports.readers.base import ImportProblem, decode
from fanshelf.imports.readers.registry import (
    ZIP_ERRORS,
    BundleReader,
    ReadResult,
    member_problem,
    read_member,
)
from fanshelf.imports.readers.tumblr import (
    HTML_PARSER,
    TumblrPost,
    chain_posts,
    inner_html,
    make_post,
    replace_element,
    utc_datetime,
)

READER_NAME = "tumblr-export"
POST_PAGE = re.compile(r"(?:^|/)html/(\d+)\.html?$", re.IGNORECASE)
INDEX_PAGE = "posts_index.html"
INNER_ZIP = "posts.zip"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "December 9th, 2019 11:03pm", as the export writes a post's date.
WRITTEN_DATE = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<half>[ap])?\.?m?\.?)?",
    re.IGNORECASE,
)
POST_URL = re.compile(
    r"^https?://(?:(?P<sub>[\w-]+)\.tumblr\.com/post/(?P<id>\d+)"
    r"|(?:www\.)?tumblr\.com/(?:blog/view/)?(?P<blog>[\w-]+)/(?P<id2>\d+))",
    re.IGNORECASE,
)


@dataclass
class _Page:
    """One post page of the export, read only when asked for."""

    name: str
    post_id: str
    size: int
    load: Callable[[], bytes]


def written_date(value: str) -> datetime | None:
    """The date in "December 9th, 2019 11:03pm" (or an ISO date), taken as UTC."""
    value = " ".join((value or "").split())
    match = WRITTEN_DATE.search(value)
    month = match.group("month").lower()[:3] if match else ""
    if month not in MONTHS:
        return utc_datetime(value)
    hour = int(match.group("hour") or 0)
    if match.group("half"):
        hour = hour % 12 + (12 if match.group("half").lower() == "p" else 0)
    try:
        return datetime(
            int(match.group("year")),
            MONTHS.index(month) + 1,
            int(match.group("day")),
            hour,
            int(match.group("minute") or 0),
            int(match.group("second") or 0),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def read_post_page(source: str, *, post_id: str = "") -> TumblrPost | None:
    """One exported post page as a text post, or None when it is not one."""
    try:
        document = lxml.html.document_fromstring(source, parser=HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise ImportProblem(_("the post page holds no HTML")) from None
    body = document.find("body")
    if body is None:
        body = document
    tags = [" ".join(tag.text_content().split()) for tag in document.find_class("tag")]
    stamp = document.get_element_by_id("timestamp", None)
    published_at = written_date(stamp.text_content()) if stamp is not None else None
    if published_at is None:
        published_at = utc_datetime(next(iter(document.xpath("//time/@datetime")), ""))
    url = _post_url(document, post_id)
    match = POST_URL.match(url)
    blog_name = (match.group("sub") or match.group("blog") or "") if match else ""
    footer = document.get_element_by_id("footer", None)
    for element in [footer, stamp, *document.find_class("tag")]:
        if element is not None and element.getparent() is not None:
            replace_element(element, "")
    _drop_reblog_trail(body)
    return make_post(
        body_html=inner_html(body),
        tags=tags,
        published_at=published_at,
        url=url,
        blog_name=blog_name,
        post_id=post_id,
    )


def _post_url(document, post_id: str) -> str:
    candidates = document.xpath(
        "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content | //a/@href"
    )
    for candidate in candidates:
        match = POST_URL.match(candidate.strip())
        if match and (not post_id or post_id in {match.group("id"), match.group("id2")}):
            return candidate.strip()
    return ""


def _drop_reblog_trail(body) -> None:
    """Take off the quoted posts a reblog starts with ("<p><a class="tumblr_blog">name</a>:
    </p><blockquote>…</blockquote>"): only what the blog itself wrote counts."""
    while len(body) >= 2:
        credit, quoted = body[0], body[1]
        if quoted.tag != "blockquote" or not credit.find_class("tumblr_blog"):
            return
        replace_element(credit, "")
        replace_element(quoted, "")


def read_export(files: Mapping[str, bytes], name: str) -> Iterator[ReadResult]:
    """A ReadResult for each work of the export, and one for each post page that could
    not be read; one problem when the export has no text post at all."""
    pages, problems = _pages(files, name)
    yield from problems
    posts, page_names, read_size = [], {}, 0
    for page in pages:
        try:
            post = read_post_page(decode(page.load()), post_id=page.post_id)
        except ImportProblem as problem:
            problems.append(ReadResult(page.name, problem=str(problem), size=page.size))
            yield problems[-1]
            continue
        read_size += page.size
        if post is not None:
            post.url = post.url or page.name
            page_names[post.url] = page.name
            posts.append(post)
    # An export is one blog's: a post page without a link back still belongs to it.
    blog_name = next((post.blog_name for post in posts if post.blog_name), "")
    for post in posts:
        post.blog_name = post.blog_name or blog_name
    works = chain_posts(posts, reader=READER_NAME, source=name)
    if not works:
        if not problems:
            problem = _("no text posts in this tumblr export")
            yield ReadResult(name, problem=problem, size=read_size)
        return
    # Progress counts every page once: the pages' sizes are shared out over the works.
    share, rest = divmod(read_size, len(works))
    for index, work in enumerate(works):
        size = share + (rest if index == 0 else 0)
        yield ReadResult(page_names.get(work.source, name), works=[work], size=size)


def _pages(files: Mapping[str, bytes], name: str) -> tuple[list[_Page], list[ReadResult]]:
    pages, problems = [], []
    for member in files:
        match = POST_PAGE.search(member.replace("\\", "/"))
        if match:
            load = partial(files.__getitem__, member)
            pages.append(_Page(f"{name}/{member}", match.group(1), _size(files, member), load))
        elif PurePosixPath(member.replace("\\", "/")).name.lower() == INNER_ZIP:
            try:
                pages += _inner_pages(files[member], name=f"{name}/{member}")
            except (ImportProblem, OSError) as problem:
                problems.append(ReadResult(f"{name}/{member}", problem=str(problem)))
    pages.sort(key=lambda page: (len(page.post_id), page.post_id))
    return pages, problems


def _size(files: Mapping[str, bytes], member: str) -> int:
    size = getattr(files, "size", None)
    return size(member) if size else 0


def _inner_pages(data: bytes, *, name: str) -> list[_Page]:
    """The post pages of the inner posts.zip, each unpacked (bounded) when loaded."""
    # imports.sources reads the readers when it is imported: import its bounds now.
    from fanshelf.imports import sources

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ImportProblem(_("a corrupt zip file (%(reason)s)") % {"reason": error}) from None
    if len(infos) > sources.MAX_ARCHIVE_MEMBERS:
        raise ImportProblem(
            _("the zip holds %(count)s files; the limit is %(max)s")
            % {"count": f"{len(infos):,}", "max": f"{sources.MAX_ARCHIVE_MEMBERS:,}"}
        )
    pages, unpacked = [], 0
    for info in infos:
        match = POST_PAGE.search(info.filename)
        if not match or info.is_dir():
            continue
        unpacked += info.file_size
        problem = member_problem(info)
        if not problem and unpacked > sources.MAX_ARCHIVE_BYTES:
            problem = _("the file is too long")
        load = partial(_refuse, problem) if problem else partial(read_member, archive, info)
        pages.append(_Page(f"{name}/{info.filename}", match.group(1), info.compress_size, load))
    return pages


def _refuse(problem: str) -> bytes:
    raise ImportProblem(problem)


def _is_export(files: Mapping[str, bytes]) -> bool:
    """Claims a folder or zip with the export's index or post pages, or a posts.zip
    that holds them."""
    inner = []
    for member in files:
        path = member.replace("\\", "/")
        if PurePosixPath(path).name.lower() == INDEX_PAGE or POST_PAGE.search(path):
            return True
        if PurePosixPath(path).name.lower() == INNER_ZIP:
            inner.append(member)
    for member in inner:
        try:
            with zipfile.ZipFile(io.BytesIO(files[member])) as archive:
                names = archive.namelist()
        except (ImportProblem, *ZIP_ERRORS, ValueError):
            return True  # a broken posts.zip: reading it says what is wrong
        if any(name.endswith(INDEX_PAGE) or POST_PAGE.search(name) for name in names):
            return True
    return False


def _owns(member: str) -> bool:
    """The export's own files: post pages, the index, the inner posts.zip, its media."""
    path = PurePosixPath(member.replace("\\", "/"))
    return (
        bool(POST_PAGE.search(path.as_posix()))
        or path.name.lower() in {INDEX_PAGE, INNER_ZIP}
        or "media" in path.parts[:-1]
    )


READER = BundleReader(READER_NAME, sniff=_is_export, read=read_export, owns=_owns)
