"""Posts from tumblr's API (v2) saved as JSON: legacy text posts and NPF posts.

A file may hold the API's answer (``{"response": {"posts": [...]}}``), ``{"posts":
[...]}``, a list of posts or one post. A legacy text post has a ``title`` and an HTML
``body``; an NPF post (tumblr's Neue Post Format) has ``content`` blocks, rendered here
to HTML (its ``layout`` only arranges pictures side by side, so it is ignored). Of a
reblog only what the blog itself added counts, never the reblog trail. Photo, quote,
link, chat, audio, video and answer posts are not stories and are passed over.
"""

import json
import re
from html import escape
from urllib.parse import unquote

from django.utils.translation import gettext as _

from fanshelf.imports.readers.base import ImportedWork, ImportProblem
from fanshelf.imports.readers.registry import FileSample, Reader
from fanshelf.imports.readers.tumblr import TumblrPost, chain_posts, make_post, utc_datetime

READER_NAME = "tumblr-api"
# Keys only tumblr's posts have; a Fanshelf export escapes them inside its strings.
TUMBLR_KEYS = re.compile(
    r'"(?:post_url|blog_name|reblog_key|is_blocks_post_format|short_url)"\s*:'
    r'|"content"\s*:\s*\[\s*\{\s*"type"\s*:\s*"(?:text|image|link)"'
)
LEGACY_TEXT_TYPES = {"text", "regular"}
# Tags for NPF inline formats (colour is left out: the archive's skin decides colours).
INLINE_TAGS = {
    "bold": "strong",
    "italic": "em",
    "strikethrough": "s",
    "small": "small",
    "link": "a",
    "mention": "a",
}
INLINE_ORDER = list(INLINE_TAGS)
LIST_SUBTYPES = {"ordered-list-item", "unordered-list-item"}
HEADINGS = {"heading1": "h2", "heading2": "h3"}


def read_tumblr_json(source: str, *, name: str = "") -> list[ImportedWork]:
    """The works in a JSON file of tumblr posts; ImportProblem when it holds none."""
    try:
        data = json.loads(source)
    except json.JSONDecodeError as error:
        raise ImportProblem(
            _("broken JSON (line %(line)d: %(msg)s)") % {"line": error.lineno, "msg": error.msg}
        ) from None
    posts = [post for raw in _raw_posts(data) if (post := read_post(raw)) is not None]
    if not posts:
        raise ImportProblem(_("no text posts in this tumblr file"))
    return chain_posts(posts, reader=READER_NAME, source=name)


