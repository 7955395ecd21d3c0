"""The inbox, the subscriptions page and the buttons that change them.

Every change is a POST with Django's CSRF check that goes back to the page it came
from (``next``, when it is on this site) with a message saying what happened.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanshelf.notifications import selectors, services
from fanshelf.notifications.forms import SubscribeForm
from fanshelf.notifications.models import Notification, Subscription

PAGE_SIZE = 20


def _back(request, default: str):
    """Where a form sends the reader back to: its ``next`` if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _page(request, items):
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    # Numbered links for tags/_pagination.html ("1 2 … 7 8 9 … 20").
    page.page_links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2))
    return page


def _own_notification(request, notification_id: int) -> Notification:
    try:
        return selectors.notification_of(user=request.user, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404(_("This notification does not exist, or it is not yours.")) from None


@login_required
def inbox(request):
    """The reader's notifications, unread first (or newest first), 20 a page."""
    order = request.GET.get("order")
    order = order if order in selectors.INBOX_ORDERS else selectors.INBOX_ORDERS[0]
    context = {
        "page": _page(request, selectors.inbox(user=request.user, order=order)),
        "order": order,
        "preference": selectors.preference_of(user=request.user),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request, notification_id: int):
    notification = _own_notification(request, notification_id)
    services.mark_read(user=request.user, notification=notification)
    return _back(request, "notifications:inbox")


@login_required
@require_POST
def mark_unread(request, notification_id: int):
    notification = _own_notification(request, notification_id)
    services.mark_unread(user=request.user, notification=notification)
    return _back(request, "notifications:inbox")


@login_required
@require_POST
def delete(request, notification_id: int):
    notification = _own_notification(request, notification_id)
    services.delete_notification(user=request.user, notification=notification)
    messages.success(request, _("The notification was deleted."))
    return _back(request, "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    changed = services.mark_all_read(user=request.user)
    if changed:
        messages.success(request, _("All your notifications are marked read."))
    return _back(request, "notifications:inbox")


@login_required
@require_POST
def email_preference(request):
    enabled = request.POST.get("email_enabled") in {"1", "on", "true"}
    services.set_email_enabled(user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("Your notifications will be emailed to you."))
    else:
        messages.success(request, _("Your notifications will no longer be emailed to you."))
    return _back(request, "notifications:inbox")


@login_required
def subscriptions(request):
    """What the reader follows, newest first, each with an Unsubscribe button."""
    page = _page(request, selectors.subscriptions_of(user=request.user))
    return render(request, "notifications/subscriptions.html", {"page": page})


def _target_name(subscription: Subscription) -> str:
    target = subscription.target
    return target.username if subscription.target_type == "user" else target.title


@require_POST
def subscribe(request):
    """Follow the work, series or user the button names."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.POST.get("next") or reverse("home"))
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That is not something you can subscribe to."))
        return _back(request, "notifications:subscriptions")
    try:
        subscription, created = services.subscribe(
            user=request.user,
            work=form.cleaned_data["work"],
            series=form.cleaned_data["series"],
            creator=form.cleaned_data["user"],
        )
    except ObjectDoesNotExist as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        name = _target_name(subscription)
        if created:
            messages.success(request, _("You are now subscribed to %(name)s.") % {"name": name})
        else:
            messages.info(request, _("You were already subscribed to %(name)s.") % {"name": name})
    return _back(request, "notifications:subscriptions")


@login_required
@require_POST
def unsubscribe(request, subscription_id: int):
    try:
        subscription = selectors.subscription_of(user=request.user, subscription_id=subscription_id)
    except Subscription.DoesNotExist:
        messages.info(request, _("You were not subscribed to that."))
        return _back(request, "notifications:subscriptions")
    name = _target_name(subscription)
    services.unsubscribe(user=request.user, subscription=subscription)
    messages.success(request, _("You unsubscribed from %(name)s.") % {"name": name})
    return _back(request, "notifications:subscriptions")
