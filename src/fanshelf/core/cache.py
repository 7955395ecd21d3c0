"""Django's Redis cache, made to degrade to "no cache" while Redis is away.

With ``FANSHELF_REDIS_URL`` set, the cache (rate limits, cached pages and fragments,
download locks) lives in Redis, shared by every web process and worker. When Redis
stops answering, every cache call behaves as if the cache were empty — a read misses,
a write is dropped, a counter starts again, a lock is granted — so pages are slower but
never fail. A warning is logged at most once a minute per process; calls go back to
Redis as soon as it answers again (redis-py reconnects on the next call).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY_SECONDS = 60
# What each call answers while Redis is away: what an empty cache would answer.
# ``add`` grants (as a cache with nothing in it would) and ``incr`` starts a new count.
AWAY_ANSWERS = {
    "add": lambda *args: True,
    "get": lambda key, default: default,
    "set": lambda *args: None,
    "touch": lambda *args: False,
    "delete": lambda *args: False,
    "get_many": lambda keys: {},
    "has_key": lambda key: False,
    "incr": lambda key, delta: delta,
    "set_many": lambda *args: None,
    "delete_many": lambda *args: None,
    "clear": lambda: False,
}


class _Warning:
    last = 0.0

    @classmethod
    def log(cls, error: Exception) -> None:
        now = time.monotonic()
        if now - cls.last >= WARN_EVERY_SECONDS:
            cls.last = now
            logger.warning("Redis is unreachable, running without a cache: %s", error)


def _degrading(name: str):
    method = getattr(RedisCacheClient, name)
    away = AWAY_ANSWERS[name]

    @functools.wraps(method)
    def call(self, *args):
        try:
            return method(self, *args)
        except UNREACHABLE as error:
            _Warning.log(error)
            return away(*args)

    return call


def _reused_client(self, key=None, *, write=False):
    """One ``redis.Redis`` per connection pool, not one per cache call.

    Django's client builds a new one for every call, and building one fills its table
    of response callbacks (about 170 entries), which took longer than the round trip
    itself: 3 of them were most of a cached work page's time. The object is
    thread-safe (each command takes a connection from the pool).
    """
    pool = self._get_connection_pool(write)
    clients = self.__dict__.setdefault("_clients_by_pool", {})
    client = clients.get(id(pool))
    if client is None:
        client = clients[id(pool)] = self._client(connection_pool=pool)
    return client


ResilientRedisCacheClient = type(
    "ResilientRedisCacheClient",
    (RedisCacheClient,),
    {"get_client": _reused_client, **{name: _degrading(name) for name in AWAY_ANSWERS}},
)


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that never raises for a lost Redis."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
