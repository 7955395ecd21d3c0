import pytest
from django.urls import reverse

from fanshelf.works.models import Series, Work
from tests.factories import work_tags as tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(make_work, author):
    make_work(title="Part One", series="Kylux Week", tags=tags(freeform=["Fluff"]))
    make_work(title="Part Two", series="Kylux Week", tags=tags(freeform=["Angst"]))
    make_work(title="Part Three", series="Kylux Week", state=Work.State.DRAFT)
    make_work(title="Secret Part", series="Kylux Week", restricted=True)
    return Series.objects.get(title="Kylux Week")


def titles(response):
    return [work.title for work, _snippet in response.context["results"]]


def test_a_guest_reads_the_posted_public_works_in_series_order(client, series):
    response = client.get(series.get_absolute_url())
    assert response.status_code == 200
    assert titles(response) == ["Part One", "Part Two"]
    assert b"Kylux Week" in response.content
    assert b"a series by" in response.content


def test_the_series_creator_sees_their_drafts_and_readers_see_restricted_works(
    client, series, author, reader
):
    client.force_login(reader)
    assert titles(client.get(series.get_absolute_url())) == ["Part One", "Part Two", "Secret Part"]
    client.force_login(author)
    assert "Part Three" in titles(client.get(series.get_absolute_url()))


def test_the_series_listing_filters_and_sorts_like_every_listing(client, series):
    url = series.get_absolute_url()
    assert titles(client.get(url, {"tag": "Angst"})) == ["Part Two"]
    assert titles(client.get(url, {"sort": "title"})) == ["Part One", "Part Two"]


def test_a_series_nobody_may_see_is_not_found(client, make_work):
    make_work(title="Only a draft", series="Hidden Series", state=Work.State.DRAFT)
    hidden = Series.objects.get(title="Hidden Series")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("series:detail", args=[99999])).status_code == 404


def test_anonymous_works_do_not_credit_their_creator(client, make_work, author):
    make_work(title="Anon Part", series="Masked", anonymous=True)
    response = client.get(Series.objects.get(title="Masked").get_absolute_url())
    assert titles(response) == ["Anon Part"]
    assert response.context["creators"] == []
    assert author.username.encode() not in response.content


def test_the_work_page_links_to_its_series(client, series):
    work = Work.objects.get(title="Part One")
    response = client.get(work.get_absolute_url())
    assert series.get_absolute_url().encode() in response.content


def test_the_series_page_has_no_query_per_work(
    client, series, make_work, django_assert_max_num_queries
):
    for number in range(10):
        make_work(title=f"Extra {number}", series="Kylux Week")
    with django_assert_max_num_queries(20):
        client.get(series.get_absolute_url())
