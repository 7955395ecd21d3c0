"""What tumblr's two readers share: a post as read, its title and part number, its body
made safe, and the chaining of "Title (part 2)" posts into the chapters of one work.

``tumblr_api`` reads the posts of tumblr's API (JSON), ``tumblr_export`` the post pages
of tumblr's "Export blog" zip; both turn each post into a ``TumblrPost`` with
``make_post`` and hand the lot to ``chain_posts``, a pure function. Media in a post
(images, video, audio) are never fetched: each becomes its alt text or a link.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape

import lxml.html
from django.utils.translation import gettext as _
from lxml import etree

from fanshelf import text
from fanshelf.imports.readers.base import ImportedChapter, ImportedWork

HTML_PARSER = lxml.html.HTMLParser(
    no_network=True, huge_tree=False, remove_comments=True, remove_pis=True
)
# Tag names Fanshelf accepts (tags.models.NAME_MAX_LENGTH) and how many additional
# tags a work may carry (works.models.FREEFORM_TAGS_MAX); readers stay model-free.
TAG_MAX_LENGTH = 150
TAGS_MAX = 75
# A post that starts with a picture and has fewer words than this is a photo post.
CAPTION_WORDS = 50
PLACEHOLDER_WORDS = 8
MEDIA_TAGS = ("img", "video", "audio", "iframe", "embed", "object")
END_NOTES_LABEL = re.compile(r"^\s*(?:End Notes|Author'?s Notes?|A/N|Notes?)\s*:\s*", re.IGNORECASE)
END_NOTES_MAX = 5000

_NUMBER_NAMES = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {word: value for value, word in enumerate(_NUMBER_NAMES.split(), start=1)}
# A part number as authors write it: 3, III, three.
NUMBER = r"\d{1,3}|[ivxlc]{1,8}|" + "|".join(NUMBER_WORDS)
ROMAN = re.compile(r"^(?=[ivxlc])c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)
# "Title (part 2)", "Title pt. 3", "Title - Part IV", "Title, chapter 2: Subtitle",
# "Title [2/5]", "Title (part 2 of 5)".
PART_AFTER = re.compile(
    rf"""^(?P<base>.*?)[\s,:;|~–—-]*
    (?:
        [\[(]\s*(?P<slash>\d{{1,3}})\s*/\s*(?P<slash_total>\d{{1,3}}|\?)\s*[\])]
      | [\[(]?\s*\b(?:part|pt|chapter|chap|ch)\b\.?\s*(?P<number>{NUMBER})\b
        (?:\s*(?:/|of)\s*(?P<total>\d{{1,3}}))?\s*[\])]?
    )
    (?:\s*[:.–—-]\s*(?P<rest>.*?))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# "[2/5] Title"
PART_BEFORE = re.compile(
    r"^\s*[\[(]\s*(?P<slash>\d{1,3})\s*/\s*(?P<slash_total>\d{1,3}|\?)\s*[\])]\s*(?P<base>.+)$"
)


@dataclass
class TumblrPost:
    """One text post of a blog, its body sanitised."""

    body_html: str
    title: str = ""
    title_is_placeholder: bool = False
    end_notes_html: str = ""
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    url: str = ""
    blog_name: str = ""
    post_id: str = ""


@dataclass(frozen=True)
class Part:
    """Where a post's title says it stands in a chain: "Title (part 2 of 5): Subtitle"."""

    base: str
    number: int | None = None
    total: int | None = None
    subtitle: str = ""


def number_value(word: str) -> int | None:
    """3 for "3", "III" or "three"; None for anything else."""
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if ROMAN.match(word):
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
        total = 0
        for index, letter in enumerate(word):
            value = values[letter]
            following = values[word[index + 1]] if index + 1 < len(word) else 0
            total += -value if value < following else value
        return total
    return None


def parse_part(title: str) -> Part | None:
    """The part marker in a title ("The Gala (part 2)", "The Gala [2/5]"), or None."""
    title = " ".join(title.split())
    match = PART_AFTER.match(title) or PART_BEFORE.match(title)
    if not match:
        return None
    groups = match.groupdict()
    number = number_value(groups.get("number") or groups.get("slash") or "")
    if number is None or number == 0:
        return None
    total = groups.get("total") or groups.get("slash_total") or ""
    return Part(
        base=(groups.get("base") or "").strip(" \t,:;|~-–—"),
        number=number,
        total=int(total) if total.isdigit() and int(total) >= number else None,
        subtitle=(groups.get("rest") or "").strip(),
    )


