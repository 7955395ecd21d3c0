"""guest_may_read: visible_works' rule for a guest, compiled once, asked in one query."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanshelf.works import selectors
from fanshelf.works.models import Work
from fanshelf.works.selectors import guest_may_read, visible_works

pytestmark = pytest.mark.django_db


def test_it_agrees_with_visible_works_for_every_state_and_restriction(make_work):
    works = []
    for state, restricted in itertools.product(Work.State.values, (False, True)):
        work = make_work(title=f"{state} {restricted}")
        Work.objects.filter(pk=work.pk).update(state=state, restricted=restricted)
        works.append(work)
    readable = set(visible_works(AnonymousUser()).values_list("pk", flat=True))
    assert readable == {works[Work.State.values.index(Work.State.POSTED) * 2].pk}
    for work in works:
        assert guest_may_read(work.pk) is (work.pk in readable)
    assert guest_may_read(max(readable) + 1000) is False
    assert guest_may_read(10**30) is False  # a path's <int:…> may be any size


def test_it_asks_one_query_and_compiles_it_once(make_work):
    work = make_work()
    selectors._guest_readable_sql.cache_clear()
    with CaptureQueriesContext(connection) as queries:
        assert guest_may_read(work.pk) and guest_may_read(work.pk)
    assert len(queries) == 2
    assert selectors._guest_readable_sql.cache_info().misses == 1
    assert str(work.pk) in queries[0]["sql"]


def test_a_query_of_another_shape_falls_back_to_the_orm(make_work, monkeypatch):
    work = make_work()
    monkeypatch.setattr(selectors, "_guest_readable_sql", lambda alias: None)
    assert guest_may_read(work.pk)
    Work.objects.filter(pk=work.pk).update(restricted=True)
    assert not guest_may_read(work.pk)
