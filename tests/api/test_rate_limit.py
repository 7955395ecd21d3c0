"""The API counts every request against one limit, per token or per address."""

import pytest

from fanshelf.accounts.services import issue_api_token
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_a_minute(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/60"}


def test_a_client_over_the_limit_gets_a_json_429_with_retry_after(client, two_a_minute):
    assert client.get("/api/v1/works").status_code == 200
    assert client.get("/api/v1/tags").status_code == 200

    refused = client.get("/api/v1/works")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused.json() == {"detail": "Too many API requests: at most 2 every 60 seconds."}


def test_each_token_has_its_own_allowance_apart_from_the_address(client, make_user, two_a_minute):
    for _ in range(2):
        client.get("/api/v1/works")
    assert client.get("/api/v1/works").status_code == 429

    token = issue_api_token(user=make_user("api_reader"))
    with_token = ApiClient(token, client=client)

    assert with_token.get("/api/v1/works").status_code == 200


def test_limits_switched_off_let_everything_through(client, settings, two_a_minute):
    settings.RATE_LIMITS_ENABLED = False
    assert all(client.get("/api/v1/works").status_code == 200 for _ in range(5))
