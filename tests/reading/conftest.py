"""Fixtures for the reading tests: an empty hit buffer and a guest's request."""

import pytest

from fanshelf.reading import hits


@pytest.fixture(autouse=True)
def _empty_hit_buffer(db):
    # The cache is cleared before each test (tests/conftest.py); forget what this
    # process remembers of the buffer that went with it.
    hits.buffer.take()
    yield
    hits.buffer.take()


@pytest.fixture
def no_flush(settings):
    """Buffer every hit: nothing is handed over during the test."""
    settings.HITS_FLUSH_SECONDS = 3600
    settings.HITS_FLUSH_ENTRIES = 10_000
