"""One log line per request: method, path, status, milliseconds, user id.

The line goes to the ``fanshelf.requests`` logger at INFO, e.g.::

    GET /works/12/ 200 14.3ms user=7

Only the path is logged, never the query string (it may hold a reader's search text),
and only the user's id, never the username.
"""

import logging
import re
import time

from django.contrib.auth import SESSION_KEY
from django.utils.functional import empty

logger = logging.getLogger("fanshelf.requests")
# A decoded path may hold %0A and the like: escaped, so one request stays one line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def user_id(request) -> str:
    """The signed-in user's id, or "-"; costs no query the request did not make.

    A user nobody asked for is still a lazy object: the id is then read from the
    session, but only if the session was loaded anyway.
    """
    # An API call's bearer-token user (django-ninja sets request.auth).
    caller = getattr(request, "auth", None)
    if getattr(caller, "is_authenticated", False):
        return str(caller.pk)
    user = getattr(request, "user", None)
    if user is None:
        return "-"
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is not empty:
        return str(wrapped.pk) if getattr(wrapped, "is_authenticated", False) else "-"
    session = getattr(request, "session", None)
    if session is not None and hasattr(session, "_session_cache"):
        return str(session.get(SESSION_KEY) or "-")
    return "-"


class RequestTimingMiddleware:
    """Log how long each request took, from just after SecurityMiddleware to the end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", request.path),
            response.status_code,
            elapsed_ms,
            user_id(request),
        )
        return response
