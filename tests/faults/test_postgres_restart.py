"""PostgreSQL stopping under a running Fanshelf: clean 503 pages, then 200 once it is back.

A throwaway PostgreSQL 15 (scripts/postgres.sh, on a Unix socket in a temporary
folder) of the test's own serves Fanshelf; it is stopped with ``pg_ctl stop -m fast``
(every connection the web workers held is dropped) and started again, and the same
server process must answer again without a restart.
"""

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.faults.servers import FreshDatabase, LiveServer, server_env, setup_archive
from tests.live_servers import ROOT

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGRES_SH = ROOT / "scripts" / "postgres.sh"
CSRF = "faultsfaultsfaultsfaultsfaults12"


class Postgres:
    def __init__(self, folder: Path):
        self.folder = folder

    def _run(self, *argv) -> None:
        subprocess.run(argv, check=True, capture_output=True, timeout=90)

    def start(self) -> None:
        self._run("bash", str(POSTGRES_SH), "start", str(self.folder))

    def stop_fast(self) -> None:
        """What an operator's restart does first: connections are cut, no new ones."""
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self._run(*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"),
                  "-m", "fast", "-w", "-t", "60", "stop")  # fmt: skip

    def remove(self) -> None:
        self._run("bash", str(POSTGRES_SH), "stop", str(self.folder))

    @property
    def url(self) -> str:
        return f"postgres://postgres@/fanshelf?host={self.folder}"


@pytest.fixture
def postgres():
    if not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"{PG_BIN} is missing: install Debian's postgresql-15 to run this test")
    # Not under pytest's tmp_path: the server runs as user postgres, who must reach it.
    server = Postgres(Path(tempfile.mkdtemp(prefix="fanshelf-faults-pg-", dir="/tmp")))
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def live_on_postgres(postgres, tmp_path):
    database = FreshDatabase(postgres.url)
    database.create()
    data_dir = tmp_path / "archive"
    data_dir.mkdir()
    env = server_env(data_dir, database.url)
    archive = setup_archive(env, works=1)
    server = LiveServer(env)
    server.start()
    yield server, archive
    server.stop()


def pages(server, work_id):
    """A work page, a listing, an API read and a kudos POST, as a guest."""
    kudos = server.request("POST", f"/works/{work_id}/kudos/",
                           form={"csrfmiddlewaretoken": CSRF},
                           headers={"Cookie": f"csrftoken={CSRF}"})  # fmt: skip
    return {
        "work": server.request("GET", f"/works/{work_id}/"),
        "listing": server.request("GET", "/works/?sort=title"),
        "api": server.request("GET", f"/api/v1/works/{work_id}"),
        "kudos": kudos,
    }


def test_pages_answer_503_while_postgres_is_down_and_200_once_it_is_back(
    postgres, live_on_postgres
):
    server, archive = live_on_postgres
    work_id = archive["works"][0]
    # Each worker opens its persistent connection (CONN_MAX_AGE) before the stop.
    for _ in range(4):
        assert server.request("GET", f"/api/v1/works/{work_id}").status == 200

    postgres.stop_fast()
    down = pages(server, work_id)
    for name, answer in down.items():
        assert answer.status == 503, (name, answer.status, answer.text[:2000])
        assert answer.headers["Retry-After"].isdigit(), name
        assert "Traceback" not in answer.text, name
    assert "Back in a moment" in down["work"].text
    assert "Back in a moment" in down["listing"].text
    assert "Nothing was saved, please send it again." in down["kudos"].text
    assert "Nothing was saved" not in down["work"].text
    assert down["api"].json()["detail"]
    assert server.request("GET", "/healthz").status == 200  # the process itself is fine
    assert "database unavailable: GET /works/" in server.log_text()

    postgres.start()
    for _ in range(3):  # enough requests to reach both workers
        up = pages(server, work_id)
        assert {name: answer.status for name, answer in up.items()} == {
            "work": 200, "listing": 200, "api": 200, "kudos": 302,
        }  # fmt: skip
    # One per kudos answered 302 (each from a new guest); none from the one answered 503.
    assert server.request("GET", f"/api/v1/works/{work_id}").json()["stats"]["kudos"] == 3
