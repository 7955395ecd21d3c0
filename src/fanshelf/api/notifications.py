"""The subscriptions and notifications endpoints: follow works, series and users; read the inbox.

Everything here needs a token and is about the token's user. A work, series or user
the caller may not see answers 404 like one that does not exist; subscribing to
one's own work, series or self is a 400; too many subscriptions in a short time 429.
"""

import datetime
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field

from fanshelf.api import errors
from fanshelf.api.auth import WRITE
from fanshelf.api.schemas import LIMITED_WRITE_ERRORS, READ_ERRORS
from fanshelf.notifications import selectors, services
from fanshelf.notifications.models import Notification, Subscription

PAGE_SIZE = 20

router = Router(tags=["subscriptions and notifications"])


class TargetIn(BaseModel):
    """Exactly one of: a work id, a series id, a username."""

    model_config = ConfigDict(extra="forbid")

    work: int | None = Field(None, description="The id of a work: hear of its new chapters.")
    series: int | None = Field(None, description="The id of a series: hear of new works in it.")
    user: str | None = Field(None, description="A username: hear of their new works.")


class TargetOut(Schema):
    id: int
    name: str = Field(description="The work's or series' title, or the username.")
    url: str


class SubscriptionOut(Schema):
    id: int
    type: Literal["work", "series", "user"]
    target: TargetOut
    created_at: datetime.datetime


class SubscriptionPageOut(Schema):
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[SubscriptionOut]


class NotificationOut(Schema):
    id: int
    kind: Literal["new_chapter", "new_work", "comment", "reply", "kudos"]
    text: str
    url: str
    work: int | None
    chapter: int | None
    comment: int | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationPageOut(Schema):
    count: int
    unread: int = Field(description="How many of all your notifications are unread.")
    page: int
    next: str | None
    previous: str | None
    results: list[NotificationOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1)


class NotificationQuery(PageQuery):
    unread: bool = Field(False, description="Only the unread ones.")


class MarkedOut(Schema):
    marked: int


def subscription_to_dict(request, subscription: Subscription) -> dict:
    target = subscription.target
    if subscription.target_type == "user":
        name, url = target.username, reverse("users:works", args=[target.username])
    else:
        name, url = target.title, target.get_absolute_url()
    return {
        "id": subscription.pk,
        "type": subscription.target_type,
        "target": {"id": target.pk, "name": name, "url": request.build_absolute_uri(url)},
        "created_at": subscription.created_at,
    }


def notification_to_dict(request, notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": notification.text,
        "url": request.build_absolute_uri(notification.url),
        "work": notification.work_id,
        "chapter": notification.chapter_id,
        "comment": notification.comment_id,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


def _page(request, items, number: int, what: str):
    try:
        page = Paginator(items, PAGE_SIZE).page(number)
    except EmptyPage:
        raise Http404(_("There is no page %(page)d of your %(what)s.")
                      % {"page": number, "what": what}) from None  # fmt: skip

    def page_url(n: int) -> str:
        params = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]
        return request.build_absolute_uri(f"{request.path}?{urlencode(params + [('page', n)])}")

    links = {
        "page": page.number,
        "next": page_url(page.next_page_number()) if page.has_next() else None,
        "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
    }
    return page, links


@router.post(
    "/subscriptions",
    auth=WRITE,
    response={200: SubscriptionOut, 201: SubscriptionOut, **LIMITED_WRITE_ERRORS},
    url_name="subscriptions",
    summary="Subscribe to a work, a series or a user",
    operation_id="subscribe",
)
def subscribe(request, payload: TargetIn):
    """Follow one work (new chapters), series (new works) or user (their new works):
    201 with the new subscription, or 200 with the one you already had.
    """
    try:
        subscription, created = services.subscribe(
            user=request.auth, work=payload.work, series=payload.series, creator=payload.user
        )
    except ObjectDoesNotExist as error:
        raise Http404(str(error)) from None
    except ValidationError as error:
        if services.is_rate_limited(error):
            return errors.error_response(" ".join(error.messages), 429)
        raise
    response = JsonResponse(
        subscription_to_dict(request, subscription), status=201 if created else 200
    )
    if created:
        response["Location"] = reverse(
            "api:v1:subscription", kwargs={"subscription_id": subscription.pk}
        )
    return response


