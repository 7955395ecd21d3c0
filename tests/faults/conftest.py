"""A database of its own for each live server: an SQLite file, or a fresh PostgreSQL one."""

import os

import pytest

from tests.faults.servers import FreshDatabase, server_env


@pytest.fixture
def archive_env(tmp_path):
    """The environment for a server with an empty database (migrated by setup_archive).

    On the PostgreSQL run (FANSHELF_DATABASE_URL set) a new database on that server,
    dropped afterwards; otherwise an SQLite file in the server's data folder.
    """
    data_dir = tmp_path / "archive"
    data_dir.mkdir()
    base_url = os.environ.get("FANSHELF_DATABASE_URL")
    if not base_url:
        yield server_env(data_dir, None)
        return
    database = FreshDatabase(base_url)
    database.create()
    try:
        yield server_env(data_dir, database.url)
    finally:
        database.drop()
