"""Fixtures for the muting tests: a writer, a troll, and a reader who mutes or blocks."""

import pytest


@pytest.fixture(autouse=True)
def _fast_and_unlimited(settings):
    # Accounts here only need to exist; argon2 would make each one cost a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATE_LIMITS_ENABLED = False


@pytest.fixture
def troll(make_user):
    return make_user("troll")
