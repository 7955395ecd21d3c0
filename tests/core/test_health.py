"""/healthz answers while the process runs; /readyz only while databases and caches do."""

import logging

import pytest
from django.urls import reverse

from fanshelf.core.health import check_database, without_secrets


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_does_not_need_a_session_or_csrf_token(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_readyz_is_ready_when_database_and_cache_answer(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_answers_503_when_the_cache_fails(client, settings, unreachable_cache, caplog):
    settings.CACHES = {**settings.CACHES, "sessions": {"BACKEND": unreachable_cache}}
    with caplog.at_level(logging.WARNING, logger="fanshelf.health"):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "cache": "cache 'sessions' could not be reached"}
    # The details reach the log, the password in the URL reaches neither.
    assert "Error 111" in caplog.text
    assert "hunter2" not in caplog.text
    assert "hunter2" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_answers_503_when_a_database_fails(client, broken_database, caplog):
    with caplog.at_level(logging.WARNING, logger="fanshelf.health"):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "database 'broken' could not be reached",
        "cache": "ok",
    }
    assert "unable to open database file" in caplog.text


@pytest.mark.django_db
def test_database_check_passes_on_the_default_database():
    assert check_database("default") is None


def test_database_check_reports_an_unreachable_database(broken_database, caplog):
    assert check_database(broken_database) == "database 'broken' could not be reached"
    assert "unable to open database file" in caplog.text


def test_secrets_are_removed_from_connection_errors():
    assert without_secrets("postgres://fan:s3cret@db:5432/x failed") == (
        "postgres://fan:***@db:5432/x failed"
    )
    assert without_secrets("host=db password=s3cret user=fan") == "host=db password=*** user=fan"