@router.get(
    "/subscriptions",
    auth=WRITE,
    response={200: SubscriptionPageOut, **READ_ERRORS},
    summary="List your subscriptions",
    operation_id="listSubscriptions",
)
def list_subscriptions(request, query: Query[PageQuery]):
    """What you follow, newest first, 20 a page."""
    subscriptions = selectors.subscriptions_of(user=request.auth)
    page, links = _page(request, subscriptions, query.page, _("subscriptions"))
    results = [subscription_to_dict(request, s) for s in page.object_list]
    return JsonResponse({"count": page.paginator.count, **links, "results": results})


@router.get(
    "/subscriptions/{subscription_id}",
    auth=WRITE,
    response={200: SubscriptionOut, **READ_ERRORS},
    url_name="subscription",
    summary="Read one of your subscriptions",
    operation_id="readSubscription",
)
def read_subscription(request, subscription_id: int):
    subscription = _own_subscription(request, subscription_id)
    return JsonResponse(subscription_to_dict(request, subscription))


def _own_subscription(request, subscription_id: int) -> Subscription:
    try:
        return selectors.subscriptions_of(user=request.auth).get(pk=subscription_id)
    except Subscription.DoesNotExist:
        raise Http404(_("You have no subscription %(id)d.") % {"id": subscription_id}) from None


@router.delete(
    "/subscriptions/{subscription_id}",
    auth=WRITE,
    response={204: None, **READ_ERRORS},
    summary="Unsubscribe",
    operation_id="unsubscribe",
)
def unsubscribe(request, subscription_id: int):
    """Delete one of your subscriptions by its id: 204."""
    subscription = _own_subscription(request, subscription_id)
    services.unsubscribe(user=request.auth, subscription=subscription)
    return HttpResponse(status=204)


@router.delete(
    "/subscriptions",
    auth=WRITE,
    response={204: None, **READ_ERRORS},
    summary="Unsubscribe from a work, a series or a user",
    operation_id="unsubscribeFrom",
)
def unsubscribe_from(request, target: Query[TargetIn]):
    """``?work=7``, ``?series=3`` or ``?user=smolhux``: 204, or 404 if you did not follow it."""
    removed = services.unsubscribe_from(
        user=request.auth, work=target.work, series=target.series, creator=target.user
    )
    if not removed:
        raise Http404(_("You were not subscribed to that."))
    return HttpResponse(status=204)


@router.get(
    "/notifications",
    auth=WRITE,
    response={200: NotificationPageOut, **READ_ERRORS},
    url_name="notifications",
    summary="Read your notifications",
    operation_id="listNotifications",
)
def list_notifications(request, query: Query[NotificationQuery]):
    """Your notifications, newest first, 20 a page; ``unread=true`` for the unread ones."""
    notifications = selectors.inbox(user=request.auth, order="newest", unread_only=query.unread)
    page, links = _page(request, notifications, query.page, _("notifications"))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "unread": selectors.unread_count(user=request.auth),
            **links,
            "results": [notification_to_dict(request, n) for n in page.object_list],
        }
    )


@router.post(
    "/notifications/{notification_id}/read",
    auth=WRITE,
    response={200: NotificationOut, **READ_ERRORS},
    summary="Mark a notification read",
    operation_id="markNotificationRead",
)
def mark_read(request, notification_id: int):
    try:
        notification = selectors.notification_of(user=request.auth, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404(_("You have no notification %(id)d.") % {"id": notification_id}) from None
    services.mark_read(user=request.auth, notification=notification)
    return JsonResponse(notification_to_dict(request, notification))


@router.post(
    "/notifications/read",
    auth=WRITE,
    response={200: MarkedOut, **READ_ERRORS},
    summary="Mark all your notifications read",
    operation_id="markAllNotificationsRead",
)
def mark_all_read(request):
    return JsonResponse({"marked": services.mark_all_read(user=request.auth)})
