"""A database that is away answers 503 with ``Retry-After``, never a 500 traceback.

"Away" is Django's ``OperationalError`` or ``InterfaceError``: PostgreSQL restarting
or unreachable, a connection the server dropped, SQLite's "database is locked" once
its busy timeout (``FANSHELF_SQLITE_TIMEOUT``) has run out. Pages get a short page
(``503.html``, rendered without a request, so no context processor asks the missing
database for the user or their inbox); ``/api/`` gets ``{"detail": …}``. Each failure
is one line in the ``fanshelf.unavailable`` log.

Three ways in, one answer (``unavailable_response``):

- ``DatabaseUnavailableMiddleware.process_exception``: errors raised by a view or
  while rendering its template;
- ``server_error`` (the site's ``handler500``): errors raised by a middleware, such as
  loading the session or saving it, which Django turns into a 500 before any
  outer middleware sees them;
- ``fanshelf.api.errors``: the API catches its own exceptions and registers
  ``unavailable_response`` as the handler for these.

Nothing is retried here. A write that failed was rolled back with its transaction,
so the page for a POST says plainly that nothing was saved. Reads are not retried
either: SQLite readers in WAL mode never wait for a lock (only a write can be
"locked", after already waiting the whole busy timeout), and a PostgreSQL that is
restarting will not be back a moment later; a second try would only hold a web
process for longer. The broken connection itself is closed by Django when the
request ends (``close_old_connections`` sees the error and finds the connection
unusable), and with ``CONN_HEALTH_CHECKS`` (set for every ``FANSHELF_DATABASE_URL``)
a persistent connection is tested before its first use in each request, so the
first request after the database is back reconnects.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults

from fanshelf.core.health import without_secrets

logger = logging.getLogger("fanshelf.unavailable")

DATABASE_AWAY = (OperationalError, InterfaceError)
# Long enough for a restart or a long write to finish, short enough that a reader who
# waits is not kept waiting for nothing.
RETRY_AFTER_SECONDS = 15
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_database_away(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_AWAY)


def _stylesheet() -> str | None:
    # The hashed name comes from the static files manifest, not the database; a
    # missing manifest must not turn this page into a 500 of its own.
    try:
        return static("fanshelf/fanshelf.css")
    except Exception:  # noqa: BLE001 - the page is still readable without its style
        return None


def _page(*, nothing_saved: bool) -> str:
    return render_to_string(
        "503.html",
        {
            "nothing_saved": nothing_saved,
            "retry_after": RETRY_AFTER_SECONDS,
            "stylesheet": _stylesheet(),
        },
    )


def unavailable_response(request, exc: BaseException) -> HttpResponse:
    """The 503 answer for ``exc`` (a database error) to ``request``, logged once."""
    logger.error(
        "database unavailable: %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        without_secrets(str(exc).strip().splitlines()[0]) if str(exc).strip() else "",
    )
    nothing_saved = request.method not in SAFE_METHODS
    if request.path.startswith("/api/"):
        detail = _(
            "The archive's database is unavailable for a moment; try again in %(s)s seconds."
        )
        if nothing_saved:
            detail += " " + _("Nothing was saved.")
        response = JsonResponse({"detail": detail % {"s": RETRY_AFTER_SECONDS}}, status=503)
    else:
        response = HttpResponse(_page(nothing_saved=nothing_saved), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged above: Django's own "Service Unavailable: …" line would say it twice.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 instead of 500 when a view meets a database that is away."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_away(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """The site's 500 view: a 503 when the error was the database being away."""
    exc = sys.exc_info()[1]
    if is_database_away(exc):
        return unavailable_response(request, exc)
    return defaults.server_error(request, template_name=template_name)
