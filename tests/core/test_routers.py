"""Read replicas: the router, the pin-after-write middleware and the settings that wire them."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from fanshelf.core import routers
from fanshelf.core.routers import (
    PIN_COOKIE,
    PinAfterWriteMiddleware,
    ReplicaRouter,
    is_pinned,
    is_write,
)
from fanshelf.reading.models import ReadingPreference
from fanshelf.works.models import Work

REPLICAS = ["replica1", "replica2"]


def serve(view, *, method="get", cookies=None, **headers):
    request = getattr(RequestFactory(), method)("/somewhere/", **headers)
    request.COOKIES.update(cookies or {})
    return PinAfterWriteMiddleware(view)(request)


def reads_during_a_request(replica_router, times=1, **serve_options):
    chosen = []

    def view(request):
        chosen.extend(replica_router.db_for_read(Work) for _ in range(times))
        return HttpResponse("work page")

    return chosen, serve(view, **serve_options)


def test_a_requests_reads_are_spread_over_the_replicas():
    chosen, _ = reads_during_a_request(ReplicaRouter(replicas=REPLICAS), times=60)

    assert set(chosen) == set(REPLICAS)


def test_without_replicas_reads_stay_on_the_primary():
    chosen, _ = reads_during_a_request(ReplicaRouter(replicas=[]))

    assert chosen == ["default"]


def test_reads_outside_a_web_request_use_the_primary():
    # The worker: a task queued on commit must find the rows it is about.
    assert ReplicaRouter(replicas=REPLICAS).db_for_read(Work) == "default"


def test_writes_go_to_the_primary_and_do_not_pin_outside_a_request(make_user):
    make_user()

    assert ReplicaRouter(replicas=REPLICAS).db_for_write(Work) == "default"
    assert not is_pinned()


def test_a_write_pins_the_rest_of_the_request_to_the_primary(make_user):
    seen = {}

    def view(request):
        seen["before"] = is_pinned()
        make_user()
        seen["after"] = is_pinned()
        return HttpResponse("signed up")

    response = serve(view)

    assert seen == {"before": False, "after": True}
    assert PIN_COOKIE in response.cookies
    # The flag ends with the request.
    assert not is_pinned()


def test_the_pin_cookie_sends_the_next_requests_reads_to_the_primary():
    chosen, response = reads_during_a_request(
        ReplicaRouter(replicas=REPLICAS), cookies={PIN_COOKIE: "1"}
    )

    assert chosen == ["default"]
    # A read-only request does not extend the pin.
    assert PIN_COOKIE not in response.cookies


def test_a_plain_read_sets_no_pin_cookie():
    response = serve(lambda request: HttpResponse("work page"))

    assert PIN_COOKIE not in response.cookies


def test_a_successful_post_sets_the_pin_cookie_even_without_a_write_seen():
    response = serve(lambda request: HttpResponse("ok"), method="post")

    assert PIN_COOKIE in response.cookies


def test_a_rejected_post_sets_no_pin_cookie():
    response = serve(lambda request: HttpResponse("bad", status=400), method="post")

    assert PIN_COOKIE not in response.cookies


@pytest.mark.parametrize("secure", [False, True])
def test_the_pin_cookie_lasts_the_pin_seconds_and_follows_the_session_cookie(settings, secure):
    settings.FANSHELF_REPLICA_PIN_SECONDS = 25
    settings.SESSION_COOKIE_SECURE = secure

    cookie = serve(lambda request: HttpResponse("ok"), method="post").cookies[PIN_COOKIE]

    assert cookie["max-age"] == 25
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) is secure


def test_reads_inside_a_transaction_use_the_primary(transactional_db):
    replica_router = ReplicaRouter(replicas=REPLICAS)
    seen = {}

    def view(request):
        seen["outside"] = replica_router.db_for_read(Work)
        with transaction.atomic():
            seen["inside"] = replica_router.db_for_read(Work)
        return HttpResponse("work page")

    serve(view)

    assert seen["outside"] in REPLICAS
    assert seen["inside"] == "default"


@override_settings(DATABASE_ROUTERS=["fanshelf.core.routers.ReplicaRouter"])
def test_reading_pages_that_only_build_unsaved_objects_do_not_pin(make_user):
    # Django asks the router's db_for_write when an unsaved object gets a foreign
    # key, as the reading preferences do on every signed-in page: not a write.
    reader = make_user()

    def view(request):
        ReadingPreference(user=reader)
        list(Work.objects.filter(state="posted"))
        return HttpResponse("works")

    response = serve(view)

    assert PIN_COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT INTO "works_work" ("title") VALUES (%s)', True),
        ('  update "works_work" SET "title" = %s', True),
        ('DELETE FROM "works_work"', True),
        ('SELECT "id" FROM "works_work" WHERE "id" = %s FOR UPDATE', True),
        ('SELECT "id" FROM "works_work"', False),
        ('SAVEPOINT "s1"', False),
        ('RELEASE SAVEPOINT "s1"', False),
    ],
)
def test_statements_that_change_data_count_as_writes(sql, writes):
    assert is_write(sql) is writes


def test_relations_between_the_primary_and_replicas_are_allowed_and_migrations_only_on_the_primary(
    make_user,
):
    replica_router = ReplicaRouter(replicas=REPLICAS)
    on_primary, on_replica = make_user(), make_user()
    on_replica._state.db = "replica2"

    assert replica_router.allow_relation(on_primary, on_replica) is True
    on_replica._state.db = "elsewhere"
    assert replica_router.allow_relation(on_primary, on_replica) is None
    assert replica_router.allow_migrate("default", "works") is True
    assert replica_router.allow_migrate("replica1", "works") is False


SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from fanshelf.core.routers import ReplicaRouter
print(json.dumps({
    "databases": {alias: [str(db["NAME"]), db.get("TEST", {}).get("MIRROR")]
                  for alias, db in settings.DATABASES.items()},
    "routers": settings.DATABASE_ROUTERS,
    "replicas": ReplicaRouter().replicas,
    "pin_middleware": "fanshelf.core.routers.PinAfterWriteMiddleware" in settings.MIDDLEWARE,
}))
"""


