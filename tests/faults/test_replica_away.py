"""A read replica that is away: one 503, then reads go to the primary, then it is tried again.

The server's only replica points at a PostgreSQL socket where no server listens (as
when a replica's machine is gone). The primary is the run's own database.
"""

import time

import pytest

from tests.faults.servers import LiveServer, setup_archive

# Long enough for the four requests in between on a busy CI machine.
AWAY_SECONDS = 8


@pytest.fixture
def server_with_a_missing_replica(archive_env, tmp_path):
    archive = setup_archive(archive_env, works=1)
    nowhere = tmp_path / "no-replica-here"
    nowhere.mkdir()
    env = {
        **archive_env,
        "FANSHELF_DATABASE_REPLICA_URLS": f"postgres://postgres@/fanshelf?host={nowhere}",
        "FANSHELF_REPLICA_AWAY_SECONDS": str(AWAY_SECONDS),
    }
    # One process: what it learns about the replica is its own.
    server = LiveServer(env, workers=1)
    server.start()
    yield server, archive["works"][0]
    server.stop()


def test_a_failed_replica_is_left_out_for_a_while_then_tried_again(server_with_a_missing_replica):
    server, work_id = server_with_a_missing_replica
    page = f"/works/{work_id}/"

    first = server.request("GET", page)
    assert first.status == 503, first.text[:2000]
    assert "Back in a moment" in first.text
    left_out = time.monotonic()
    assert f"Database replica1 failed; its reads go elsewhere for {AWAY_SECONDS} s" in (
        server.log_text()
    )

    # Left out: the primary answers pages, listings and the API.
    for path in (page, "/works/?sort=title", f"/api/v1/works/{work_id}", page):
        assert server.request("GET", path).status == 200, path
    assert time.monotonic() - left_out < AWAY_SECONDS, "too slow to tell: raise AWAY_SECONDS"

    time.sleep(max(0.0, left_out + AWAY_SECONDS + 0.5 - time.monotonic()))
    assert server.request("GET", page).status == 503  # tried again, still away
    assert server.request("GET", page).status == 200
    assert server.log_text().count("Database replica1 failed") == 2