def clean_tags(names) -> list[str]:
    """Tumblr tags as Fanshelf can keep them: no "#", no commas, no tags of symbols
    only or over the length limit, each once (case and spacing aside)."""
    kept, seen = [], set()
    for name in names:
        name = " ".join(str(name).replace(",", " ").split()).lstrip("#").strip()
        key = unicodedata.normalize("NFKC", name).casefold()
        if not name or key in seen or len(name) > TAG_MAX_LENGTH:
            continue
        if not any(character.isalnum() for character in name):
            continue
        seen.add(key)
        kept.append(name)
    return kept


def utc_datetime(value) -> datetime | None:
    """A post's date from tumblr's forms: "2016-01-02 03:04:05 GMT", ISO 8601 or a Unix
    timestamp (UTC, as tumblr gives them); None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    iso = re.match(r"^\s*(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)", str(value or ""))
    if not iso:
        return None
    try:
        return datetime.fromisoformat(f"{iso.group(1)}T{iso.group(2)}").replace(tzinfo=UTC)
    except ValueError:
        return None


def parse_fragment(html: str):
    """An HTML fragment as the children of one ``<div>``; None when it is empty."""
    if not html or not html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div", parser=HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def inner_html(element) -> str:
    """The markup inside ``element``, as HTML."""
    parts = [escape(element.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts)


def replace_element(element, replacement) -> None:
    """Put ``replacement`` (an element, text, or "" to remove) where ``element`` is,
    keeping the text that followed it."""
    parent = element.getparent()
    tail = element.tail or ""
    if isinstance(replacement, str):
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + replacement + tail
        else:
            parent.text = (parent.text or "") + replacement + tail
        parent.remove(element)
    else:
        replacement.tail = tail
        parent.replace(element, replacement)


def _media_replacement(element):
    """An image's alt text, or a link to the media; "" when there is neither."""
    source = (element.get("src") or "").strip()
    if not source:
        inner_source = element.find(".//source")
        source = (inner_source.get("src") or "").strip() if inner_source is not None else ""
    alt = " ".join((element.get("alt") or element.get("title") or "").split())
    if element.tag == "img":
        if alt and alt.lower() != "image":
            return _("[Image: %(alt)s]") % {"alt": alt}
        label = _("[Image]")
    elif element.tag == "audio":
        label = _("[Audio: %(title)s]") % {"title": alt} if alt else _("[Audio]")
    else:
        label = _("[Video: %(title)s]") % {"title": alt} if alt else _("[Video]")
    if not source.lower().startswith(("http://", "https://")):
        return ""
    link = lxml.html.Element("a", href=source)
    link.text = label
    return link


def _starts_with_media(root) -> bool:
    """Whether a picture, video or sound comes before any words, as in a photo post."""
    if (root.text or "").strip():
        return False
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start" and element.tag in MEDIA_TAGS:
            return True
        words = element.text if event == "start" else element.tail
        if element is not root and (words or "").strip():
            return False
    return False


def _word_count(root) -> int:
    return len(" ".join(root.itertext()).split())


def _split_end_notes(root):
    """The closing "Notes: …" blocks taken out of ``root`` as an element, or None."""
    blocks = list(root)
    for index in range(len(blocks) - 1, -1, -1):
        if END_NOTES_LABEL.match(blocks[index].text_content()):
            break
    else:
        return None
    notes = lxml.html.Element("div")
    for block in blocks[index:]:
        root.remove(block)
        block.tail = None
        notes.append(block)
    story_length = len(" ".join(root.itertext()).strip())
    notes_length = len(" ".join(notes.itertext()).strip())
    if not story_length or notes_length > END_NOTES_MAX or story_length < notes_length:
        for block in list(notes):
            root.append(block)
        return None
    _drop_label(notes[0])
    return notes


def _drop_label(block) -> None:
    """Take "Notes:" off the start of a block, also when it sits in its own <b>."""
    holder = block
    while not (holder.text or "").strip() and len(holder):
        holder = holder[0]
    holder.text = END_NOTES_LABEL.sub("", holder.text or "", count=1)
    if holder is not block and not holder.text and not len(holder):
        replace_element(holder, "")
        if block.text:
            block.text = block.text.lstrip()


def _leading_title(root) -> str:
    """A post's title from its first block: a heading, or a short line that names a
    part ("The Gala (part 2)"); the block is taken out of the body."""
    if (root.text or "").strip() or not len(root):
        return ""
    first = root[0]
    line = " ".join(first.text_content().split())
    is_heading = first.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}
    if not line or len(line) > 200:
        return ""
    if is_heading or (first.tag in {"p", "div", "b", "strong"} and _names_a_part(line)):
        replace_element(first, "")
        root.text = (root.text or "").lstrip()
        return line
    return ""


def _names_a_part(line: str) -> bool:
    part = parse_part(line)
    return part is not None and bool(part.base)


