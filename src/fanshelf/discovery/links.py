"""Links of a work listing: the same filters with one tag more or less, or another page.

Built from ``WorkFilters.to_params()``, so a link carries the filters as the listing
understood them (values it ignored, and their notes, are left behind) and starts
again at the first page unless it names one. The web and the API share these; the
API spells the repeatable parameters in the plural (``API_NAMES``).
"""

from urllib.parse import urlencode

from fanshelf.discovery.filters import WorkFilters
from fanshelf.tags.models import normalize_tag_name

# Including a rating, warning or category ticks its box in the sidebar; every other
# type of tag goes into the include tags.
INCLUDE_PARAMS = {"rating": "rating", "warning": "warning", "category": "category"}
EXCLUDE_PARAM = "exclude_tag"
TAG_PARAMS = ("tag", "rating", "warning", "category", EXCLUDE_PARAM)
API_NAMES = {
    "tag": "tags",
    "exclude_tag": "exclude_tags",
    "warning": "warnings",
    "category": "categories",
}

Params = list[tuple[str, str]]


def include_param(tag_type: str) -> str:
    return INCLUDE_PARAMS.get(tag_type, "tag")


def _key(param: str, value: str) -> tuple[str, str]:
    return param, normalize_tag_name(value) if param in TAG_PARAMS else value


def has_param(filters: WorkFilters, param: str, value: str) -> bool:
    """Whether the filters already hold ``param=value`` (tag names in any spelling)."""
    wanted = _key(param, value)
    return any(_key(*pair) == wanted for pair in filters.to_params())


def filter_params(
    filters: WorkFilters, *, add: Params = (), remove: Params = (), page: int | None = None
) -> Params:
    """The filters as query-string pairs, with ``add`` and without ``remove``."""
    removed = {_key(*pair) for pair in remove}
    params = [pair for pair in filters.to_params() if _key(*pair) not in removed]
    params += [pair for pair in add if pair not in params]
    if page is not None:
        params.append(("page", str(page)))
    return params


def listing_url(path: str, params: Params, *, names: dict[str, str] | None = None) -> str:
    """``path`` with ``params`` as its query string (renamed through ``names``, if given)."""
    if names:
        params = [(names.get(key, key), value) for key, value in params]
    return f"{path}?{urlencode(params)}" if params else path