def _raw_posts(data) -> list[dict]:
    if isinstance(data, dict) and "response" in data:
        data = data["response"]
    if isinstance(data, dict) and isinstance(data.get("posts"), list):
        data = data["posts"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return []
    return [post for post in data if isinstance(post, dict)]


def read_post(raw: dict) -> TumblrPost | None:
    """One post of the API as a text post, or None when it is none (or only a reblog)."""
    if isinstance(raw.get("content"), list):
        body = _npf_body(raw)
    elif raw.get("type") in LEGACY_TEXT_TYPES:
        body = _legacy_body(raw)
    else:
        return None
    if not body:
        return None
    blog = raw.get("blog") if isinstance(raw.get("blog"), dict) else {}
    tags = raw.get("tags") if isinstance(raw.get("tags"), list) else []
    return make_post(
        body_html=body,
        title=str(raw.get("title") or ""),
        tags=[tag for tag in tags if isinstance(tag, str)],
        published_at=utc_datetime(raw.get("date")) or utc_datetime(raw.get("timestamp")),
        url=str(raw.get("post_url") or ""),
        blog_name=str(raw.get("blog_name") or blog.get("name") or ""),
        post_id=str(raw.get("id_string") or raw.get("id") or ""),
    )


def _is_reblog(raw: dict) -> bool:
    return bool(
        raw.get("reblogged_from_id")
        or raw.get("parent_post_url")
        or raw.get("parent_tumblelog_uuid")
    )


def _legacy_body(raw: dict) -> str:
    """A legacy post's own HTML: of a reblog, only the comment the blog added."""
    reblog = raw.get("reblog") if isinstance(raw.get("reblog"), dict) else None
    if reblog is not None and (reblog.get("tree_html") or _is_reblog(raw)):
        return str(reblog.get("comment") or "")
    if _is_reblog(raw):
        trail = raw.get("trail") if isinstance(raw.get("trail"), list) else []
        own = [item for item in trail if isinstance(item, dict) and item.get("is_current_item")]
        return "".join(str(item.get("content_raw") or item.get("content") or "") for item in own)
    return str(raw.get("body") or "")


def _npf_body(raw: dict) -> str:
    """An NPF post's own content as HTML ("" for answers: an ask is not a story)."""
    layout = raw.get("layout") if isinstance(raw.get("layout"), list) else []
    if any(isinstance(block, dict) and block.get("type") == "ask" for block in layout):
        return ""
    blocks = [block for block in raw["content"] if isinstance(block, dict)]
    return render_blocks(blocks)


def render_blocks(blocks: list[dict]) -> str:
    """NPF content blocks as HTML: paragraphs, headings, quotes, lists; pictures, video
    and audio as elements the readers' shared cleaning turns into alt text or links."""
    html, index = [], 0
    while index < len(blocks):
        block = blocks[index]
        subtype = block.get("subtype") if block.get("type") == "text" else None
        if subtype in LIST_SUBTYPES:
            end = index
            while end < len(blocks) and blocks[end].get("subtype") in LIST_SUBTYPES:
                end += 1
            html.append(_list_html(blocks[index:end], level=0))
            index = end
            continue
        if subtype == "indented":
            end = index
            while end < len(blocks) and blocks[end].get("subtype") == "indented":
                end += 1
            quoted = "".join(f"<p>{inline_html(item)}</p>" for item in blocks[index:end])
            html.append(f"<blockquote>{quoted}</blockquote>")
            index = end
            continue
        html.append(_block_html(block))
        index += 1
    return "".join(html)


def _block_html(block: dict) -> str:
    kind = block.get("type")
    if kind == "text":
        if not str(block.get("text") or "").strip():
            return ""
        subtype = block.get("subtype")
        if subtype in HEADINGS:
            return f"<{HEADINGS[subtype]}>{inline_html(block)}</{HEADINGS[subtype]}>"
        if subtype == "quote":
            return f"<blockquote><p>{inline_html(block)}</p></blockquote>"
        return f"<p>{inline_html(block)}</p>"
    if kind == "image":
        media = _first_media(block.get("media"))
        caption = str(block.get("caption") or "")
        image = (
            f'<img src="{_attribute(media.get("url"))}" alt="{_attribute(block.get("alt_text"))}">'
        )
        return f"<figure>{image}</figure>" + (f"<p>{escape(caption)}</p>" if caption else "")
    if kind == "link":
        url = _unwrap(str(block.get("url") or ""))
        label = block.get("title") or block.get("display_url") or url
        description = str(block.get("description") or "")
        link = f'<p><a href="{_attribute(url)}">{escape(str(label))}</a></p>'
        return link + (f"<p>{escape(description)}</p>" if description else "")
    if kind in {"video", "audio"}:
        url = block.get("url") or _first_media(block.get("media")).get("url")
        title = " – ".join(str(block[key]) for key in ("title", "artist") if block.get(key))
        return f'<p><{kind} src="{_attribute(url)}" title="{_attribute(title)}"></{kind}></p>'
    return ""


def _list_html(items: list[dict], *, level: int) -> str:
    """List item blocks as nested lists: a deeper ``indent_level`` nests under the item
    before it; ordered and unordered runs at one level are separate lists."""
    html, index, open_tag = [], 0, None
    while index < len(items):
        item = items[index]
        tag = "ol" if item.get("subtype") == "ordered-list-item" else "ul"
        if tag != open_tag:
            html.append((f"</{open_tag}>" if open_tag else "") + f"<{tag}>")
            open_tag = tag
        end = index + 1
        while end < len(items) and _indent(items[end]) > level:
            end += 1
        nested = _list_html(items[index + 1 : end], level=level + 1) if end > index + 1 else ""
        html.append(f"<li>{inline_html(item)}{nested}</li>")
        index = end
    return "".join(html) + (f"</{open_tag}>" if open_tag else "")


def _indent(block: dict) -> int:
    level = block.get("indent_level")
    return level if isinstance(level, int) else 0


def inline_html(block: dict) -> str:
    """A text block's text with its formatting ranges as nested HTML elements.

    Ranges count Unicode code points, as Python's strings do. A range that starts
    earlier wraps the ones inside it; where ranges overlap, the inner element is closed
    and opened again, as tumblr's spec shows (``<b>super<i>cali</i></b><i>…</i>``).
    """
    content = str(block.get("text") or "")
    ranges = [
        span
        for span in block.get("formatting") or []
        if isinstance(span, dict)
        and span.get("type") in INLINE_TAGS
        and isinstance(span.get("start"), int)
        and isinstance(span.get("end"), int)
        and span["start"] < span["end"]
        and (span["type"] not in {"link", "mention"} or _span_url(span))
    ]
    cuts = sorted(
        {0, len(content)}
        | {min(max(s[key], 0), len(content)) for s in ranges for key in ("start", "end")}
    )
    html, open_spans = [], []
    for start, end in zip(cuts, cuts[1:], strict=False):
        wanted = sorted(
            (span for span in ranges if span["start"] <= start and span["end"] >= end),
            key=lambda span: (span["start"], -span["end"], INLINE_ORDER.index(span["type"])),
        )
        kept = 0
        while kept < min(len(open_spans), len(wanted)) and open_spans[kept] is wanted[kept]:
            kept += 1
        html.extend(f"</{INLINE_TAGS[span['type']]}>" for span in reversed(open_spans[kept:]))
        html.extend(_open_tag(span) for span in wanted[kept:])
        open_spans = wanted
        html.append(escape(content[start:end], quote=False).replace("\n", "<br>"))
    html.extend(f"</{INLINE_TAGS[span['type']]}>" for span in reversed(open_spans))
    return "".join(html)


def _open_tag(span: dict) -> str:
    tag = INLINE_TAGS[span["type"]]
    if tag == "a":
        return f'<a href="{_attribute(_span_url(span))}">'
    return f"<{tag}>"


def _span_url(span: dict) -> str:
    if span.get("type") == "mention":
        blog = span.get("blog") if isinstance(span.get("blog"), dict) else {}
        return str(blog.get("url") or "")
    return _unwrap(str(span.get("url") or ""))


def _unwrap(url: str) -> str:
    """The real address of a link tumblr sends through its redirector (href.li)."""
    match = re.match(r"^https?://href\.li/\?(.+)$", url)
    if match:
        return unquote(match.group(1))
    match = re.match(r"^https?://t\.umblr\.com/redirect\?z=([^&]+)", url)
    return unquote(match.group(1)) if match else url


def _first_media(media) -> dict:
    if isinstance(media, list):
        media = media[0] if media else {}
    return media if isinstance(media, dict) else {}


def _attribute(value) -> str:
    return escape(str(value or ""), quote=True)


def _is_tumblr_json(sample: FileSample) -> bool:
    source = sample.text or ""
    return source.lstrip().startswith(("{", "[")) and bool(TUMBLR_KEYS.search(source[:1_000_000]))


READER = Reader(
    READER_NAME,
    sniff=_is_tumblr_json,
    read=lambda sample: read_tumblr_json(sample.text, name=sample.name),
)
