"""Request limits of `fanshelf serve` itself, over loopback (see conftest's server)."""

import select
import socket
import threading
import time
import urllib.parse

from tests.deploy.conftest import (
    LOGIN_ADDRESS_LIMIT,
    MAX_FORM_BYTES,
    REQUEST_LINE_LIMIT,
    WORKER_TIMEOUT,
)
from tests.deploy.rawhttp import csrf_form_token, request, wait_until_up

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_a_form_over_the_body_limit_gets_413_naming_the_limit_and_the_server_goes_on(server):
    page = request(server, "GET", "/login/")
    token = csrf_form_token(page.body)
    cookie = f"csrftoken={page.cookies['csrftoken']}"
    body = f"csrfmiddlewaretoken={token}&username=".encode() + b"a" * (MAX_FORM_BYTES + 10_000)

    reply = request(server, "POST", "/login/", body=body, headers={**FORM, "Cookie": cookie})

    assert reply.status == 413
    assert "more than 64.0\xa0KB" in reply.body
    assert "Nothing was saved" in reply.body
    assert request(server, "GET", "/healthz").status == 200


def test_a_request_line_over_the_limit_gets_414_from_gunicorn(server):
    path = "/works/?q=" + "a" * REQUEST_LINE_LIMIT

    reply = request(server, "GET", path)

    assert reply.status == 414
    assert "Request Line is too large" in reply.body
    assert request(server, "GET", "/healthz").status == 200


class SlowClient(threading.Thread):
    """Starts a request and then sends one header byte a second, never finishing it.

    ``closed_after`` is how long the server kept the connection open (None if it
    still had not closed it when the thread gave up).
    """

    def __init__(self, port: int, *, give_up_after: float) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.give_up_after = give_up_after
        self.closed_after: float | None = None
        self.connected = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            self.connected.set()
            while time.monotonic() - started < self.give_up_after:
                readable, _, _ = select.select([sock], [], [], 1.0)
                try:
                    if readable and not sock.recv(65536):
                        break  # the server closed the connection
                    if not readable:
                        sock.sendall(b"a")
                except OSError:
                    break  # reset by the server
            else:
                return
        self.closed_after = time.monotonic() - started


def test_a_slow_client_holds_one_worker_while_the_other_answers_until_the_timeout_frees_it(
    server,
):
    wait_until_up(server)
    slow = SlowClient(server, give_up_after=WORKER_TIMEOUT + 20)
    slow.start()
    slow.connected.wait(5)
    time.sleep(0.3)

    answered_in = []
    for _ in range(5):
        started = time.monotonic()
        assert request(server, "GET", "/healthz", timeout=WORKER_TIMEOUT - 1).status == 200
        answered_in.append(time.monotonic() - started)
    slow.join()

    # The free worker answered every request at once, while the slow client went on.
    assert max(answered_in) < 2
    # gunicorn's arbiter killed the stuck worker once it had not reported back for
    # --timeout seconds (a byte a second never counts as progress), closing the socket.
    assert slow.closed_after is not None
    assert WORKER_TIMEOUT - 0.5 <= slow.closed_after <= WORKER_TIMEOUT + 15
    assert request(server, "GET", "/healthz").status == 200


def test_two_slow_clients_hold_both_sync_workers_and_others_wait_for_the_timeout(server):
    # Why nginx must buffer requests in front: sync workers read the request themselves.
    wait_until_up(server)
    slow = [SlowClient(server, give_up_after=WORKER_TIMEOUT + 20) for _ in range(2)]
    for client in slow:
        client.start()
        client.connected.wait(5)
    time.sleep(0.5)

    started = time.monotonic()
    reply = request(server, "GET", "/healthz", timeout=WORKER_TIMEOUT + 20)
    waited = time.monotonic() - started
    for client in slow:
        client.join()

    assert reply.status == 200
    assert waited >= 1.5  # nobody answered until a stuck worker was killed and replaced
    assert all(client.closed_after is not None for client in slow)


def test_a_flood_of_logins_from_one_address_gets_429_after_the_limit(server):
    wait_until_up(server)
    page = request(server, "GET", "/login/")
    cookie = f"csrftoken={page.cookies['csrftoken']}"
    token = csrf_form_token(page.body)

    statuses = []
    for number in range(50):
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": f"nobody{number}", "password": "wrong"}
        ).encode()
        reply = request(server, "POST", "/login/", body=body, headers={**FORM, "Cookie": cookie})
        statuses.append(reply.status)

    # Without Redis each of the 2 workers counts in its own memory, so one address gets
    # between LIMIT and 2 × LIMIT tries before every answer is 429.
    assert statuses[:LOGIN_ADDRESS_LIMIT] == [200] * LOGIN_ADDRESS_LIMIT
    assert set(statuses) == {200, 429}
    assert statuses.count(200) <= 2 * LOGIN_ADDRESS_LIMIT
    assert request(server, "GET", "/healthz").status == 200
