"""The API under ``/api/v1/``: ``include("fanshelf.api.urls")`` from the site's urls."""

import functools
import hashlib

from django.http import JsonResponse
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from fanshelf.api import errors
from fanshelf.api.parser import TextParser
from fanshelf.api.tags import router as tags_router
from fanshelf.api.works import router as works_router
from fanshelf.core import ratelimit
from fanshelf.core.ratelimit import client_ip

app_name = "api"

api = NinjaAPI(
    title="Fanshelf API",
    version="1",
    description=(
        "Read and post works; find, suggest and wrangle tags. "
        "Send `Authorization: Bearer TOKEN` with a token from "
        "`fanshelf token NAME`; reads work without one, as a guest. "
        'Errors are JSON: `{"detail": "…"}`, plus `"errors": {field: [messages]}` '
        "for invalid input."
    ),
    # Nested inside this module's "api" namespace, so reverse() finds "api:v1:…".
    urls_namespace="api:v1",
    # Refuses NUL characters (400), which PostgreSQL cannot store.
    parser=TextParser(),
)
errors.install(api)
api.add_router("/", works_router)
api.add_router("/", tags_router)
api.add_router("/", "fanshelf.api.bookmarks.router")
api.add_router("/", "fanshelf.api.notifications.router")
api.add_router("/", "fanshelf.api.feedback.router")


def index(request):
    """What /api/v1/ answers: where the endpoints and their description are."""
    return JsonResponse(
        {
            "works": request.build_absolute_uri(reverse("api:v1:works")),
            "tags": request.build_absolute_uri(reverse("api:v1:tags")),
            "openapi": request.build_absolute_uri(reverse("api:v1:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api:v1:openapi-view")),
        }
    )


# Exempt like ninja's views: a POST to a path no endpoint takes (tags/-1/rename) gets
# this JSON 404, not the CSRF middleware's HTML 403. It changes nothing.
@csrf_exempt
def not_found(request, path=""):
    return errors.error_response(
        _("There is no API endpoint at %(path)s; see /api/v1/docs.") % {"path": request.path},
        404,
    )


def _api_client_key(request) -> str:
    """Whom a request counts against: its bearer token when it sends one, else its address."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
    return "address:" + client_ip(request)


def _limited_json_endpoint(view):
    """Every endpoint: counted against the ``api`` rate limit, wrong methods answered in JSON.

    ninja answers a wrong method with a plain-text 405; it becomes JSON like every error.
    A client over the limit gets a 429 with ``Retry-After`` before the endpoint runs.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not ratelimit.allow("api", _api_client_key(request)):
            limit = ratelimit.limit_for("api")
            refused = errors.error_response(
                _("Too many API requests: at most %(count)s every %(seconds)s seconds.")
                % {"count": limit.count, "seconds": limit.seconds},
                429,
            )
            refused["Retry-After"] = str(limit.seconds)
            return refused
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            json_response = errors.error_response(
                _("%(method)s is not allowed here.") % {"method": request.method}, 405
            )
            json_response["Allow"] = response["Allow"]
            return json_response
        return response

    # ninja marks its views csrf_exempt (bearer tokens need no CSRF check); keep that mark.
    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    return wrapped


ninja_patterns, ninja_app, ninja_namespace = api.urls
for pattern in ninja_patterns:
    pattern.callback = _limited_json_endpoint(pattern.callback)

urlpatterns = [
    # Before ninja's own root view, which answers an HTML 404.
    path("", index, name="index"),
    path("", (ninja_patterns, ninja_app, ninja_namespace)),
    re_path(r"^(?P<path>.*)$", not_found),
]
