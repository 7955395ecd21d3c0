"""``/healthz`` and ``/readyz``: what a proxy or orchestrator asks before sending traffic.

``/healthz`` answers as long as the process runs and touches nothing else, so a slow
database never gets a live process restarted. ``/readyz`` asks every configured
database and cache for a round trip and answers 503 while one of them fails; the
reason shown is plain words only, the details go to the ``fanshelf.health`` log.
"""

import logging
import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("fanshelf.health")

# user:password@ in connection URLs, and password=… in connection strings.
_SECRETS = re.compile(r"(://[^/\s:@]*:)[^@\s]*@|(password\s*=\s*)\S+", re.IGNORECASE)


def without_secrets(text: str) -> str:
    """The text with passwords in URLs and connection strings replaced by ``***``."""
    return _SECRETS.sub(lambda m: f"{m.group(1)}***@" if m.group(1) else f"{m.group(2)}***", text)


def check_database(alias: str) -> str | None:
    """Run ``SELECT 1`` on one database alias; None when it answers, else a reason."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        logger.warning(
            "readiness: database %r failed: %s",
            alias,
            without_secrets(f"{type(exc).__name__}: {exc}"),
        )
        return f"database {alias!r} could not be reached"
    return None


def check_cache(alias: str) -> str | None:
    """Store and read back a short-lived key; None when that works, else a reason."""
    key = f"fanshelf:readyz:{uuid.uuid4().hex}"
    try:
        cache = caches[alias]
        cache.set(key, "1", timeout=10)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        logger.warning(
            "readiness: cache %r failed: %s", alias, without_secrets(f"{type(exc).__name__}: {exc}")
        )
        return f"cache {alias!r} could not be reached"
    if value != "1":
        return f"cache {alias!r} did not keep a value it was given"
    return None


def readiness() -> dict[str, str]:
    """``{"database": "ok" | reason, "cache": "ok" | reason}`` over every alias."""
    database = [check_database(alias) for alias in settings.DATABASES]
    cache = [check_cache(alias) for alias in settings.CACHES]
    return {
        "database": "; ".join(r for r in database if r) or "ok",
        "cache": "; ".join(r for r in cache if r) or "ok",
    }


@never_cache
@require_GET
def healthz(request):
    """The process is up: nothing else is touched."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """The databases and caches answer: 200, else 503 naming what failed."""
    checks = readiness()
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
