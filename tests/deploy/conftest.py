"""A real `fanshelf serve` (gunicorn, 2 sync workers) on a free loopback port.

Its own data dir with a fresh SQLite archive and the in-process cache, whatever
database or cache the rest of the run uses: these tests are about the web server's
limits, not the engines. Small limits keep the requests small and the waits short:
forms of at most 64 kB, a 4-second worker timeout, 10 log-ins per address.
"""

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.deploy.rawhttp import wait_until_up
from tests.live_servers import FANSHELF, ROOT, SETTINGS_MODULE, free_port

WORKER_TIMEOUT = 4
MAX_FORM_BYTES = 64 * 1024
LOGIN_ADDRESS_LIMIT = 10
REQUEST_LINE_LIMIT = 4094


def server_environment(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("FANSHELF_")}
    env.update(
        {
            "FANSHELF_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "PYTHONPATH": str(ROOT),
            "FANSHELF_MAX_FORM_BYTES": str(MAX_FORM_BYTES),
            "FANSHELF_RATE_LIMIT_LOGIN_ADDRESS": f"{LOGIN_ADDRESS_LIMIT}/900",
            "FANSHELF_REQUEST_LOG_LEVEL": "WARNING",
        }
    )
    return env


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The port of a running `fanshelf serve --workers 2`; stopped after the session."""
    data_dir = tmp_path_factory.mktemp("deploy-server")
    env = server_environment(data_dir)
    subprocess.run(
        [str(FANSHELF), "migrate", "-v0"], env=env, cwd=data_dir, check=True, timeout=300
    )
    port = free_port()
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [
            str(FANSHELF),
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            # Sync workers: the limits tested here are the ones a slow client meets
            # there (gthread's threads are not cut by --timeout).
            "--threads",
            "1",
            "--timeout",
            str(WORKER_TIMEOUT),
            "--graceful-timeout",
            "2",
            "--limit-request-line",
            str(REQUEST_LINE_LIMIT),
            "--no-collectstatic",
        ],
        env=env,
        cwd=data_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_up(port, process=process)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
