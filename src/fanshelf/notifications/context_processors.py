"""The unread notification count every page shows in its header."""

from django.utils.functional import SimpleLazyObject

from fanshelf.notifications.selectors import unread_count


def inbox(request) -> dict:
    """``inbox_unread``: counted only if a template uses it, at most once per request."""
    user = getattr(request, "user", None)
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user=user))}
