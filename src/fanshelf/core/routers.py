"""Read replicas: reads go to a replica, writes and a writer's next reads to the primary.

Installed by settings only when ``FANSHELF_DATABASE_REPLICA_URLS`` names replicas
(aliases ``replica1``, ``replica2``…). A replica lags the primary by a moment, so a
fan who has just posted a chapter or left kudos must not read the page from a replica
that has not seen it yet. Three things keep their reads on the primary ("pinned"):

- within a request, once anything has been written to the primary, every later read
  of that request. Writes are seen in the SQL sent to the primary (an execute
  wrapper), not in the router's ``db_for_write``: Django also asks that for reads,
  e.g. whenever an unsaved object gets a foreign key (``ReadingPreference(user=…)``
  on every signed-in page), which would pin every signed-in reader for good;
- for ``FANSHELF_REPLICA_PIN_SECONDS`` afterwards, the requests of the same browser,
  which carry the ``fanshelf_pin`` cookie set by ``PinAfterWriteMiddleware``;
- inside any ``transaction.atomic()`` block on the primary: services read and lock
  rows there before writing (a replica refuses ``SELECT … FOR UPDATE`` and may hold
  older rows).

Outside web requests (the worker, management commands) every read uses the primary.

A replica that fails (its server stopped, its machine gone) is left out: the request
that met the error answers 503 like any database error (``fanshelf.core.unavailable``),
and this process sends no reads there for ``FANSHELF_REPLICA_AWAY_SECONDS``; then it
tries again. With every replica out, reads go to the primary.
"""

import contextlib
import hashlib
import logging
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

PIN_COOKIE = "fanshelf_pin"
REPLICA_PREFIX = "replica"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The first word of statements that change data (SELECT … FOR UPDATE locks rows to
# change them). SAVEPOINT, RELEASE and plain SELECTs change nothing.
WRITE_STATEMENTS = frozenset(
    {"INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE"}
)


class RequestState:
    """What the router learns during one request: pinned to the primary, and why."""

    def __init__(self, *, pinned: bool = False) -> None:
        self.pinned = pinned
        self.wrote = False


# None outside a web request: the worker and management commands read from the
# primary, since a task queued on commit may run before a replica has the rows it is
# about (the work just posted, the comment to notify about).
_request_state: ContextVar[RequestState | None] = ContextVar("fanshelf_replica_state", default=None)


def replica_aliases() -> list[str]:
    """The configured replica aliases, in order (``replica1``, ``replica2``…)."""
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


# This process's replicas that failed, with when each may be tried again (monotonic).
_away_until: dict[str, float] = {}


def replicas_in_service(replicas: list[str]) -> list[str]:
    """Those of ``replicas`` not left out after failing."""
    if not _away_until:
        return replicas
    now = time.monotonic()
    return [alias for alias in replicas if _away_until.get(alias, 0.0) <= now]


def leave_out_failed_replicas() -> list[str]:
    """Leave out each replica whose connection met an error in this request.

    Django marks a connection that raised a database error (``errors_occurred``). Its
    connection is closed here, so the next try starts afresh, and the mark cleared.
    """
    failed = []
    for alias in replica_aliases():
        connection = connections[alias]
        if not connection.errors_occurred:
            continue
        with contextlib.suppress(DatabaseError):
            connection.close()
        connection.errors_occurred = False
        _away_until[alias] = time.monotonic() + settings.FANSHELF_REPLICA_AWAY_SECONDS
        failed.append(alias)
        logger.warning(
            "Database %s failed; its reads go elsewhere for %s s",
            alias, settings.FANSHELF_REPLICA_AWAY_SECONDS,
        )  # fmt: skip
    return failed


def is_pinned() -> bool:
    """Whether this request's reads are held on the primary."""
    state = _request_state.get()
    return state is not None and state.pinned


def is_write(sql: str) -> bool:
    statement = sql.lstrip().upper()
    first_word = statement.split(None, 1)[0] if statement else ""
    return first_word in WRITE_STATEMENTS or (first_word == "SELECT" and " FOR UPDATE" in statement)


def note_writes(execute, sql, params, many, context):
    """Execute wrapper on the primary: a write pins the rest of the request."""
    state = _request_state.get()
    if state is not None and not state.wrote and is_write(sql):
        state.wrote = True
        state.pinned = True
    return execute(sql, params, many, context)


class ReplicaRouter:
    """Sends a request's reads to a random replica unless pinned; the rest to the primary."""

    def __init__(self, replicas: list[str] | None = None) -> None:
        self.replicas = list(replicas) if replicas is not None else replica_aliases()

    def db_for_read(self, model, **hints) -> str:
        state = _request_state.get()
        if (
            not self.replicas
            or state is None
            or state.pinned
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        replicas = replicas_in_service(self.replicas)
        return random.choice(replicas) if replicas else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        ours = {DEFAULT_DB_ALIAS, *self.replicas}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def _token_pin_key(request) -> str | None:
    """The cache key pinning an API client by its bearer token (hashed), if it sends one."""
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    return "pin:token:" + hashlib.sha256(credential.strip().encode()).hexdigest()[:32]


class PinAfterWriteMiddleware:
    """Keeps a writer's reads on the primary, for this request and a few seconds after.

    Reads the ``fanshelf_pin`` cookie (or, for an API client, a cache key made from
    its bearer token) to pin the request from its start, watches the SQL sent to the
    primary for writes, and after a request that wrote, or an unsafe method that
    succeeded, sets both for ``FANSHELF_REPLICA_PIN_SECONDS``.
    Place it first, so the session and user loads and the session save run inside it.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        client = _token_pin_key(request)
        pinned = PIN_COOKIE in request.COOKIES or bool(client and cache.get(client))
        state = RequestState(pinned=pinned)
        token = _request_state.set(state)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(note_writes):
                response = self.get_response(request)
        finally:
            _request_state.reset(token)
            leave_out_failed_replicas()
        succeeded_unsafe = request.method in UNSAFE_METHODS and response.status_code < 400
        if (state.wrote or succeeded_unsafe) and client:
            # API programs send no cookies back: their token carries the pin.
            cache.set(client, 1, settings.FANSHELF_REPLICA_PIN_SECONDS)
        if state.wrote or succeeded_unsafe:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.FANSHELF_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
