"""A reader's preferences: read once per request, changed through one service.

``preferences_for(user)`` is what every page, template tag and middleware asks: a
guest gets the defaults without a query; a signed-in user's row is fetched once and
kept on the user object, which Django builds afresh for each request, so a listing
of fifty blurbs and the time-zone middleware share that one query.
"""

import zoneinfo
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fanshelf.reading.models import ReadingPreference

CACHE_ATTRIBUTE = "_fanshelf_reading_preference"
# What a reader may change with ``update_preferences``.
EDITABLE = (
    "history_enabled",
    "hide_warnings",
    "hide_freeform",
    "confirm_adult_content",
    "view_entire_work",
    "hide_creator_style",
    "time_zone",
)
TRUE_VALUES = {"1", "true"}


@cache
def time_zones() -> list[str]:
    """Every IANA time zone this system knows, sorted (``zoneinfo.available_timezones``)."""
    return sorted(zoneinfo.available_timezones())


def preferences_for(user) -> ReadingPreference:
    """The user's preferences, or the defaults (unsaved) for a guest or a user without a row.

    At most one query per user object; nothing is written.
    """
    if not getattr(user, "is_authenticated", False):
        return ReadingPreference()
    cached = getattr(user, CACHE_ATTRIBUTE, None)
    if cached is None:
        if get_user_model().reading_preference.is_cached(user):  # loaded with the user (core.auth)
            cached = getattr(user, "reading_preference", None)
        else:
            cached = ReadingPreference.objects.filter(user=user).first()
        cached = cached or ReadingPreference(user=user)
        setattr(user, CACHE_ATTRIBUTE, cached)
    return cached


def hidden_tag_types(user) -> frozenset[str]:
    """The tag types the reader wants behind a click: ``warning`` and/or ``freeform``."""
    preference = preferences_for(user)
    hidden = set()
    if preference.hide_warnings:
        hidden.add("warning")
    if preference.hide_freeform:
        hidden.add("freeform")
    return frozenset(hidden)


def wants_entire_work(request) -> bool:
    """Whether ``/works/N/`` should show every chapter: asked in the query, or by preference.

    ``?view_full_work=0`` (or ``false``) asks for the first chapter whatever the preference.
    """
    asked = request.GET.get("view_full_work")
    if asked is not None:
        return asked in TRUE_VALUES
    return preferences_for(request.user).view_entire_work


def _validate(changes: dict) -> dict:
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(
            {name: _("“%(name)s” is not a preference.") % {"name": name} for name in unknown}
        )
    cleaned = {}
    for name, value in changes.items():
        if name == "time_zone":
            value = (value or "").strip()
            if value and value not in zoneinfo.available_timezones():
                raise ValidationError(
                    {
                        "time_zone": _(
                            "“%(value)s” is not a time zone we know. Choose one from the list, "
                            "such as Europe/Berlin or America/New_York."
                        )
                        % {"value": value}
                    }
                )
        elif not isinstance(value, bool):
            raise ValidationError({name: _("Choose yes or no.")})
        cleaned[name] = value
    return cleaned


def update_preferences(*, user, **changes) -> ReadingPreference:
    """Change some of a signed-in user's preferences; the others keep their value.

    Raises ``PermissionDenied`` for a guest, and ``ValidationError`` (a dict by field)
    for an unknown preference, a value that is not a boolean, or a time zone that does
    not exist; nothing is saved then.
    An empty time zone means the archive's own.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to keep preferences."))
    cleaned = _validate(changes)
    with transaction.atomic():
        preference, _created = ReadingPreference.objects.select_for_update().get_or_create(
            user=user
        )
        for name, value in cleaned.items():
            setattr(preference, name, value)
        preference.save()
    setattr(user, CACHE_ATTRIBUTE, preference)
    return preference
