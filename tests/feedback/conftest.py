"""Fixtures for the feedback tests: a posted work and ways to comment on it."""

import pytest

from fanshelf.accounts.models import Pseud


@pytest.fixture
def work(make_work):
    return make_work()


@pytest.fixture
def guest():
    """What a guest gives when commenting."""
    return {"guest_name": "Anon Fan", "guest_email": "anon@example.org"}


@pytest.fixture
def second_pseud(reader):
    return Pseud.objects.create(user=reader, name="hux-stan")


@pytest.fixture
def no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Accounts here only need to exist; argon2 would make each one cost a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
