"""Rate limits: at most N actions per window, per key, counted in Django's cache.

Every limit is a setting (``FANSHELF_RATE_LIMITS_<NAME>`` in the environment, e.g.
``FANSHELF_RATE_LIMIT_COMMENT=3/900`` for AO3's three comments per 15 minutes),
and ``FANSHELF_RATE_LIMITS=0`` turns them all off for load tests and benchmarks.
Counts live in the default cache: per process with the local-memory cache, shared
by every process once the cache is Redis (the scale-out profile).

A fixed window per key: the first action starts a window of ``seconds``; the
``limit``-th action inside it is the last allowed. Cheap (one ``add`` and one
``incr``) and good enough to stop flooding; not a precise sliding window.
"""

import functools
import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, value: str) -> "Limit":
        """``"3/900"``: three actions per 900 seconds."""
        count, _, seconds = value.partition("/")
        return cls(int(count), int(seconds))


def limit_for(name: str) -> Limit | None:
    """The limit called ``name`` (settings.RATE_LIMITS), or None when limits are off."""
    if not settings.RATE_LIMITS_ENABLED:
        return None
    value = settings.RATE_LIMITS.get(name)
    return Limit.parse(value) if value else None


def _cache_key(name: str, key: str) -> str:
    # Keys may hold IP addresses or emails: hash them, so the cache never stores
    # them and any text is a valid cache key.
    digest = hashlib.sha256(f"{name}\0{key}".encode()).hexdigest()[:32]
    return f"ratelimit:{name}:{digest}"


def allow(name: str, *keys: str) -> bool:
    """Count one action under limit ``name`` for each key; False when any is over.

    Call it with every identity that should be limited (a user id and an IP address,
    say): the action is refused when any of them has used up its allowance.
    """
    limit = limit_for(name)
    if limit is None:
        return True
    allowed = True
    for key in keys:
        if not key:
            continue
        cache_key = _cache_key(name, key)
        cache.add(cache_key, 0, timeout=limit.seconds)
        try:
            used = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=limit.seconds)
            used = 1
        if used > limit.count:
            allowed = False
    return allowed


def client_ip(request) -> str:
    """The reader's address: the connection's, or behind trusted proxies the forwarded one.

    When the connection comes from one of ``settings.TRUSTED_PROXIES`` (addresses or
    networks, ``FANSHELF_TRUSTED_PROXIES``), ``X-Forwarded-For`` is read from the
    right: each proxy appends the address it saw, so the first one that is not a
    trusted proxy is the reader. Anything a reader wrote further left is never
    believed, and a malformed entry counts as the proxy's own address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _address(hop):
            return remote
        if not _trusted(hop):
            return hop
    return remote


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@functools.cache
def _proxy_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(text: str) -> bool:
    proxies = tuple(getattr(settings, "TRUSTED_PROXIES", ()))
    address = _address(text) if proxies else None
    return address is not None and any(address in net for net in _proxy_networks(proxies))
