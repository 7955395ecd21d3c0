"""``{% work_subscription work %}``, ``{% series_subscription series %}`` and
``{% user_subscription owner %}``: the Subscribe / Unsubscribe button.

The work, series and user works pages load these at their marked places; the tag
finds the viewer's subscription itself (one query), so those views know nothing
about subscriptions. Guests and the work's own creators see no button.
"""

from django import template

from fanshelf.notifications.selectors import subscription_to
from fanshelf.works.selectors import is_creator_cached

register = template.Library()


def _button(context, *, target, field: str, value, own: bool) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    show = getattr(user, "is_authenticated", False) and not own
    return {
        "show": show,
        "subscription": subscription_to(user=user, target=target) if show else None,
        "field": field,
        "value": value,
        "target": target,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("notifications/_subscribe.html", takes_context=True)
def work_subscription(context, work):
    """Subscribe to a work: hear of its new chapters."""
    request = context.get("request")
    user = getattr(request, "user", None)
    own = is_creator_cached(user, work) or not work.is_posted
    return _button(context, target=work, field="work", value=work.pk, own=own)


@register.inclusion_tag("notifications/_subscribe.html", takes_context=True)
def series_subscription(context, series):
    """Subscribe to a series: hear of new works in it."""
    request = context.get("request")
    own = getattr(getattr(request, "user", None), "pk", None) == series.owner_id
    return _button(context, target=series, field="series", value=series.pk, own=own)


@register.inclusion_tag("notifications/_subscribe.html", takes_context=True)
def user_subscription(context, owner):
    """Subscribe to a user: hear of their new works (never of anonymous ones)."""
    request = context.get("request")
    own = getattr(getattr(request, "user", None), "pk", None) == owner.pk
    return _button(context, target=owner, field="user", value=owner.username, own=own)
