"""``{% reading_actions work %}``: the "Mark for later" button on a work's page."""

from django import template

from fanshelf.reading import selectors

register = template.Library()


@register.inclusion_tag("reading/_actions.html", takes_context=True)
def reading_actions(context, work):
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = user is not None and user.is_authenticated and work.is_posted
    return {
        "work": work,
        "shown": shown,
        "later": shown and selectors.is_marked_for_later(user=user, work=work, request=request),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