def settings_in_subprocess(tmp_path, **variables):
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("FANSHELF_DATABASE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="fanshelf.settings",
        FANSHELF_DATA_DIR=str(tmp_path / "data"),
        FANSHELF_SECRET_KEY="not-a-secret",
        **variables,
    )
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_replica_urls_become_mirrored_aliases_with_the_router(tmp_path):
    shown = settings_in_subprocess(
        tmp_path,
        FANSHELF_DATABASE_REPLICA_URLS=f"sqlite:///{tmp_path}/one.sqlite3, sqlite:///{tmp_path}/two.sqlite3",
    )

    assert list(shown["databases"]) == ["default", "replica1", "replica2"]
    assert shown["databases"]["replica1"] == [f"{tmp_path}/one.sqlite3", "default"]
    assert shown["databases"]["replica2"] == [f"{tmp_path}/two.sqlite3", "default"]
    assert shown["databases"]["default"][1] is None
    assert shown["routers"] == ["fanshelf.core.routers.ReplicaRouter"]
    assert shown["replicas"] == ["replica1", "replica2"]
    assert shown["pin_middleware"] is True


def test_without_replica_urls_there_is_no_router(tmp_path):
    shown = settings_in_subprocess(tmp_path)

    assert list(shown["databases"]) == ["default"]
    assert shown["routers"] == []
    assert shown["pin_middleware"] is False


def test_an_api_client_is_pinned_by_its_token_after_a_write():
    """API programs send no cookies back; their bearer token carries the pin."""
    router = ReplicaRouter(replicas=REPLICAS)
    token = {"HTTP_AUTHORIZATION": "Bearer fs_secret_one"}
    serve(lambda request: HttpResponse("made", status=201), method="post", **token)

    chosen, _response = reads_during_a_request(router, times=5, **token)
    assert chosen == ["default"] * 5
    # Another client's reads still go to the replicas.
    other, _response = reads_during_a_request(
        router, times=20, HTTP_AUTHORIZATION="Bearer fs_secret_two"
    )
    assert set(other) == set(REPLICAS)


def test_a_token_that_only_read_is_not_pinned():
    token = {"HTTP_AUTHORIZATION": "Bearer fs_reader"}
    reads_during_a_request(ReplicaRouter(replicas=REPLICAS), **token)
    chosen, _response = reads_during_a_request(ReplicaRouter(replicas=REPLICAS), times=20, **token)
    assert set(chosen) == set(REPLICAS)


def test_a_replica_left_out_gets_no_reads_until_its_time_is_up(monkeypatch):
    now = time.monotonic()
    monkeypatch.setitem(routers._away_until, "replica1", now + 30)
    replica_router = ReplicaRouter(replicas=REPLICAS)

    chosen, _ = reads_during_a_request(replica_router, times=20)
    assert set(chosen) == {"replica2"}

    monkeypatch.setitem(routers._away_until, "replica2", now + 30)
    chosen, _ = reads_during_a_request(replica_router)
    assert chosen == ["default"]

    monkeypatch.setattr(routers.time, "monotonic", lambda: now + 31)
    chosen, _ = reads_during_a_request(replica_router, times=60)
    assert set(chosen) == set(REPLICAS)
