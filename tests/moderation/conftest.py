"""Fixtures for the moderation tests: a moderator, a posted work, a comment, a bookmark."""

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def moderator(make_user):
    return make_user("mod", role="moderator")


@pytest.fixture
def work(make_work):
    return make_work()


@pytest.fixture
def comment(work, reader):
    from fanshelf.feedback.services import post_comment

    return post_comment(work=work, user=reader, body="Loved the balcony scene!")


@pytest.fixture
def bookmark(work, reader):
    from fanshelf.bookmarks.services import bookmark

    return bookmark(user=reader, work=work, notes="So good")[0]
