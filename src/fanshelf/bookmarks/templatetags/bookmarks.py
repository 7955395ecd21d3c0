"""``{% work_bookmark work %}`` and ``{% series_bookmark series %}``: the bookmark box.

The work and series pages load this tag at their marked comment; it finds the
viewer's bookmark itself, so those pages' views know nothing about bookmarks.
"""

from django import template
from django.urls import reverse

from fanshelf.bookmarks.forms import BookmarkForm, initial_for_bookmark
from fanshelf.bookmarks.selectors import bookmark_of

register = template.Library()


def _box(context, *, work=None, series=None) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    signed_in = getattr(user, "is_authenticated", False)
    existing = bookmark_of(user=user, work=work, series=series) if signed_in else None
    if work is not None:
        action = reverse("bookmarks:bookmark_work", args=[work.pk])
        # Drafts cannot be bookmarked; only their creators see them anyway.
        can_bookmark = signed_in and work.is_posted
    else:
        action = reverse("bookmarks:bookmark_series", args=[series.pk])
        can_bookmark = signed_in
    form = None
    if can_bookmark:
        initial = initial_for_bookmark(existing) if existing else None
        form = BookmarkForm(user=user, initial=initial, auto_id="id_bookmark_%s")
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "work": work,
        "series": series,
        "bookmark": existing,
        "form": form,
        "action": action,
        "can_bookmark": can_bookmark,
    }


@register.inclusion_tag("bookmarks/_bookmark_box.html", takes_context=True)
def work_bookmark(context, work):
    """The work's bookmark count and the viewer's bookmark form (new or edit)."""
    return _box(context, work=work)


@register.inclusion_tag("bookmarks/_bookmark_box.html", takes_context=True)
def series_bookmark(context, series):
    """The viewer's bookmark form for a series (new or edit)."""
    return _box(context, series=series)
