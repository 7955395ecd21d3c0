"""HTTP/1.0-style requests over a plain socket: exact bytes out, status and body back."""

import re
import socket
import time
from dataclasses import dataclass, field


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    cookies: dict[str, str] = field(default_factory=dict)


def parse(raw: bytes) -> Reply:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers, cookies = {}, {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
        if name.strip().lower() == "set-cookie":
            key, _, rest = value.strip().partition("=")
            cookies[key] = rest.split(";", 1)[0]
    return Reply(status, headers, body.decode("utf-8", "replace"), cookies)


def send(port: int, raw: bytes, *, timeout: float = 15) -> Reply:
    """Send ``raw`` in one go and read the whole answer (the server closes after it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return parse(b"".join(chunks))


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    timeout: float = 15,
) -> Reply:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    return send(port, raw, timeout=timeout)


def wait_until_up(port: int, *, seconds: float = 60, process=None) -> None:
    """Wait for /healthz to answer 200 (both workers may take a moment to load Django)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError("the server exited while starting")
        try:
            if request(port, "GET", "/healthz", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"nothing answered on port {port} within {seconds} s")


def csrf_form_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)
