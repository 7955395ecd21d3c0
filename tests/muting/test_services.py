"""Muting and blocking through the services: repeatable, never oneself, within the limits."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from fanshelf.muting import services
from fanshelf.muting.models import Block, Mute

pytestmark = pytest.mark.django_db


def test_muting_twice_keeps_one_mute_and_unmuting_twice_is_harmless(reader, troll):
    assert services.mute(user=reader, target=troll) is True
    assert services.mute(user=reader, target=troll) is False
    assert Mute.objects.filter(user=reader, muted=troll).count() == 1

    assert services.unmute(user=reader, target=troll) is True
    assert services.unmute(user=reader, target=troll) is False
    assert not Mute.objects.exists()


def test_blocking_twice_keeps_one_block_and_unblocking_twice_is_harmless(author, troll):
    assert services.block(user=author, target=troll) is True
    assert services.block(user=author, target=troll) is False
    assert Block.objects.filter(user=author, blocked=troll).count() == 1

    assert services.unblock(user=author, target=troll) is True
    assert services.unblock(user=author, target=troll) is False
    assert not Block.objects.exists()


def test_nobody_can_mute_or_block_themselves(reader):
    with pytest.raises(ValidationError, match="cannot mute yourself"):
        services.mute(user=reader, target=reader)
    with pytest.raises(ValidationError, match="cannot block yourself"):
        services.block(user=reader, target=reader)
    assert not Mute.objects.exists() and not Block.objects.exists()


def test_muting_past_the_limit_is_refused_with_the_limit_named(settings, reader, make_user):
    settings.FANSHELF_MUTE_LIMIT = 2
    first, second, third = make_user(), make_user(), make_user()
    services.mute(user=reader, target=first)
    services.mute(user=reader, target=second)

    with pytest.raises(ValidationError) as refused:
        services.mute(user=reader, target=third)

    assert "You already mute 2 users" in refused.value.messages[0]
    # Muting someone already muted is still a polite no-op at the limit.
    assert services.mute(user=reader, target=first) is False
    services.unmute(user=reader, target=first)
    assert services.mute(user=reader, target=third) is True


def test_blocking_past_the_limit_is_refused_with_the_limit_named(settings, author, make_user):
    settings.FANSHELF_BLOCK_LIMIT = 1
    services.block(user=author, target=make_user())

    with pytest.raises(ValidationError, match="You already block 1 users"):
        services.block(user=author, target=make_user())
    assert Block.objects.filter(user=author).count() == 1


def test_guests_cannot_mute_or_block(troll):
    for action in (services.mute, services.block, services.unmute, services.unblock):
        with pytest.raises(PermissionDenied, match="Log in"):
            action(user=AnonymousUser(), target=troll)


def test_a_mute_is_one_way(reader, troll):
    services.mute(user=reader, target=troll)

    assert not Mute.objects.filter(user=troll, muted=reader).exists()
    assert services.mute(user=troll, target=reader) is True
