"""Tag names in URLs, escaped the way AO3 escapes them so "/" and "." survive.

"Armitage Hux/Kylo Ren" becomes ``Armitage Hux*s*Kylo Ren``; Django then
percent-encodes the rest.
"""

import re

ESCAPES = {"*": "x", "/": "s", "&": "a", ".": "d", "?": "q", "#": "h"}
_ESCAPE = re.compile("[" + re.escape("".join(ESCAPES)) + "]")
_UNESCAPE = re.compile(r"\*([" + "".join(ESCAPES.values()) + r"])\*")
_UNESCAPED = {letter: raw for raw, letter in ESCAPES.items()}


def name_to_url(name: str) -> str:
    return _ESCAPE.sub(lambda match: f"*{ESCAPES[match.group()]}*", name)


def url_to_name(value: str) -> str:
    return _UNESCAPE.sub(lambda match: _UNESCAPED[match.group(1)], value)


class TagNameConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return url_to_name(value)

    def to_url(self, value: str) -> str:
        return name_to_url(value)
