"""The matrix finds a leak when one is planted: it is not a test that cannot fail."""

import pytest

from tests.privacy import matrix
from tests.privacy.world import ANONYMOUS_PSEUD, build_world, title_of


@pytest.fixture
def world(db, settings):
    settings.RATE_LIMITS_ENABLED = False
    return build_world()


def _everything(viewer):
    from fanshelf.works.models import Work

    return Work.objects.all()


def test_the_matrix_reports_works_shown_to_whoever_asks(world, monkeypatch):
    # The plant: every selector and view that asks visible_works gets every work.
    from fanshelf.works import selectors

    monkeypatch.setattr(selectors, "visible_works", _everything)
    request = matrix.Requester(world)
    failures = matrix.check_work_pages(world, request, only={"works:detail", "api:v1:work"})
    assert any("as guest (draft): 200 for a work it may not see" in line for line in failures), (
        failures[:20]
    )
    assert any(title_of("hidden") in line and "as reader" in line for line in failures)


def test_the_matrix_reports_a_feed_that_lists_every_work_of_its_tag(world, monkeypatch):
    # The plant: the tag's Atom feed (read without a session) forgets who may see what.
    from fanshelf.tags.feeds import TagFeed
    from fanshelf.works.models import Work

    monkeypatch.setattr(TagFeed, "items", lambda self, tag: Work.objects.filter(tags=tag))
    failures = matrix.check_listings(world, matrix.Requester(world), only={"tags:feed"})
    guest_leaks = [line for line in failures if "as guest" in line]
    assert any(title_of("restricted") in line for line in guest_leaks), failures[:20]
    assert any(title_of("draft") in line for line in failures if "as reader" in line)


def test_the_matrix_reports_an_anonymous_creator_named_on_the_work(world, monkeypatch):
    # The plant: the anonymous work no longer hides its creators anywhere.
    from fanshelf.works.models import Work

    Work.objects.filter(pk=world.works["anonymous"].pk).update(anonymous=False)
    only = {"works:detail", "downloads:file", "api:v1:work"}
    failures = matrix.check_work_pages(world, matrix.Requester(world), only=only)
    leaks = [line for line in failures if f"shows {ANONYMOUS_PSEUD!r}" in line]
    assert any("as guest" in line for line in leaks), failures[:20]
    assert any("as reader" in line and "names its creator" in line for line in failures)
    assert not any("as creator" in line for line in leaks)
