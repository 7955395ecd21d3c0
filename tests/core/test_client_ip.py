"""Behind trusted proxies the reader's address comes from X-Forwarded-For, and only then."""

import pytest
from django.test import RequestFactory

from fanshelf.core.ratelimit import client_ip


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("127.0.0.1", "203.0.113.9")) == "127.0.0.1"


def test_a_trusted_proxy_passes_on_the_readers_address(behind_nginx):
    assert client_ip(request_from("127.0.0.1", "203.0.113.9")) == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(behind_nginx):
    request = request_from("127.0.0.1", "198.51.100.7, 203.0.113.9, 10.0.0.5")
    assert client_ip(request) == "203.0.113.9"


def test_an_address_a_reader_made_up_is_not_believed(behind_nginx):
    # The reader sent "X-Forwarded-For: 1.2.3.4"; nginx appended the real address.
    assert client_ip(request_from("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_a_connection_not_from_a_proxy_keeps_its_own_address(behind_nginx):
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_garbage_in_the_header_counts_as_the_proxy(behind_nginx):
    assert client_ip(request_from("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1", "")) == "127.0.0.1"


def test_ipv6_proxies_and_readers(settings):
    settings.TRUSTED_PROXIES = ["::1"]
    assert client_ip(request_from("::1", "2001:db8::7")) == "2001:db8::7"


def test_login_limits_count_each_reader_behind_the_proxy(behind_nginx, settings, client, db):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_address": "2/900"}
    form = {"username": "nobody", "password": "wrong"}
    for _ in range(3):
        client.post("/login/", form, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="203.0.113.9")  # fmt: skip
    other = client.post("/login/", form, REMOTE_ADDR="127.0.0.1",
                        HTTP_X_FORWARDED_FOR="198.51.100.7")  # fmt: skip
    assert other.status_code != 429
    again = client.post("/login/", form, REMOTE_ADDR="127.0.0.1",
                        HTTP_X_FORWARDED_FOR="203.0.113.9")  # fmt: skip
    assert again.status_code == 429