def _placeholder(plain: str) -> str:
    words = plain.split()
    title = " ".join(words[:PLACEHOLDER_WORDS])
    return title + "…" if len(words) > PLACEHOLDER_WORDS else title


def make_post(
    *,
    body_html: str,
    title: str = "",
    tags=(),
    published_at: datetime | None = None,
    url: str = "",
    blog_name: str = "",
    post_id: str = "",
) -> TumblrPost | None:
    """A text post from its raw HTML, or None when it is not one (empty, or a photo
    post: a picture first, then a few words). The title is the post's own, its first
    heading, or a first line naming a part; else a placeholder from its first words.
    Closing "Notes:" blocks become the post's end notes."""
    root = parse_fragment(body_html)
    if root is None:
        return None
    media = list(root.iter(*MEDIA_TAGS))
    if _starts_with_media(root) and _word_count(root) < CAPTION_WORDS:
        return None
    for element in media:
        if element.getparent() is not None:
            replace_element(element, _media_replacement(element))
    title = " ".join((title or "").split()) or _leading_title(root)
    notes = _split_end_notes(root)
    body = text.sanitize_html(inner_html(root))
    plain = text.html_to_text(body).strip()
    if not plain:
        return None
    return TumblrPost(
        body_html=body,
        title=title or _placeholder(plain),
        title_is_placeholder=not title,
        end_notes_html=text.sanitize_html(inner_html(notes)) if notes is not None else "",
        tags=clean_tags(tags),
        published_at=published_at,
        url=url,
        blog_name=blog_name,
        post_id=str(post_id or ""),
    )


def _title_key(title: str) -> str:
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


@dataclass
class _Link:
    post: TumblrPost
    part: Part | None
    index: int

    @property
    def order(self):
        number = self.part.number if self.part else 1
        published = self.post.published_at or datetime.max.replace(tzinfo=UTC)
        return (number, published, self.index)


def chain_posts(posts: list[TumblrPost], *, reader: str, source: str = "") -> list[ImportedWork]:
    """The works in a blog's posts: one post, one work, except that posts with the same
    title, or "Title (part 2)", "Title pt. 3", "Title [2/5]" …, are the chapters of one
    work in part order (then date order). Tags are merged, the work is published when
    its first part was, and "[2/5]" gives the number of chapters expected."""
    chains: dict[tuple, list[_Link]] = {}
    seen_ids = set()
    for index, post in enumerate(posts):
        if post.post_id and post.post_id in seen_ids:
            continue
        seen_ids.add(post.post_id)
        part = None if post.title_is_placeholder else parse_part(post.title)
        base = part.base if part and part.base else post.title
        if post.title_is_placeholder or not _title_key(base):
            key = ("", index)
        else:
            key = (post.blog_name.casefold(), _title_key(base))
        chains.setdefault(key, []).append(_Link(post, part, index))
    works = [
        _work_from(sorted(links, key=lambda link: link.order), reader, source)
        for links in chains.values()
    ]
    return sorted(works, key=lambda work: work.published_at or datetime.max.replace(tzinfo=UTC))


def _work_from(links: list[_Link], reader: str, source: str) -> ImportedWork:
    first = links[0]
    post, part = first.post, first.part
    # A lone post that starts no chain ("Title (part 3)" without parts 1 and 2, or no
    # part at all) keeps its title as written and is complete in one chapter.
    as_written = len(links) == 1 and (part is None or not part.base or part.number > 1)
    if as_written:
        title, expected = post.title, 1
    else:
        title = next((link.part.base for link in links if link.part and link.part.base), post.title)
        totals = [link.part.total for link in links if link.part and link.part.total]
        expected = max(totals) if totals else None
    chained = len(links) > 1
    chapters = [
        ImportedChapter(
            body_html=link.post.body_html,
            title=link.part.subtitle if link.part and not as_written else "",
            end_notes_html=link.post.end_notes_html if chained else "",
            published_at=link.post.published_at,
        )
        for link in links
    ]
    dates = [link.post.published_at for link in links if link.post.published_at]
    tags = clean_tags(tag for link in links for tag in link.post.tags)[:TAGS_MAX]
    return ImportedWork(
        title=title,
        title_is_placeholder=post.title_is_placeholder,
        chapters=chapters,
        creators=list(dict.fromkeys(link.post.blog_name for link in links if link.post.blog_name)),
        end_notes_html="" if chained else post.end_notes_html,
        tags={"freeform": tags} if tags else {},
        expected_chapters=expected,
        published_at=post.published_at,
        revised_at=max(dates) if chained and dates else None,
        source=post.url or source,
        reader=reader,
    )
