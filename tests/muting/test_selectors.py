"""Who mutes and blocks whom, as the other apps ask it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from fanshelf.muting import selectors, services
from fanshelf.works.models import Creatorship

pytestmark = pytest.mark.django_db


def test_muted_ids_follow_mutes_and_unmutes_on_the_same_user_object(reader, troll, make_user):
    other = make_user()
    assert selectors.muted_ids(reader) == frozenset()

    services.mute(user=reader, target=troll)
    services.mute(user=reader, target=other)
    assert selectors.muted_ids(reader) == {troll.pk, other.pk}

    services.unmute(user=reader, target=other)
    assert selectors.muted_ids(reader) == {troll.pk}
    assert selectors.muted_ids(AnonymousUser()) == frozenset()


def test_muted_ids_cost_one_query_per_user_object(reader, troll, django_assert_num_queries):
    services.mute(user=reader, target=troll)
    with django_assert_num_queries(1):
        selectors.muted_ids(reader)
        selectors.muted_ids(reader)


def test_blocked_by_gathers_the_blocks_of_every_owner(author, reader, troll, make_user):
    bystander = make_user()
    services.block(user=author, target=troll)
    services.block(user=reader, target=bystander)

    assert selectors.blocked_by([author.pk]) == {troll.pk}
    assert selectors.blocked_by([author.pk, reader.pk]) == {troll.pk, bystander.pk}
    assert selectors.blocked_by([]) == set()


def test_a_block_by_any_creator_counts_but_never_against_a_co_creator(
    make_work, author, reader, troll
):
    work = make_work()
    Creatorship.objects.create(work=work, pseud=reader.default_pseud, position=1)
    services.block(user=reader, target=troll)
    services.block(user=reader, target=author)

    assert selectors.is_blocked_from(work=work, user=troll) is True
    # The author is blocked by their co-creator but still a creator of this work.
    assert selectors.is_blocked_from(work=work, user=author) is False
    assert selectors.is_blocked_from(work=work, user=AnonymousUser()) is False


def test_a_block_on_one_creator_does_not_reach_other_creators_works(
    make_work, make_user, author, troll
):
    services.block(user=author, target=troll)
    elsewhere = make_work(make_user("elsewhere"))

    assert selectors.is_blocked_from(work=elsewhere, user=troll) is False


def test_relation_tells_the_buttons_what_to_offer(reader, troll):
    assert selectors.relation(user=reader, target=troll) == {"muting": False, "blocking": False}
    services.mute(user=reader, target=troll)
    services.block(user=reader, target=troll)

    assert selectors.relation(user=reader, target=troll) == {"muting": True, "blocking": True}
    assert selectors.relation(user=AnonymousUser(), target=troll)["muting"] is False
