"""The OpenAPI document describes every endpoint the API serves, with every answer it gives.

The routes are read from what the NinjaAPI actually serves (its URL patterns and its
routers' path operations), so an endpoint added without a description, or one that
forgets an error status, fails here before a client trips over it.
"""

import re

import pytest
from django.urls import reverse

from fanshelf.api.urls import api, ninja_patterns

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
# Served by ninja but not endpoints: its root (urls.py answers /api/v1/ first), the
# document itself and its browser.
NOT_ENDPOINTS = {"api-root", "openapi-json", "openapi-view"}


def _openapi_path(route: str) -> str:
    """A Django route ("tags/<int:tag_id>") or a ninja path ("/tags/{int:tag_id}") as an
    OpenAPI path ("/api/v1/tags/{tag_id}")."""
    return PREFIX + re.sub(r"[<{](?:\w+:)?(\w+)[>}]", r"{\1}", route.strip("/"))


def _served_routes() -> set[str]:
    return {
        _openapi_path(str(pattern.pattern))
        for pattern in ninja_patterns
        if pattern.name not in NOT_ENDPOINTS
    }


def _served_operations() -> set[tuple[str, str]]:
    operations = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            route = _openapi_path(f"{prefix.strip('/')}/{path.strip('/')}")
            for operation in path_view.operations:
                if operation.include_in_schema:
                    operations.update((route, method.lower()) for method in operation.methods)
    return operations


@pytest.fixture(scope="module")
def document(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(reverse("api:v1:openapi-json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def _resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def test_the_document_is_served_at_the_path_the_docs_give():
    assert reverse("api:v1:openapi-json") == "/api/v1/openapi.json"


def test_every_served_route_is_in_the_document(document):
    routes = _served_routes()

    assert routes, "the walk found no routes"
    assert routes == set(document["paths"])


def test_every_served_method_is_in_the_document(document):
    operations = _served_operations()

    assert len(operations) >= 30
    assert operations == {(path, method) for path, method, _ in _operations(document)}


def test_every_operation_has_a_unique_id_and_a_summary(document):
    ids = [operation.get("operationId") for _, _, operation in _operations(document)]

    assert all(ids)
    assert len(ids) == len(set(ids))
    assert all(operation.get("summary") for _, _, operation in _operations(document))


def test_every_operation_declares_its_success_and_its_json_body(document):
    for path, method, operation in _operations(document):
        successes = {code: answer for code, answer in operation["responses"].items()
                     if code.startswith("2")}  # fmt: skip
        assert successes, f"{method.upper()} {path} declares no success"
        for code, answer in successes.items():
            if code == "204":
                assert "content" not in answer, f"{method.upper()} {path} 204 has a body"
                continue
            schema = answer["content"]["application/json"]["schema"]
            assert _resolve(document, schema).get("properties"), f"{method.upper()} {path}"


def _required_errors(operation) -> set[str]:
    """The error statuses an operation can answer, whatever it does."""
    parameters = operation.get("parameters", [])
    # A wrong token (auth.py), the api rate limit (api/urls.py) and the database being
    # away (core/unavailable.py) apply everywhere.
    required = {"401", "429", "503"}
    if parameters or "requestBody" in operation:
        required.add("400")
    if any(parameter["in"] == "path" for parameter in parameters):
        required.add("404")
    if "requestBody" in operation:
        required.add("413")
    return required


def test_every_operation_declares_the_errors_it_can_answer(document):
    missing = {
        f"{method.upper()} {path}": sorted(
            _required_errors(operation) - set(operation["responses"])
        )
        for path, method, operation in _operations(document)
    }

    assert {name: codes for name, codes in missing.items() if codes} == {}


def test_every_error_answer_is_a_json_object_with_a_detail(document):
    for path, method, operation in _operations(document):
        for code, answer in operation["responses"].items():
            if int(code) < 400:
                continue
            schema = _resolve(document, answer["content"]["application/json"]["schema"])
            where = f"{method.upper()} {path} {code}"
            assert schema["properties"]["detail"]["type"] == "string", where
            assert "detail" in schema["required"], where


def test_validation_errors_also_list_the_messages_by_field(document):
    for path, method, operation in _operations(document):
        answer = operation["responses"].get("400")
        if answer is None:
            continue
        schema = _resolve(document, answer["content"]["application/json"]["schema"])
        assert schema["properties"]["errors"]["type"] == "object", f"{method.upper()} {path}"
