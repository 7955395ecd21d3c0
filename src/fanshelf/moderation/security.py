"""Security events moderators can read: throttled log-ins and resets, pseud tampering.

An event met inside a transaction (a service refusing a pseud that is not the
user's) would vanish with that transaction's rollback, so it waits in a per-thread
list until ``SecurityEventMiddleware`` writes it once the view has returned.
Outside a transaction it is written at once. Passwords and tokens are never passed.
"""

import logging
import threading

from django.db import transaction

from fanshelf.moderation.models import SecurityEvent

security_log = logging.getLogger("fanshelf.security")
_pending = threading.local()


def _events() -> list[SecurityEvent]:
    if not hasattr(_pending, "events"):
        _pending.events = []
    return _pending.events


def record_security_event(*, kind: str, username: str = "", address: str = "", detail: str = ""):
    """Note a security event (``SecurityEvent.Kind``) for the moderators' list."""
    event = SecurityEvent(
        kind=kind,
        username=(username or "")[:150],
        address=(address or "")[:64],
        detail=(detail or "")[:500],
    )
    if transaction.get_connection().in_atomic_block:
        _events().append(event)
    else:
        event.save()
    return event


def flush_pending_events() -> int:
    """Write the events that waited for their transaction to end; returns how many."""
    events = _events()
    if not events:
        return 0
    waiting = list(events)
    events.clear()
    try:
        SecurityEvent.objects.bulk_create(waiting)
    except Exception:  # a broken database must not turn a refusal into a 500
        security_log.exception("Could not record %d security events", len(waiting))
        return 0
    return len(waiting)


def discard_pending_events() -> None:
    _events().clear()


class SecurityEventMiddleware:
    """Writes the security events a request met once its view has returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        discard_pending_events()
        try:
            return self.get_response(request)
        finally:
            flush_pending_events()
