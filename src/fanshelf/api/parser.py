"""How the API reads request bodies and query strings: as ninja does, without NUL characters.

PostgreSQL cannot store a NUL character (U+0000) in text and refuses the whole query,
which reached clients as a 500. The website's forms refuse it (Django's
``ProhibitNullCharactersValidator``); the API refuses it in a body the same way,
before any view runs: a 400 naming the field, like every invalid input, on every
database. A query string only looks things up, so there NULs are dropped, as the
listings' filters always did (``discovery.filters``): a search for "\x00" is a 200.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja.parser import Parser

NUL = "\x00"


def _fields_with_nul(value, path: tuple = ()):
    """The dotted names of the strings (or keys) inside ``value`` that hold a NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield ".".join(str(part) for part in path) or "__all__"
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield ".".join(str(part) for part in path) or "__all__"
            else:
                yield from _fields_with_nul(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _fields_with_nul(item, (*path, index))


def refuse_nul_characters(data) -> None:
    """Raise a ``ValidationError`` naming each field of ``data`` that holds a NUL."""
    fields = dict.fromkeys(_fields_with_nul(data))
    if fields:
        raise ValidationError({field: _("Null characters are not allowed.") for field in fields})


class TextParser(Parser):
    """ninja's JSON and query string parser, without NUL characters."""

    def parse_body(self, request):
        data = super().parse_body(request)
        refuse_nul_characters(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        return {key: _without_nul(value) for key, value in result.items()}


def _without_nul(value):
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value
