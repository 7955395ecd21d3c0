"""The one HTML sanitiser: every piece of stored HTML passes through here on the way in.

The allow-list follows AO3's: the markup fic writers actually use (emphasis, lists,
tables, ruby, details/summary, headings, alignment and direction), no styling hooks
that could spoof the site (no ``style``, no ``id``) and nothing that runs code. The
parsing and serialising is done by nh3 (the Rust ``ammonia`` crate on html5ever), so
broken markup is repaired the way a browser would repair it.
"""

import nh3

ALLOWED_TAGS = frozenset(
    {
        # text-level
        "a", "abbr", "acronym", "b", "big", "br", "cite", "code", "del", "dfn", "em", "i",
        "img", "ins", "kbd", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
        "sup", "tt", "u", "var",
        # ruby annotations (furigana)
        "ruby", "rb", "rp", "rt", "rtc",
        # blocks
        "address", "blockquote", "center", "details", "div", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "p", "pre", "summary",
        # lists
        "dd", "dl", "dt", "li", "ol", "ul",
        # tables
        "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    }
)  # fmt: skip

GLOBAL_ATTRIBUTES = frozenset({"align", "class", "dir", "lang", "title"})

TAG_ATTRIBUTES = {
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "col": {"span"},
    "colgroup": {"span"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}

# Dropped together with everything inside them: their content is code, styling or
# form widgets, never story text. (Tags that are merely not allowed, like <form> or
# <font>, are unwrapped and their text kept.)
DROPPED_WITH_CONTENT = frozenset(
    {
        "applet", "button", "frame", "frameset", "iframe", "math", "noembed", "noframes",
        "noscript", "object", "script", "select", "style", "svg", "template", "textarea",
        "title", "xmp",
    }
)  # fmt: skip

URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Unwrapping a disallowed element can leave markup that the HTML parser nests
# differently on a second reading (e.g. a <div> that sat inside <p><marquee>), so
# cleaning is repeated until the output no longer changes. Two passes are the norm.
_MAX_PASSES = 4

_URL_ATTRIBUTES = frozenset({"href", "src"})
_INVISIBLE = dict.fromkeys([*range(0x21), 0x7F, 0xFFFD, ord("`")])


def _drop_disguised_urls(tag, attribute, value):
    """Drop URLs that only pass as relative because a scheme was broken up.

    nh3 already refuses ``javascript:`` and friends; a value like
    ``java\\0script:`` or a back-quoted one reaches the page as a harmless
    relative URL, but no story needs it, so it goes too (defence in depth).
    """
    if attribute not in _URL_ATTRIBUTES:
        return value
    squeezed = value.translate(_INVISIBLE).lower()
    if "script:" in squeezed or squeezed.startswith("data:"):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={"*": set(GLOBAL_ATTRIBUTES)} | {tag: set(a) for tag, a in TAG_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="nofollow",
    attribute_filter=_drop_disguised_urls,
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the archive's allow-list, repaired and stable.

    Unknown tags are unwrapped (their text kept); scripts, styles, frames, SVG,
    MathML and form widgets are removed with their content; event handlers,
    ``style`` and ``id`` attributes are dropped; links and images may only point
    at http(s), mailto or relative URLs, and links get ``rel="nofollow"``.
    Unclosed tags are closed. Cleaning the result again returns it unchanged, and
    empty or whitespace-only input gives ``""``.
    """
    if not html or not html.strip():
        return ""
    cleaned = html
    for _ in range(_MAX_PASSES):
        again = _cleaner.clean(cleaned).strip()
        if again == cleaned:
            break
        cleaned = again
    return cleaned
