"""Reading template tags: "Mark for later", and hiding tag groups a reader chose to hide."""

from django import template
from django.utils.translation import gettext as _

from fanshelf.reading import selectors
from fanshelf.reading.preferences import hidden_tag_types

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


@register.simple_tag(takes_context=True)
def tags_hidden(context, tag_type: str) -> bool:
    """``{% tags_hidden group.type as hidden %}``: whether the reader hides this tag type.

    Reads the preferences once per request (cached on the user), so a listing of
    many blurbs costs one query at most; guests hide nothing.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return tag_type in hidden_tag_types(user)


@register.simple_tag
def show_hidden_tags(tag_type: str) -> str:
    """``{% show_hidden_tags group.type %}``: the summary of a hidden tag group.

    It names the kind of tag only ("Show warnings"), never a tag, so nothing is spoiled.
    """
    if tag_type == "warning":
        return _("Show warnings")
    return _("Show additional tags")
