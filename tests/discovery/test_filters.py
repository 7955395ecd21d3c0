import datetime

from django.http import QueryDict

from fanshelf.discovery.filters import WorkFilters, parse_filters


def test_query_string_becomes_filters():
    params = QueryDict(
        "tag=Star+Wars&tag=Kylux,+Angst&exclude_tag=Major+Character+Death&rating=Mature"
        "&complete=complete&words_from=10,000&sort=kudos&language=en&crossover=exclude"
        "&updated_from=2026-01-01&page=3"
    )
    filters, notes = parse_filters(params)
    assert notes == []
    assert filters.tags == ["Star Wars", "Kylux", "Angst"]
    assert filters.exclude_tags == ["Major Character Death"]
    assert filters.rating == ["Mature"]
    assert (filters.complete, filters.words_from, filters.sort) == ("complete", 10000, "kudos")
    assert filters.crossover == "exclude"
    assert filters.updated_from == datetime.date(2026, 1, 1)
    assert filters.page == 3


def test_bad_values_are_dropped_with_a_note_never_an_error():
    filters, notes = parse_filters(
        {"words_from": "lots", "sort": "random", "page": "-4", "updated_to": "yesterday",
         "complete": "maybe", "q": "x" * 2000}
    )  # fmt: skip
    assert filters == WorkFilters(q="x" * 500)
    assert len(notes) == 6
    assert any("not a whole number" in note for note in notes)
    assert any("sort order" in note for note in notes)


def test_relevance_is_the_default_only_with_a_query():
    assert parse_filters({})[0].effective_sort == "updated"
    assert parse_filters({"q": "hux"})[0].effective_sort == "relevance"
    assert parse_filters({"sort": "relevance"})[0].effective_sort == "updated"


def test_filters_round_trip_through_the_url():
    filters, _ = parse_filters({"tag": ["A", "B"], "words_to": "500", "single_chapter": "on"})
    again, _ = parse_filters(dict_of_lists(filters.to_params()))
    assert again == filters


def dict_of_lists(pairs):
    result = {}
    for key, value in pairs:
        result.setdefault(key, []).append(value)
    return result
