from io import StringIO

import pytest
from django.core.management import call_command

from fanshelf.discovery import search
from fanshelf.discovery.models import SearchChapter
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


def reindex() -> str:
    out = StringIO()
    call_command("reindex", stdout=out, stderr=StringIO())
    return out.getvalue()


def found(text):
    matches = search.backend().filter(Work.objects.all(), search.parse(text))
    return sorted(work.title for work in matches)


def test_reindex_rebuilds_the_index_after_its_rows_are_emptied(make_work):
    make_work(title="Lighthouse", chapters=["<p>The keeper.</p>", "<p>The sea.</p>"])
    make_work(title="Draft", chapters=["<p>The keeper.</p>"], state="draft")
    SearchChapter.objects.all().delete()
    assert found("keeper") == []

    summary = reindex()

    assert found("keeper") == ["Lighthouse"]
    assert SearchChapter.objects.count() == 2
    assert summary.startswith("Indexed 1 posted work: 2 chapters in the index, 2 rows written, in ")


def test_reindex_is_idempotent(make_work):
    make_work(title="Lighthouse", chapters=["<p>The keeper.</p>"])
    reindex()
    before = list(SearchChapter.objects.values_list("pk", "digest"))
    assert "0 rows written" in reindex()
    assert list(SearchChapter.objects.values_list("pk", "digest")) == before
    assert found("keeper") == ["Lighthouse"]


def test_reindex_drops_works_that_are_no_longer_posted(make_work):
    work = make_work(title="Hidden", chapters=["<p>The keeper.</p>"])
    # A change made without the services (as a moderator's tool or a shell might).
    Work.objects.filter(pk=work.pk).update(state=Work.State.HIDDEN)
    assert found("keeper") == ["Hidden"]
    reindex()
    assert found("keeper") == []
    assert not SearchChapter.objects.exists()


def test_reindex_picks_up_text_changed_behind_the_services_back(make_work):
    work = make_work(title="Lighthouse", chapters=["<p>The keeper.</p>"])
    work.chapters.update(body="<p>The cartographer.</p>")
    reindex()
    assert found("cartographer") == ["Lighthouse"]
    assert found("keeper") == []


def test_rebuild_reports_progress_in_works(make_work):
    for number in range(3):
        make_work(title=f"Work {number}", chapters=["<p>Text.</p>"])
    calls = []
    counts = search.backend().rebuild(progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 3)
    assert calls[-1] == (3, 3)
    assert counts == {"works": 3, "rows": 3, "written": 0}


def test_reindex_says_what_it_did_for_an_empty_archive(db):
    assert reindex().startswith("Indexed 0 posted works: 0 chapters in the index, 0 rows")
