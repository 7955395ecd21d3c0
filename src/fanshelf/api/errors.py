"""Every error the API returns is JSON with a sentence a person can read.

``{"detail": "…"}`` always; validation errors add ``"errors": {field: [messages]}``.
Schema errors from django-ninja and ``ValidationError`` from the services share that
shape and status 400, so a client handles both the same way.
"""

import json
import logging

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from fanshelf.core import unavailable

logger = logging.getLogger("django.request")

NON_FIELD = "__all__"


def error_response(detail: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


def _sentence(message: str) -> str:
    message = str(message).strip()
    return message if message.endswith((".", "!", "?")) else message + "."


def _schema_message(error: dict) -> str:
    """A readable message for one pydantic error, in the user's language where we can."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "extra_forbidden": _("There is no such field."),
        "string_type": _("This should be text."),
        "int_type": _("This should be a whole number."),
        "int_parsing": _("This should be a whole number."),
        "int_from_float": _("This should be a whole number."),
        "bool_type": _("This should be true or false."),
        "bool_parsing": _("This should be true or false."),
        "list_type": _("This should be a list."),
        "model_type": _("This should be an object."),
        "model_attributes_type": _("This should be an object."),
        "dict_type": _("This should be an object."),
    }
    if kind in messages:
        return messages[kind]
    if kind == "greater_than_equal":
        return _("This should be at least %(min)s.") % {"min": context.get("ge")}
    if kind in ("literal_error", "enum"):
        return _("This should be one of %(choices)s.") % {"choices": context.get("expected")}
    return _sentence(error.get("msg", _("This value is not valid.")))


def _field_name(location) -> str:
    # ninja reports ("body", "payload", "tags", "rating"): keep the path inside the body.
    parts = list(location)
    if parts[:1] == ["body"]:
        parts = parts[2:]
    elif parts[:1] in (["query"], ["path"]):
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or NON_FIELD


def validation_response(errors: dict[str, list[str]]) -> JsonResponse:
    sentences = []
    for field, messages in errors.items():
        for message in messages:
            if field == NON_FIELD:
                sentences.append(_sentence(message))
            else:
                sentences.append(f"{field}: {_sentence(message)}")
    return error_response(" ".join(sentences), 400, errors=errors)


def on_schema_error(request, exc: SchemaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        field = _field_name(error.get("loc", ()))
        if field == NON_FIELD and error.get("type") == "missing":
            message = _("Send the request body as a JSON object.")
        elif field == NON_FIELD:
            message = _("The request body should be a JSON object.")
        else:
            message = _schema_message(error)
        errors.setdefault(field, []).append(message)
    return validation_response(errors)


def on_service_error(request, exc: DjangoValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
    return validation_response({field: list(messages) for field, messages in errors.items()})


def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, json.JSONDecodeError):
        return validation_response(
            {NON_FIELD: [_("The request body is not valid JSON: %(e)s.") % {"e": exc.__cause__}]}
        )
    # ninja wraps whatever its parser raises (api/parser.py refuses NUL characters).
    if isinstance(exc.__cause__, DjangoValidationError):
        return on_service_error(request, exc.__cause__)
    if exc.status_code == 400:
        # Every 400 lists its messages by field, as the OpenAPI document says.
        return validation_response({NON_FIELD: [str(exc)]})
    return error_response(str(exc), exc.status_code)


def on_unauthenticated(request, exc: AuthenticationError):
    response = error_response(
        _("Send a valid API token in the header “Authorization: Bearer TOKEN”."), 401
    )
    response["WWW-Authenticate"] = 'Bearer realm="fanshelf"'
    return response


def on_permission_denied(request, exc: PermissionDenied):
    return error_response(str(exc) or _("You are not allowed to do that."), 403)


def on_not_found(request, exc: Exception):
    message = str(exc) if isinstance(exc, Http404) and str(exc) else ""
    return error_response(message or _("This work does not exist, or you cannot see it."), 404)


def on_too_big(request, exc: RequestDataTooBig):
    return error_response(
        _("The request body is larger than %(max)s bytes.")
        % {"max": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"},
        413,
    )


def on_unexpected_error(request, exc: Exception):
    logger.error(
        "API error: %s %s",
        request.method,
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return error_response(_("Something went wrong on our side; the error has been logged."), 500)


def install(api) -> None:
    """Register the handlers on a NinjaAPI, replacing ninja's defaults."""
    api.add_exception_handler(SchemaValidationError, on_schema_error)
    api.add_exception_handler(DjangoValidationError, on_service_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    # The database away (restarting, locked): 503 with Retry-After, not 500.
    for away in unavailable.DATABASE_AWAY:
        api.add_exception_handler(away, unavailable.unavailable_response)
    api.add_exception_handler(Exception, on_unexpected_error)
