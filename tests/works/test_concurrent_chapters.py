"""Chapters posted to one work at the same moment each get their own place."""

import threading

import pytest
from django.db import connection, connections

from fanshelf.works.models import Chapter
from fanshelf.works.services import ChapterText, add_chapter
from tests.factories import add_default_tags


@pytest.mark.django_db(transaction=True)
def test_chapters_posted_at_once_take_turns(make_work, author):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time anyway; the race is PostgreSQL's")
    add_default_tags()
    work = make_work()
    errors = []

    def post(number):
        try:
            for round_ in range(3):
                add_chapter(
                    user=author, work=work, chapter=ChapterText(body=f"Part {number}.{round_}")
                )
        except Exception as error:  # noqa: BLE001 - collected and shown below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    positions = sorted(Chapter.objects.filter(work=work).values_list("position", flat=True))
    assert positions == list(range(1, 14))
    work.refresh_from_db()
    assert work.chapter_count == 13
