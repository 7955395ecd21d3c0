"""The authorization matrix over the whole site: see tests/privacy/matrix.py."""

import time

import pytest

from tests.privacy import matrix
from tests.privacy.world import ROLES, STATES, build_world


@pytest.fixture
def world(db, settings):
    settings.RATE_LIMITS_ENABLED = False
    return build_world()


def test_every_url_pattern_is_classified():
    missing = matrix.unclassified()
    assert not missing, "\n".join(f"classify this URL: {line}" for line in missing)


def _run(check, world):
    request = matrix.Requester(world)
    started = time.monotonic()
    failures = check(world, request)
    print(
        f"{check.__name__}: {len(ROLES)} roles x {len(STATES)} states, "
        f"{request.count} requests, {time.monotonic() - started:.1f} s"
    )
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_work_pages_answer_only_those_who_may_read_the_work(world):
    _run(matrix.check_work_pages, world)


def test_listings_feeds_search_and_api_lists_show_only_readable_works(world):
    _run(matrix.check_listings, world)


def test_pages_without_a_work_answer_each_role_as_expected(world):
    _run(matrix.check_pages, world)


def test_writes_about_an_unreadable_work_are_404s_that_write_nothing(world):
    _run(matrix.check_posts, world)
