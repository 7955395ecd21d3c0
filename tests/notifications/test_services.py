"""Subscribing and the inbox's write paths: who may follow what, and bad input."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fanshelf.accounts.models import User
from fanshelf.notifications import selectors, services
from fanshelf.notifications.models import Notification, Subscription
from fanshelf.works.models import Series, Work
from fanshelf.works.services import publish_work


def test_reader_subscribes_to_a_work_once(reader, work):
    subscription, created = services.subscribe(user=reader, work=work)
    again, created_again = services.subscribe(user=reader, work=work.pk)
    assert created and not created_again
    assert again == subscription
    assert subscription.target == work and subscription.target_type == "work"
    assert Subscription.objects.filter(user=reader).count() == 1


def test_reader_subscribes_to_a_user_by_name_and_to_a_series(reader, author, make_work):
    in_series = make_work(title="Part one", series="Kylux Verse")
    by_name, _ = services.subscribe(user=reader, creator="SMOLHUX")
    to_series, _ = services.subscribe(user=reader, series=in_series.series)
    assert by_name.creator == author and by_name.target_type == "user"
    assert to_series.series == in_series.series and to_series.target_type == "series"


def test_guest_cannot_subscribe(work):
    with pytest.raises(PermissionDenied, match="log in"):
        services.subscribe(user=AnonymousUser(), work=work)


def test_author_cannot_subscribe_to_own_work_series_or_self(author, make_work):
    work = make_work(series="Mine")
    with pytest.raises(ValidationError) as own_work:
        services.subscribe(user=author, work=work)
    assert own_work.value.message_dict == {"work": ["You cannot subscribe to your own work."]}
    with pytest.raises(ValidationError, match="your own series"):
        services.subscribe(user=author, series=work.series)
    with pytest.raises(ValidationError, match="to yourself"):
        services.subscribe(user=author, creator=author)
    assert not Subscription.objects.exists()


def test_nobody_else_can_subscribe_to_a_draft(reader, make_work):
    draft = make_work(state=Work.State.DRAFT, series="Drafty")
    with pytest.raises(Work.DoesNotExist, match="cannot see it"):
        services.subscribe(user=reader, work=draft)
    # A series whose only work is a draft is not there for other readers either.
    with pytest.raises(Series.DoesNotExist, match="cannot see it"):
        services.subscribe(user=reader, series=draft.series)


def test_missing_targets_and_bad_ids_are_reported(reader):
    with pytest.raises(Work.DoesNotExist):
        services.subscribe(user=reader, work=999_999)
    with pytest.raises(Work.DoesNotExist):
        services.subscribe(user=reader, work="not a number")
    with pytest.raises(User.DoesNotExist, match="no user called “nobody”"):
        services.subscribe(user=reader, creator="nobody")


def test_inactive_users_cannot_be_followed(reader, make_user):
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(User.DoesNotExist):
        services.subscribe(user=reader, creator="gone")


@pytest.mark.parametrize(
    "targets", [{}, {"work": 1, "creator": "smolhux"}, {"work": "", "series": None}]
)
def test_exactly_one_target_is_needed(reader, work, targets):
    with pytest.raises(ValidationError, match="exactly one"):
        services.subscribe(user=reader, **targets)


def test_subscribing_is_rate_limited(settings, reader, make_user):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "subscription": "2/3600"}
    first, second, third = (make_user() for _ in range(3))
    services.subscribe(user=reader, creator=first)
    services.subscribe(user=reader, creator=second)
    with pytest.raises(ValidationError) as error:
        services.subscribe(user=reader, creator=third)
    assert services.is_rate_limited(error.value)
    assert "too fast" in error.value.messages[0]
    assert reader.subscriptions.count() == 2


def test_rate_limits_can_be_turned_off(settings, reader, make_user):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "subscription": "1/3600"}
    settings.RATE_LIMITS_ENABLED = False
    for _ in range(3):
        services.subscribe(user=reader, creator=make_user())
    assert reader.subscriptions.count() == 3


def test_the_database_refuses_a_subscription_without_exactly_one_target(reader, work, author):
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, work=work, creator=author)
    Subscription.objects.create(user=reader, work=work)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, work=work)


def test_unsubscribe_only_ones_own(reader, make_user, work):
    subscription, _ = services.subscribe(user=reader, work=work)
    with pytest.raises(PermissionDenied):
        services.unsubscribe(user=make_user(), subscription=subscription)
    services.unsubscribe(user=reader, subscription=subscription)
    assert not Subscription.objects.exists()


def test_unsubscribe_from_a_target(reader, author, work):
    services.subscribe(user=reader, creator=author)
    assert services.unsubscribe_from(user=reader, creator="smolhux") is True
    assert services.unsubscribe_from(user=reader, creator="smolhux") is False
    assert services.unsubscribe_from(user=reader, work=work) is False
    with pytest.raises(ValidationError):
        services.unsubscribe_from(user=reader)


def _notification(user, text="Something happened", **fields):
    return Notification.objects.create(
        recipient=user, kind="new_work", text=text, url="/", **fields
    )


def test_mark_read_unread_all_and_delete(reader, make_user):
    first, second = _notification(reader), _notification(reader)
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        services.mark_read(user=stranger, notification=first)
    with pytest.raises(PermissionDenied):
        services.delete_notification(user=stranger, notification=first)
    services.mark_read(user=reader, notification=first)
    assert selectors.unread_count(user=reader) == 1
    services.mark_unread(user=reader, notification=first)
    assert services.mark_all_read(user=reader) == 2
    assert selectors.unread_count(user=reader) == 0
    services.delete_notification(user=reader, notification=second)
    assert list(Notification.objects.filter(recipient=reader)) == [first]


def test_inbox_puts_unread_first_or_newest_first(reader):
    old = _notification(reader, "old")
    read = _notification(reader, "read")
    new = _notification(reader, "new")
    services.mark_read(user=reader, notification=read)
    assert list(selectors.inbox(user=reader)) == [new, old, read]
    assert list(selectors.inbox(user=reader, order="newest")) == [new, read, old]
    assert list(selectors.inbox(user=reader, unread_only=True, order="newest")) == [new, old]


def test_email_preference(reader):
    assert selectors.wants_email(reader)
    services.set_email_enabled(user=reader, enabled=False)
    assert not selectors.wants_email(reader)
    services.set_email_enabled(user=reader, enabled=True)
    assert selectors.wants_email(reader)
    reader.email = ""
    assert not selectors.wants_email(reader)


def test_publishing_a_draft_is_what_a_follower_hears_of(reader, author, make_work):
    services.subscribe(user=reader, creator=author)
    draft = make_work(title="Later", state=Work.State.DRAFT)
    assert not Notification.objects.exists()
    publish_work(user=author, work=draft)
    assert Notification.objects.get(recipient=reader).work == draft
