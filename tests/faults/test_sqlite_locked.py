"""SQLite held by another writer: a write answers 503 with Retry-After, then works again.

The server runs on an SQLite file with a one-second busy timeout
(``FANSHELF_SQLITE_TIMEOUT``); the test holds the write lock itself (``BEGIN
IMMEDIATE`` on the same file) for longer than that. The engine is always SQLite here,
whatever the rest of the run uses: the lock is SQLite's.
"""

import sqlite3
import time
from pathlib import Path

import pytest

from tests.faults.servers import LiveServer, server_env, setup_archive

CSRF = "faultsfaultsfaultsfaultsfaults12"  # a cookie secret Django accepts as the token


@pytest.fixture
def locked_archive(tmp_path):
    data_dir = tmp_path / "archive"
    data_dir.mkdir()
    env = server_env(data_dir, None, FANSHELF_SQLITE_TIMEOUT="1")
    archive = setup_archive(env, works=1)
    server = LiveServer(env)
    server.start()
    yield server, archive, data_dir / "fanshelf.sqlite3"
    server.stop()


def hold_write_lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, timeout=5)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_writes_meeting_a_locked_database_answer_503_and_succeed_once_released(locked_archive):
    server, archive, database = locked_archive
    work_id = archive["works"][0]
    token = {"Authorization": f"Bearer {archive['token']}"}
    chapter = {"body_html": "<p>Written while the archive was busy.</p>"}
    kudos = {
        "path": f"/works/{work_id}/kudos/",
        "form": {"csrfmiddlewaretoken": CSRF},
        "headers": {"Cookie": f"csrftoken={CSRF}"},
    }
    # Once, so the token's "last used" write is done before the lock.
    assert server.request("GET", f"/api/v1/works/{work_id}", headers=token).status == 200

    holder = hold_write_lock(database)
    try:
        started = time.monotonic()
        api = server.request("POST", f"/api/v1/works/{work_id}/chapters",
                             json_body=chapter, headers=token)  # fmt: skip
        page = server.request("POST", **kudos)
        waited = time.monotonic() - started
        # Readers are not held up by a writer (WAL).
        reading = server.request("GET", f"/works/{work_id}/")
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert api.status == 503, api.text
    assert api.headers["Retry-After"].isdigit()
    assert "Nothing was saved" in api.json()["detail"]
    assert page.status == 503, page.text
    assert page.headers["Retry-After"].isdigit()
    assert "Nothing was saved, please send it again." in page.text
    assert "Traceback" not in page.text + api.text
    assert waited < 10  # the one-second busy timeout, twice, not Django's 20 s
    assert reading.status == 200

    again = server.request("POST", f"/api/v1/works/{work_id}/chapters",
                           json_body=chapter, headers=token)  # fmt: skip
    assert again.status == 201, again.text
    assert again.json()["chapter_count"] == 2
    assert server.request("POST", **kudos).status == 302
    assert server.request("GET", f"/api/v1/works/{work_id}").json()["stats"]["kudos"] == 1
    assert "database unavailable: POST" in server.log_text()
