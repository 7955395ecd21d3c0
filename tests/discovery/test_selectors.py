import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanshelf.discovery import selectors
from fanshelf.discovery.filters import parse_filters
from fanshelf.discovery.selectors import search_works
from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag
from fanshelf.tags.services import find_or_create_tag
from fanshelf.works.models import Work
from tests.factories import work_tags as tags

pytestmark = pytest.mark.django_db


def titles(viewer=None, **params):
    filters, notes = parse_filters(params)
    listing = search_works(viewer=viewer, filters=filters)
    return [work.title for work in listing.works]


@pytest.fixture
def shelf(make_work):
    make_work(title="Gala", tags=tags(relationship=["Kylux"], freeform=["Angst"]))
    make_work(
        title="Balcony",
        tags=tags(rating="Explicit", warning=["Major Character Death"], freeform=["Fluff"]),
        expected_chapters=None,
    )
    make_work(title="Potions", tags=tags(fandom=["Harry Potter"]), language="de")
    make_work(title="Secret", tags=tags(), restricted=True)
    Work.objects.filter(title="Balcony").update(kudos_count=50, word_count=20000)
    Work.objects.filter(title="Potions").update(kudos_count=10)


def test_include_exclude_and_ratings(shelf):
    assert titles(tag="Angst") == ["Gala"]
    assert set(titles(exclude_tag="Major Character Death")) == {"Gala", "Potions"}
    assert titles(rating=["Explicit"]) == ["Balcony"]
    assert set(titles(rating=["Explicit", "Teen And Up Audiences"])) == {"Gala", "Balcony",
                                                                        "Potions"}  # fmt: skip


def test_a_canonical_tag_finds_its_synonyms(shelf, make_user):
    wrangler = make_user("w", role="wrangler")
    ship = find_or_create_tag(name="Kylo Ren/Armitage Hux", type="relationship")
    wrangling.set_canonical(user=wrangler, tag=ship)
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="Kylux"), canonical=ship)
    assert titles(tag="Kylo Ren/Armitage Hux") == ["Gala"]
    assert titles(tag="kylux") == ["Gala"]


def test_field_filters_and_sorts(shelf):
    assert titles(complete="wip") == ["Balcony"]
    assert titles(words_from="10000") == ["Balcony"]
    assert titles(language="de") == ["Potions"]
    assert titles(sort="kudos") == ["Balcony", "Potions", "Gala"]
    assert titles(sort="title") == ["Balcony", "Gala", "Potions"]
    assert titles(single_chapter="1", sort="title") == ["Gala", "Potions"]


def test_crossovers(make_work, shelf):
    make_work(title="Both", tags=tags(fandom=["Star Wars", "Harry Potter"]))
    assert titles(crossover="only") == ["Both"]
    assert "Both" not in titles(crossover="exclude")


def test_guests_never_see_restricted_works_or_their_tags(shelf, reader):
    assert "Secret" not in titles()
    assert "Secret" in titles(viewer=reader)
    filters, _ = parse_filters({})
    facets = search_works(viewer=None, filters=filters).facets
    rating_counts = {entry.tag.name: entry.count for entry in facets["rating"]}
    assert rating_counts == {"Teen And Up Audiences": 2, "Explicit": 1}


def test_unknown_included_tag_gives_no_works_and_a_note(shelf):
    filters, _ = parse_filters({"tag": "Nonexistent Fandom", "exclude_tag": "Also Missing"})
    listing = search_works(viewer=None, filters=filters)
    assert listing.count == 0
    assert any("no tag called “Nonexistent Fandom”" in note for note in listing.notes)


def test_facets_count_the_result_set(shelf):
    filters, _ = parse_filters({"tag": "Star Wars"})
    listing = search_works(viewer=None, filters=filters)
    fandoms = {entry.tag.name: entry.count for entry in listing.facets["fandom"]}
    assert fandoms == {"Star Wars": 2}
    assert not listing.facets_sampled


def test_page_past_the_end_shows_the_last_page(shelf):
    filters, _ = parse_filters({"page": "99"})
    listing = search_works(viewer=None, filters=filters, page_size=2)
    assert listing.page.number == 2
    assert listing.notes


def test_counts_stop_at_the_cap_and_say_so(shelf, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    monkeypatch.setattr(selectors, "FACET_SAMPLE", 1)
    filters, _ = parse_filters({"sort": "kudos"})
    listing = search_works(viewer=None, filters=filters, page_size=1)
    assert (listing.count, listing.count_capped, listing.shown_count) == (2, True, "2+")
    assert [work.title for work in listing.works] == ["Balcony"]
    assert listing.facets_sampled
    assert {entry.tag.name for entry in listing.facets["rating"]} == {"Explicit"}
    filters, _ = parse_filters({"sort": "kudos", "page": "3"})
    listing = search_works(viewer=None, filters=filters, page_size=1)
    assert [work.title for work in listing.works] == ["Potions"]
    assert any("Only the first 2 matches are listed" in note for note in listing.notes)


def test_under_the_cap_the_count_is_exact(shelf):
    filters, _ = parse_filters({})
    listing = search_works(viewer=None, filters=filters)
    assert (listing.count, listing.count_capped, listing.shown_count) == (3, False, "3")


@pytest.mark.parametrize("count_limit", [0, 10_000], ids=["check-each-work", "start-from-tag"])
def test_both_ways_of_using_a_tag_find_the_same_works(shelf, make_work, monkeypatch, count_limit):
    # The rarest included tag becomes `id IN (…)` while it is rare next to the
    # archive; with a limit of 0 every tag is checked on each work instead.
    make_work(title="Gala II", tags=tags(relationship=["Kylux"], freeform=["Fluff"]))
    monkeypatch.setattr(selectors, "_rare_tag_limit", lambda: count_limit)
    with CaptureQueriesContext(connection) as queries:
        assert set(titles(tag=["Star Wars", "Kylux"])) == {"Gala", "Gala II"}
    listing_sql = next(q["sql"] for q in queries.captured_queries if "LIMIT 2001" in q["sql"])
    assert ("IN (SELECT" in listing_sql) == (count_limit > 0)
    assert titles(tag=["Kylux", "Fluff"]) == ["Gala II"]
    assert titles(tag="Kylux", exclude_tag="Fluff") == ["Gala"]
    assert set(titles(rating=["Explicit", "Teen And Up Audiences"], tag="Fluff")) == {
        "Balcony",
        "Gala II",
    }


def test_languages_are_matched_whatever_their_case(make_work):
    make_work(title="Saudade", tags=tags(), language="pt-BR")
    assert Work.objects.get(title="Saudade").language == "pt-br"
    assert titles(language="PT-br") == ["Saudade"]
