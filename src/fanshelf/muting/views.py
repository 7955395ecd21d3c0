"""The muting page and the mute/block buttons (POST only, with Django's CSRF check)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fanshelf.accounts.models import User
from fanshelf.muting import selectors, services

# Each action: its service, what to say when it changed something, and when not.
ACTIONS = {
    "mute": (
        services.mute,
        gettext_lazy(
            "You muted %(name)s. Their works, comments and bookmarks are hidden from you."
        ),
        gettext_lazy("You already mute %(name)s."),
    ),
    "unmute": (
        services.unmute,
        gettext_lazy("You unmuted %(name)s."),
        gettext_lazy("You did not mute %(name)s."),
    ),
    "block": (
        services.block,
        gettext_lazy(
            "You blocked %(name)s. They can no longer comment on or leave kudos on your works."
        ),
        gettext_lazy("You already block %(name)s."),
    ),
    "unblock": (
        services.unblock,
        gettext_lazy("You unblocked %(name)s."),
        gettext_lazy("You did not block %(name)s."),
    ),
}


def _back_to(request, fallback: str) -> str:
    """The page the button was on (its ``next`` field) when it is on this site."""
    target = request.POST.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback


@login_required
def muting_page(request):
    """Whom the signed-in user mutes and blocks, each with a button to undo it."""
    context = {
        "mutes": selectors.mutes_of(request.user),
        "blocks": selectors.blocks_of(request.user),
    }
    return render(request, "muting/page.html", context)


@login_required
@require_POST
def change(request, action: str, username: str):
    """Mute, unmute, block or unblock ``username``, then go back where the button was."""
    target = get_object_or_404(User, username__iexact=username)
    service, done, unchanged = ACTIONS[action]
    try:
        changed = service(user=request.user, target=target)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        message = done if changed else unchanged
        messages.success(request, message % {"name": target.username})
    return redirect(_back_to(request, reverse("muting:page")))
