"""Show a signed-in reader's pages in the time zone they chose in their preferences.

Templates convert dates to the active time zone (``|date``, ``{{ value }}``), so
activating it here is all a page needs. The preference object is the one
``preferences_for`` caches on the user: this middleware and the page share one query.
Guests, and readers who chose none, see the archive's ``settings.TIME_ZONE``.
"""

import zoneinfo

from django.utils import timezone

from fanshelf.reading.preferences import preferences_for


class ReaderTimeZoneMiddleware:
    """Activate the reader's time zone for the request (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = preferences_for(user).time_zone
            if name:
                try:
                    timezone.activate(zoneinfo.ZoneInfo(name))
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    # A zone removed from the system since it was chosen: the archive's.
                    timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
