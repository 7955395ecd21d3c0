"""One log line per request: method, path without the query, status, ms, user id."""

import logging
import re

import pytest

LINE = re.compile(r"^(GET|POST) (\S+) (\d{3}) (\d+\.\d)ms user=(\S+)$")


def request_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "fanshelf.requests"]


@pytest.mark.django_db
def test_a_guest_request_is_logged_without_its_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="fanshelf.requests"):
        client.get("/healthz?q=my+secret+search")
    (line,) = request_lines(caplog)
    method, path, status, ms, user = LINE.match(line).groups()
    assert (method, path, status, user) == ("GET", "/healthz", "200", "-")
    assert float(ms) >= 0
    assert "secret" not in line


@pytest.mark.django_db
def test_a_signed_in_request_logs_the_user_id_never_the_username(client, reader, caplog):
    client.force_login(reader)
    with caplog.at_level(logging.INFO, logger="fanshelf.requests"):
        client.get("/")
    (line,) = request_lines(caplog)
    assert line.endswith(f" user={reader.pk}")
    assert LINE.match(line).group(3) == "200"
    assert reader.username not in line


@pytest.mark.django_db
def test_error_statuses_and_control_characters_in_paths_are_logged_on_one_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="fanshelf.requests"):
        client.get("/no-such-page%0Afake/")
    (line,) = request_lines(caplog)
    assert "\n" not in line
    assert LINE.match(line).group(2) == "/no-such-page\\x0afake/"
    assert LINE.match(line).group(3) == "404"


@pytest.mark.django_db
def test_an_api_call_with_a_token_logs_the_tokens_user(client, reader, caplog):
    from fanshelf.accounts.services import issue_api_token

    token = issue_api_token(user=reader)
    with caplog.at_level(logging.INFO, logger="fanshelf.requests"):
        client.get("/api/v1/works", HTTP_AUTHORIZATION=f"Bearer {token}")
    (line,) = request_lines(caplog)
    assert line.endswith(f" user={reader.pk}")
