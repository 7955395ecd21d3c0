# ruff: noqa: S314 - parsing markup our own code just made
import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from fanshelf.feedback.models import Comment, Kudos
from fanshelf.notifications.models import Subscription
from fanshelf.reading import services, stats
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db
TODAY = timezone.now().astimezone(datetime.UTC).date()


def _feedback(work, readers, *, kudos=0, comments=0, held=0, subscriptions=0):
    for reader in readers[:kudos]:
        Kudos.objects.create(work=work, user=reader)
    for number in range(comments + held):
        state = Comment.State.HELD if number >= comments else Comment.State.VISIBLE
        Comment.objects.create(work=work, user=readers[0], text="Hi", body="<p>Hi</p>", state=state)
    for reader in readers[:subscriptions]:
        Subscription.objects.create(user=reader, work=work)


@pytest.fixture
def readers(make_user):
    return [make_user(f"fan{n}") for n in range(4)]


def test_an_authors_works_carry_their_counts(make_work, author, readers):
    work = make_work(title="Counted")
    services.add_hits(batch="b", counts=[[work.pk, TODAY.isoformat(), 9]])
    Work.objects.filter(pk=work.pk).update(bookmark_count=2)
    _feedback(work, readers, kudos=3, comments=2, held=1, subscriptions=4)
    [row] = stats.works_stats(user=author)
    assert (row.hit_count, row.kudos_total, row.comments_total) == (9, 3, 2)
    assert (row.bookmark_count, row.subscriptions_total) == (2, 4)
    assert dict(stats.figures(row))["Words"] == row.word_count


def test_anonymous_works_and_drafts_are_in_their_authors_stats(make_work, author):
    make_work(title="Anonymous", anonymous=True)
    make_work(title="Draft", state=Work.State.DRAFT)
    titles = sorted(work.title for work in stats.works_stats(user=author))
    assert titles == ["Anonymous", "Draft"]


def test_others_works_are_not_in_an_authors_stats(make_work, author, make_user):
    make_work(user=make_user("someone"), title="Not mine")
    assert stats.works_stats(user=author) == []


def test_sorting_and_totals(make_work, author, readers):
    low, high = make_work(title="b low"), make_work(title="a high")
    _feedback(high, readers, kudos=3)
    _feedback(low, readers, kudos=1)
    by_kudos = stats.works_stats(user=author, sort=stats.Sort.from_query(QueryDict("sort=kudos")))
    assert [w.title for w in by_kudos] == ["a high", "b low"]
    ascending = stats.Sort.from_query(QueryDict("sort=kudos&order=asc"))
    assert [w.title for w in stats.works_stats(user=author, sort=ascending)] == ["b low", "a high"]
    by_title = stats.Sort.from_query(QueryDict("sort=title"))
    assert [w.title for w in stats.works_stats(user=author, sort=by_title)] == ["a high", "b low"]
    assert stats.Sort.from_query(QueryDict("sort=password")) == stats.Sort()
    kudos_column = [c["key"] for c in stats.columns(stats.Sort())].index("kudos") - 1
    assert stats.totals(by_kudos)[kudos_column] == 4


def test_work_stats_are_for_its_creators_only(make_work, author, reader):
    work = make_work()
    draft = make_work(title="Draft", state=Work.State.DRAFT)
    assert stats.work_stats(user=author, work_id=work.pk) == work
    with pytest.raises(PermissionDenied):
        stats.work_stats(user=reader, work_id=work.pk)
    with pytest.raises(Work.DoesNotExist):
        stats.work_stats(user=reader, work_id=draft.pk)


def _days_ago(days: int) -> str:
    return (TODAY - datetime.timedelta(days=days)).isoformat()


def test_timeline_by_day_for_a_month(make_work, readers):
    work = make_work()
    services.add_hits(batch="b", counts=[[work.pk, _days_ago(0), 4], [work.pk, _days_ago(2), 1]])
    _feedback(work, readers, kudos=2)
    line = stats.timeline(work_ids=[work.pk], period=stats.Range(days=30))
    assert line.unit == "day"
    assert len(line.rows) == 30
    assert (line.rows[-1]["hits"], line.rows[-1]["kudos"]) == (4, 2)
    assert line.rows[-3]["hits"] == 1
    assert sum(row["hits"] for row in line.rows) == 5


def test_timeline_by_week_and_by_month_for_long_ranges(make_work):
    work = make_work()
    counts = [[work.pk, _days_ago(days), 1] for days in (0, 1, 100, 300)]
    services.add_hits(batch="b", counts=counts)
    year = stats.timeline(work_ids=[work.pk], period=stats.Range(days=365))
    assert year.unit == "week"
    assert all(row["start"].weekday() == 0 for row in year.rows)
    assert sum(row["hits"] for row in year.rows) == 4
    since = timezone.now() - datetime.timedelta(days=800)
    all_time = stats.timeline(work_ids=[work.pk], period=stats.Range(), since=since)
    assert all_time.unit == "month"
    assert all(row["start"].day == 1 for row in all_time.rows)
    assert sum(row["hits"] for row in all_time.rows) == 4


def test_stats_page_has_a_sortable_table_a_chart_and_its_text_table(
    client, make_work, author, readers
):
    work = make_work(title="Perfect")
    services.add_hits(batch="b", counts=[[work.pk, TODAY.isoformat(), 3]])
    _feedback(work, readers, kudos=1)
    client.force_login(author)
    page = client.get(reverse("reading:stats") + "?sort=hits").content.decode()
    assert 'aria-sort="descending"' in page
    assert reverse("reading:work_stats", args=[work.pk]) in page
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    assert ET.fromstring(svg).get("role") == "img"
    start = page.index('<table class="chart-table">')
    table = page[start : page.index("</table>", start) + len("</table>")]
    rows = ET.fromstring(table).findall("./tbody/tr")
    assert rows[-1].findtext("./td") == "3"


def test_work_stats_page_for_its_creator_and_nobody_else(client, make_work, author, reader):
    work = make_work(title="Mine", anonymous=True)
    draft = make_work(title="Draft", state=Work.State.DRAFT)
    url = reverse("reading:work_stats", args=[work.pk])
    client.force_login(author)
    page = client.get(url).content.decode()
    assert "Statistics for “Mine”" in page
    assert "<svg" in page and 'class="chart-table"' in page
    client.force_login(reader)
    assert client.get(url).status_code == 403
    assert client.get(reverse("reading:work_stats", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reading:work_stats", args=[99999])).status_code == 404
    assert "Mine" not in client.get(reverse("reading:stats")).content.decode()


def test_stats_page_queries_do_not_grow_with_works(
    client, make_work, author, readers, django_assert_max_num_queries
):
    for number in range(10):
        work = make_work(title=f"Work {number}")
        _feedback(work, readers, kudos=2, comments=1, subscriptions=1)
    client.force_login(author)
    with django_assert_max_num_queries(7):
        page = client.get(reverse("reading:stats") + "?range=30").content.decode()
    assert page.count('href="/stats/works/') == 10
