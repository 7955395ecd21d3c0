"""What a reader asks a work listing for, read from a query string (web or API).

``parse_filters`` never fails: a value it cannot use is dropped with a note the page
shows ("Ignored the word count “lots”: not a number."), so a bad link still lists
works. The filters travel in the URL, so a listing can be shared.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _

from fanshelf.tags.services import split_tag_list

SORTS = {
    "updated": _("Date updated"),
    "published": _("Date posted"),
    "title": _("Title"),
    "author": _("Creator"),
    "words": _("Word count"),
    "hits": _("Hits"),
    "kudos": _("Kudos"),
    "comments": _("Comments"),
    "bookmarks": _("Bookmarks"),
    "relevance": _("Best match"),
}
COMPLETION = {"": _("All works"), "complete": _("Complete only"), "wip": _("Works in progress")}
CROSSOVERS = {"include": _("Include crossovers"), "exclude": _("Exclude crossovers"),
              "only": _("Only crossovers")}  # fmt: skip
MAX_TAGS = 20
MAX_QUERY = 500


@dataclass
class WorkFilters:
    q: str = ""
    tags: list[str] = field(default_factory=list)
    exclude_tags: list[str] = field(default_factory=list)
    rating: list[str] = field(default_factory=list)
    warning: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    complete: str = ""
    single_chapter: bool = False
    crossover: str = "include"
    language: str = ""
    words_from: int | None = None
    words_to: int | None = None
    updated_from: datetime.date | None = None
    updated_to: datetime.date | None = None
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None
    sort: str = ""
    page: int = 1

    @property
    def effective_sort(self) -> str:
        """The sort in force: relevance needs a query, and is the default with one."""
        if self.sort == "relevance" and not self.q:
            return "updated"
        return self.sort or ("relevance" if self.q else "updated")

    def to_params(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (without the page), for links."""
        params = []
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "page" or value in ("", None, False, [], item.default):
                continue
            key = PARAM_NAMES.get(item.name, item.name)
            values = value if isinstance(value, list) else [value]
            params += [(key, "1" if v is True else str(v)) for v in values]
        return params


# Query-string names: singular for repeatable tag parameters, as in the API.
PARAM_NAMES = {"tags": "tag", "exclude_tags": "exclude_tag"}
_ALIASES = {
    "tag": "tags",
    "tags": "tags",
    "exclude_tag": "exclude_tags",
    "exclude_tags": "exclude_tags",
    "warnings": "warning",
    "categories": "category",
}


def _values(params: Mapping, key: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(key)
    else:
        value = params.get(key, [])
        values = value if isinstance(value, list | tuple) else [value]
    # NUL never means anything in a filter, and PostgreSQL refuses it in any text.
    values = [str(value).replace("\x00", "") for value in values if value is not None]
    return [value for value in values if value.strip()]


def _names(params: Mapping, key: str) -> list[str]:
    """Tag names from repeated parameters, each of which may hold a comma-separated list."""
    names = []
    for key_alias in [k for k, target in _ALIASES.items() if target == key] or [key]:
        for value in _values(params, key_alias):
            names += split_tag_list(value)
    return list(dict.fromkeys(names))


def _number(value: str, label: str, notes: list[str]) -> int | None:
    if not value:
        return None
    try:
        number = int(value.replace(",", "").replace("_", "").strip())
    except ValueError:
        notes.append(_("Ignored the %(label)s “%(value)s”: not a whole number.")
                     % {"label": label, "value": value[:40]})  # fmt: skip
        return None
    if number < 0:
        notes.append(_("Ignored the negative %(label)s.") % {"label": label})
        return None
    return number


def _date(value: str, label: str, notes: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        notes.append(_("Ignored the %(label)s “%(value)s”: use a date like 2026-11-26.")
                     % {"label": label, "value": value[:40]})  # fmt: skip
        return None


def _choice(value: str, choices, default: str, label: str, notes: list[str]) -> str:
    if value in choices:
        return value
    if value:
        notes.append(_("Ignored the unknown %(label)s “%(value)s”.")
                     % {"label": label, "value": value[:40]})  # fmt: skip
    return default


def parse_filters(params: Mapping) -> tuple[WorkFilters, list[str]]:
    """Filters from a query string (a QueryDict or a dict of strings or lists), and notes."""
    notes: list[str] = []

    def first(key: str) -> str:
        values = _values(params, key)
        return values[0].strip() if values else ""

    q = first("q")
    if len(q) > MAX_QUERY:
        notes.append(
            _("Only the first %(n)d characters of the search were used.") % {"n": MAX_QUERY}
        )
        q = q[:MAX_QUERY]
    lists = {}
    for key in ("tags", "exclude_tags", "rating", "warning", "category"):
        names = _names(params, key)
        if len(names) > MAX_TAGS:
            notes.append(_("Only the first %(n)d tags of each kind were used.") % {"n": MAX_TAGS})
            names = names[:MAX_TAGS]
        lists[key] = names
    page = _number(first("page"), _("page number"), notes) or 1
    filters = WorkFilters(
        q=q,
        **lists,
        complete=_choice(first("complete"), COMPLETION, "", _("completion filter"), notes),
        single_chapter=first("single_chapter").lower() in {"1", "true", "yes", "on"},
        crossover=_choice(first("crossover"), CROSSOVERS, "include", _("crossover filter"), notes),
        language=first("language")[:16],
        words_from=_number(first("words_from"), _("smallest word count"), notes),
        words_to=_number(first("words_to"), _("largest word count"), notes),
        updated_from=_date(first("updated_from"), _("start date"), notes),
        updated_to=_date(first("updated_to"), _("end date"), notes),
        published_from=_date(first("published_from"), _("start date"), notes),
        published_to=_date(first("published_to"), _("end date"), notes),
        sort=_choice(first("sort"), SORTS, "", _("sort order"), notes),
        page=max(page, 1),
    )
    return filters, notes
