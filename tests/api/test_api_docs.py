"""The OpenAPI document and the browsable docs, which must load nothing from a CDN."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_works_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert set(paths["/api/v1/works"]) == {"get", "post"}
    assert set(paths["/api/v1/works/{work_id}"]) == {"get", "patch", "delete"}
    assert set(paths["/api/v1/works/{work_id}/chapters"]) == {"post"}
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_openapi_marks_the_token_optional_for_reads_only(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {} in paths["/api/v1/works"]["get"]["security"]
    assert paths["/api/v1/works"]["post"]["security"] == [{"BearerToken": []}]


def test_docs_page_loads_swagger_from_this_server(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets
    assert all(url.startswith("/static/ninja/") for url in assets), assets
    assert "cdn" not in page


def test_docs_settings_point_at_the_openapi_document(client):
    page = client.get("/api/v1/docs").content.decode()

    assert '"url": "/api/v1/openapi.json"' in page


def test_api_root_points_to_the_endpoints(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response.json() == {
        "works": "http://testserver/api/v1/works",
        "tags": "http://testserver/api/v1/tags",
        "openapi": "http://testserver/api/v1/openapi.json",
        "docs": "http://testserver/api/v1/docs",
    }
