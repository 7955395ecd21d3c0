"""Requests over Django's body limits get a page that names the limit, not a bare 400.

Django refuses a form body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes
(``RequestDataTooBig``), with more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields
(``TooManyFieldsSent``) or more than ``DATA_UPLOAD_MAX_NUMBER_FILES`` files
(``TooManyFilesSent``) as a ``SuspiciousOperation``, which ends in the 400 handler
(``handler400`` in ``fanshelf.urls``). This handler answers those with
``413 Content Too Large`` and a page saying what the most is; every other bad request
keeps Django's own 400 page. The API has its own JSON answer (``api.errors``).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults

CONTENT_TOO_LARGE = 413


def limit_message(exception: Exception) -> str | None:
    """What the request went over, in words for the person who sent it; None if no limit."""
    if isinstance(exception, RequestDataTooBig):
        return _(
            "This form sent more than %(size)s of text, the most one page may send. "
            "If you were posting a chapter, split it into two chapters."
        ) % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    if isinstance(exception, TooManyFieldsSent):
        return _("This form sent more than %(count)s fields, the most one page may send.") % {
            "count": f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}"
        }
    if isinstance(exception, TooManyFilesSent):
        return _("This form sent more than %(count)s files, the most one page may send.") % {
            "count": f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES:,}"
        }
    return None


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    """Django's 400 page, or 413 with the limit when the body was over one."""
    message = limit_message(exception)
    if message is None:
        return defaults.bad_request(request, exception, template_name)
    return render(request, "413.html", {"message": message}, status=CONTENT_TOO_LARGE)
