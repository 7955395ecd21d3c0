"""fanshelf.core.unavailable: a database that is away is a 503, never a 500 traceback.

The errors are real ones: an SQLite connection to a file in a folder that does not
exist fails to open, as a server that is gone does.
"""

import json
import logging

import pytest
from django.conf import settings
from django.db import IntegrityError, OperationalError, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.urls import get_resolver
from django.utils.log import log_response

from fanshelf.api.urls import api
from fanshelf.core import unavailable
from fanshelf.core.unavailable import DatabaseUnavailableMiddleware, server_error
from fanshelf.settings import database_config


@pytest.fixture
def database_error(db, tmp_path) -> OperationalError:
    config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "gone" / "x.db")}
    config = connections.configure_settings({"default": config})["default"]
    broken = SQLiteDatabaseWrapper(config, "broken")
    try:
        broken.cursor()
    except OperationalError as error:
        return error
    finally:
        broken.close()
    raise AssertionError("the connection opened")


def middleware():
    return DatabaseUnavailableMiddleware(lambda request: None)


def test_a_read_meeting_a_database_that_is_away_gets_a_503_page_without_queries(
    rf, database_error, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = middleware().process_exception(rf.get("/works/12/"), database_error)
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert "Back in a moment" in page
    assert "Nothing was saved" not in page
    assert "Traceback" not in page and "unable to open" not in page


def test_a_form_post_is_told_nothing_was_saved(rf, database_error):
    response = middleware().process_exception(rf.post("/works/12/kudos/"), database_error)
    assert response.status_code == 503
    assert "Nothing was saved, please send it again." in response.content.decode()


def test_the_api_answers_json_with_a_detail(rf, database_error):
    request = rf.post("/api/v1/works/12/chapters")
    response = api.on_exception(request, database_error)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"].isdigit()
    detail = json.loads(response.content)["detail"]
    assert "try again" in detail and "Nothing was saved" in detail


def test_other_errors_are_left_to_django(rf):
    request = rf.get("/works/12/")
    assert middleware().process_exception(request, ValueError("a bug")) is None
    assert middleware().process_exception(request, IntegrityError("a duplicate")) is None


def test_database_errors_raised_in_a_middleware_reach_the_500_handler_as_503(rf, database_error):
    assert get_resolver().resolve_error_handler(500) is server_error
    try:
        raise database_error
    except OperationalError:
        response = server_error(rf.get("/works/"))
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()


def test_other_errors_still_get_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/works/"))
    assert response.status_code == 500


def test_each_failure_is_logged_once(rf, database_error, caplog):
    request = rf.get("/works/12/")
    with caplog.at_level(logging.INFO):
        response = middleware().process_exception(request, database_error)
        log_response("%s: %s", response.reason_phrase, request.path, response=response,
                     request=request)  # fmt: skip
    lines = [(record.name, record.getMessage()) for record in caplog.records]
    assert lines == [
        ("fanshelf.unavailable",
         "database unavailable: GET /works/12/: OperationalError: unable to open database file"),
    ]  # fmt: skip


def test_the_middleware_is_installed_last():
    assert settings.MIDDLEWARE[-1] == "fanshelf.core.unavailable.DatabaseUnavailableMiddleware"


def test_the_sqlite_busy_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("FANSHELF_DATABASE_URL", raising=False)
    monkeypatch.delenv("FANSHELF_SQLITE_TIMEOUT", raising=False)
    assert database_config()["OPTIONS"]["timeout"] == 20
    monkeypatch.setenv("FANSHELF_SQLITE_TIMEOUT", "1.5")
    assert database_config()["OPTIONS"]["timeout"] == 1.5
