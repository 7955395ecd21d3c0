"""The Redis cache: shared by every process, and no errors when Redis goes away.

A real ``redis-server`` (Debian's, installed by ``make test``) runs on a Unix socket in
a temporary folder, with no TCP port; the tests skip when it is not installed.
"""

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from fanshelf.core import cache as cache_module
from fanshelf.core import ratelimit

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    def __init__(self, folder: Path):
        self.socket = folder / "redis.sock"
        self.folder = folder
        self.process = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", "0", "--unixsocket", str(self.socket),
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            if self.socket.exists():
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.socket.unlink(missing_ok=True)


@pytest.fixture
def redis_server(tmp_path):
    if not Path(REDIS_SERVER).exists():
        pytest.skip("redis-server is missing; `make test` installs Debian's redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def redis_caches(url: str) -> dict:
    backend = {
        "BACKEND": "fanshelf.core.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    # Two aliases on one server: two processes' view of the same cache; guest pages
    # there too, as settings.py does.
    return {
        "default": backend,
        "other_process": dict(backend),
        "pages": {**backend, "KEY_PREFIX": "pages"},
    }


def test_two_processes_share_the_cache_and_the_rate_limit_counts(redis_server, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": "3/900"}
    with override_settings(CACHES=redis_caches(redis_server.url)):
        caches["default"].set("greeting", {"text": "hello"}, 60)
        assert caches["other_process"].get("greeting") == {"text": "hello"}

        assert [ratelimit.allow("comment", "user:7") for _ in range(3)] == [True] * 3
        assert ratelimit.allow("comment", "user:7") is False  # the fourth, anywhere
        caches["default"].clear()


@pytest.mark.django_db
def test_redis_going_away_degrades_to_no_cache_not_to_errors(
    redis_server, client, caplog, monkeypatch
):
    monkeypatch.setattr(cache_module._Warning, "last", 0.0)  # warned earlier in this process?
    with override_settings(CACHES=redis_caches(redis_server.url)):
        cache = caches["default"]
        cache.set("kept", 1, 60)
        redis_server.stop()

        assert cache.get("kept", "missing") == "missing"
        assert cache.add("lock", 1, 60) is True  # an empty cache would grant it
        assert cache.incr("counter", 1) == 1
        cache.set("dropped", 2, 60)
        assert ratelimit.allow("comment", "user:7") is True
        assert client.get("/").status_code == 200
        assert client.get("/works/").status_code == 200
        assert "Redis is unreachable, running without a cache" in caplog.text

        redis_server.start()  # back: the next call reconnects
        cache.set("again", 3, 60)
        assert caches["other_process"].get("again") == 3


def test_settings_use_redis_only_when_a_url_is_given(tmp_path):
    import os
    import sys

    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    base = {
        **os.environ,
        "FANSHELF_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "fanshelf.settings",
    }
    base.pop("FANSHELF_REDIS_URL", None)

    def backend(env):
        run = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return run.stdout.strip()

    assert backend(base) == "django.core.cache.backends.locmem.LocMemCache"
    with_redis = {**base, "FANSHELF_REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert backend(with_redis) == "fanshelf.core.cache.ResilientRedisCache"


def test_one_redis_client_serves_every_call_of_a_process(redis_server):
    """Django builds a client per call; building one cost more than the round trip."""
    with override_settings(CACHES=redis_caches(redis_server.url)):
        backend = caches["default"]
        backend.set("first", 1, 60)
        assert backend._cache.get_client(write=True) is backend._cache.get_client(write=True)
        assert backend.get("first") == 1
