"""``{% mute_buttons owner %}``: mute and block buttons on a user's works page."""

from django import template

from fanshelf.muting import selectors

register = template.Library()


@register.inclusion_tag("muting/_buttons.html", takes_context=True)
def mute_buttons(context, owner):
    """Buttons to mute/unmute and block/unblock ``owner``; nothing for guests or oneself."""
    request = context["request"]
    user = request.user
    shown = getattr(user, "is_authenticated", False) and user.pk != owner.pk
    return {
        "shown": shown,
        "owner": owner,
        "here": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        **(selectors.relation(user=user, target=owner) if shown else {}),
    }
