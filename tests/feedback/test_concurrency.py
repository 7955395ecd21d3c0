"""Fifty readers at once: kudos and comments on one work leave exact counts, no errors."""

import sqlite3
import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from fanshelf.accounts.services import create_user
from fanshelf.feedback import services
from fanshelf.feedback.models import Comment, Kudos
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, post_work
from tests.conftest import STANDARD_TAGS
from tests.factories import add_default_tags

READERS = 50


@pytest.fixture
def database_as_deployed(transactional_db, tmp_path):
    """On SQLite, point new connections at a database file set up as Fanshelf runs it.

    The test database lives in memory with a shared cache, where a second writer is
    refused at once ("database table is locked") instead of waiting its turn. The
    archive runs on a file in WAL mode with IMMEDIATE transactions and a 20 s busy
    timeout (settings.database_config), so the threads get a copy of the test
    database as such a file. The test's own thread keeps the in-memory database
    untouched; everything the test does runs in other threads (``in_thread``).
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "fanshelf.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    original = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings[DEFAULT_DB_ALIAS] = original


def in_thread(func):
    """Run ``func`` in a thread of its own (own connection, closed after) and return its result."""
    outcome = {}

    def run():
        try:
            outcome["result"] = func()
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def _user(name):
    return create_user(username=name, email=f"{name}@example.org", password="correct horse battery")


def test_fifty_readers_at_once_leave_exact_counts(database_as_deployed):
    def setting_up():
        add_default_tags()  # an earlier transactional test may have emptied them
        author = _user("smolhux")
        work = post_work(
            user=author,
            title="Perfect",
            chapters=[ChapterText(body="<p>Kylo had always seen Hux as perfect.</p>")],
            tags=STANDARD_TAGS,
        )
        first = services.post_comment(work=work, user=author, body="Tell me what you think!!!")
        return work, first, [_user(f"reader{n}") for n in range(READERS)]

    work, first, readers = in_thread(setting_up)
    start = threading.Barrier(READERS)
    errors: list[BaseException] = []
    new_kudos: list[bool] = []

    def respond(reader, number):
        address = f"192.0.2.{number}"
        try:
            start.wait()
            new_kudos.append(services.give_kudos(work=work, user=reader, client_ip=address))
            services.post_comment(
                work=work,
                user=reader,
                parent=first if number % 2 else None,
                body=f"Comment {number}: more please!",
                client_ip=address,
            )
            # A second kudos from the same reader is a no-op, even under load.
            new_kudos.append(services.give_kudos(work=work, user=reader, client_ip=address))
        except BaseException as error:  # collected and reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=respond, args=(reader, number))
        for number, reader in enumerate(readers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(new_kudos) == [False] * READERS + [True] * READERS

    def counts():
        stored = Work.objects.get(pk=work.pk)
        return (
            stored.kudos_count,
            Kudos.objects.filter(work=work).count(),
            stored.comment_count,
            Comment.objects.filter(work=work, state=Comment.State.VISIBLE).count(),
        )

    assert in_thread(counts) == (READERS, READERS, READERS + 1, READERS + 1)
