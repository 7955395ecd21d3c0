"""Broken backends for the health and check tests: real classes, really failing."""

import warnings

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper


class UnreachableCache(LocMemCache):
    """A real cache backend whose server has gone away: every write fails."""

    def set(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis://:hunter2@10.0.0.9:6379. Refused.")


@pytest.fixture
def broken_database(db, settings, tmp_path):
    """A second alias, an SQLite file in a directory that does not exist.

    The connection is set in ``connections`` by hand, not through its settings:
    pytest-django forbids queries to every configured alias besides "default".
    """
    config = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "missing" / "fanshelf.sqlite3"),
    }
    # configure_settings fills in Django's defaults; it insists on a "default" key.
    config = connections.configure_settings({"default": config})["default"]
    connections["broken"] = SQLiteDatabaseWrapper(config, "broken")
    warnings.filterwarnings("ignore", "Overriding setting DATABASES", UserWarning)
    settings.DATABASES = {**settings.DATABASES, "broken": config}
    yield "broken"
    connections["broken"].close()
    del connections["broken"]


@pytest.fixture
def unreachable_cache():
    """The dotted path of UnreachableCache, for a CACHES entry."""
    return f"{UnreachableCache.__module__}.UnreachableCache"
