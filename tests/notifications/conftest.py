"""Fixtures for subscriptions and notifications: a posted work, a follower, a second chapter."""

import pytest

from fanshelf.notifications.services import subscribe
from fanshelf.works.services import ChapterText, add_chapter


@pytest.fixture
def work(make_work):
    """The seed's one-shot, posted by smolhux, that may gain a chapter 2."""
    return make_work(title="Perfect", expected_chapters=None)


@pytest.fixture
def follower(reader, work):
    """A reader subscribed to the work."""
    subscribe(user=reader, work=work)
    return reader


@pytest.fixture
def post_chapter(author):
    """Post one more chapter of a work as its author."""

    def post(work, body="<p>Hux looked up.</p>", **kwargs):
        return add_chapter(user=author, work=work, chapter=ChapterText(body=body), **kwargs)

    return post
