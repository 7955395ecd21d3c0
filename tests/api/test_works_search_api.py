"""Finding works through the API: filters, facets, pages that keep them, and bad input."""

import pytest
from django.test import Client

from fanshelf.accounts.services import issue_api_token
from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag
from fanshelf.tags.services import find_or_create_tag
from fanshelf.works.models import Work
from tests.factories import work_tags as tags

pytestmark = pytest.mark.django_db

WORKS = "/api/v1/works"


@pytest.fixture
def shelf(make_work):
    make_work(title="Gala", tags=tags(relationship=["Kylux"], freeform=["Angst"]))
    make_work(
        title="Balcony",
        tags=tags(rating="Explicit", warning=["Major Character Death"], freeform=["Fluff"]),
        expected_chapters=None,
    )
    make_work(title="Potions", tags=tags(fandom=["Harry Potter"]), language="de")
    make_work(title="Secret", tags=tags(freeform=["Hidden Trope"]), restricted=True)
    Work.objects.filter(title="Balcony").update(kudos_count=50, word_count=20000)
    Work.objects.filter(title="Potions").update(kudos_count=10)


def get(client, url=WORKS, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(body):
    return [work["title"] for work in body["results"]]


def bad_request(client, **params):
    response = client.get(WORKS, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    return body["errors"]


# Filters


def test_tags_filter_and_may_repeat_or_hold_lists(client, shelf):
    assert titles(get(client, tags="Angst")) == ["Gala"]
    assert titles(get(client, tags=["Star Wars", "Fluff"])) == ["Balcony"]
    assert titles(get(client, tags="Star Wars, Fluff")) == ["Balcony"]
    assert titles(get(client, tags=["Star Wars", "Angst", "Fluff"])) == []


def test_exclude_tags_rating_and_warnings(client, shelf):
    assert titles(get(client, exclude_tags=["Fluff", "Angst"])) == ["Potions"]
    assert titles(get(client, rating="explicit")) == ["Balcony"]
    assert titles(get(client, rating=["Explicit", "Teen And Up Audiences"])) == [
        "Potions",
        "Balcony",
        "Gala",
    ]
    assert titles(get(client, warnings="Major Character Death")) == ["Balcony"]
    assert titles(get(client, exclude_tags="Major Character Death")) == ["Potions", "Gala"]


def test_completion_language_word_counts_and_sort(client, shelf):
    assert titles(get(client, complete="wip")) == ["Balcony"]
    assert titles(get(client, complete="complete", language="de")) == ["Potions"]
    assert titles(get(client, words_from=10000)) == ["Balcony"]
    assert titles(get(client, words_to=10000, sort="title")) == ["Gala", "Potions"]
    assert titles(get(client, sort="kudos")) == ["Balcony", "Potions", "Gala"]
    assert titles(get(client, single_chapter="true", sort="title")) == ["Gala", "Potions"]


def test_a_synonym_finds_the_works_of_its_canonical(client, shelf, make_work, make_user):
    wrangler = make_user("wrangly", role="wrangler")
    ship = find_or_create_tag(name="Armitage Hux/Kylo Ren", type="relationship")
    wrangling.set_canonical(user=wrangler, tag=ship)
    make_work(title="Perfect", tags=tags(relationship=["Armitage Hux/Kylo Ren"]))
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="Kylux"), canonical=ship)

    assert titles(get(client, tags="kylux")) == ["Perfect", "Gala"]
    assert titles(get(client, tags="Armitage Hux/Kylo Ren")) == ["Perfect", "Gala"]
    assert titles(get(client, exclude_tags="Kylux")) == ["Potions", "Balcony"]


def test_guests_never_see_restricted_works_or_their_tags(client, shelf, reader):
    body = get(client)
    assert "Secret" not in titles(body)
    assert "Hidden Trope" not in str(body["facets"])
    assert get(client, tags="Hidden Trope")["count"] == 0
    with_token = Client(headers={"Authorization": f"Bearer {issue_api_token(user=reader)}"})
    body = get(with_token, tags="Hidden Trope")
    assert titles(body) == ["Secret"]


# Facets


def test_facets_count_the_tags_of_the_matching_works(client, shelf):
    body = get(client, exclude_tags="Harry Potter")
    assert body["facets_sampled"] is False
    assert set(body["facets"]) == {
        "rating",
        "warning",
        "category",
        "fandom",
        "relationship",
        "character",
        "freeform",
    }
    assert body["facets"]["rating"] == [
        {
            "name": "Explicit",
            "count": 1,
            "url": "http://testserver/api/v1/works?exclude_tags=Harry+Potter&rating=Explicit",
            "exclude_url": "http://testserver/api/v1/works?exclude_tags=Harry+Potter"
            "&exclude_tags=Explicit",
        },
        {
            "name": "Teen And Up Audiences",
            "count": 1,
            "url": "http://testserver/api/v1/works?exclude_tags=Harry+Potter"
            "&rating=Teen+And+Up+Audiences",
            "exclude_url": "http://testserver/api/v1/works?exclude_tags=Harry+Potter"
            "&exclude_tags=Teen+And+Up+Audiences",
        },
    ]
    assert [facet["name"] for facet in body["facets"]["fandom"]] == ["Star Wars"]
    assert body["facets"]["category"] == []


def test_facet_urls_narrow_the_listing(client, shelf):
    facets = get(client)["facets"]
    [fluff] = [facet for facet in facets["freeform"] if facet["name"] == "Fluff"]
    assert titles(client.get(fluff["url"]).json()) == ["Balcony"]
    assert titles(client.get(fluff["exclude_url"]).json()) == ["Potions", "Gala"]
    [mcd] = [facet for facet in facets["warning"] if facet["name"] == "Major Character Death"]
    assert mcd["url"].endswith("warnings=Major+Character+Death")
    assert titles(client.get(mcd["url"]).json()) == ["Balcony"]


def test_facets_can_be_left_out(client, shelf):
    body = get(client, facets="false", tags="Star Wars")
    assert body["facets"] == {}
    assert titles(body) == ["Balcony", "Gala"]


# Pages


def test_next_and_previous_keep_the_filters(client, make_work):
    for number in range(25):
        make_work(title=f"Work {number:02}", tags=tags(freeform=["Angst"]))
    first = get(client, tags="Angst", sort="title", facets="false")
    assert first["count"] == 25
    assert first["next"] == (
        "http://testserver/api/v1/works?tags=Angst&sort=title&facets=false&page=2"
    )
    second = client.get(first["next"]).json()
    assert titles(second) == [f"Work {n}" for n in range(20, 25)]
    assert second["previous"] == (
        "http://testserver/api/v1/works?tags=Angst&sort=title&facets=false&page=1"
    )
    assert second["next"] is None


# Bad input


def test_malformed_values_are_a_400_naming_the_parameter(client, shelf):
    assert "sort" in bad_request(client, sort="sideways")
    assert "words_from" in bad_request(client, words_from="lots")
    assert "words_to" in bad_request(client, words_to="-5")
    assert "page" in bad_request(client, page="-1")
    assert "complete" in bad_request(client, complete="maybe")
    assert "crossover" in bad_request(client, crossover="sometimes")
    assert "updated_from" in bad_request(client, updated_from="2024-02-30")
    assert "language" in bad_request(client, language="x" * 40)


def test_an_unknown_tag_is_a_note_not_an_error(client, shelf):
    body = get(client, tags="No Such Tag")
    assert body["count"] == 0
    assert body["notes"] == ["There is no tag called “No Such Tag”, so no work has it."]
    body = get(client, exclude_tags="No Such Tag")
    assert body["count"] == 3
    assert body["notes"] == ["Ignored “No Such Tag” in the excluded tags: there is no such tag."]


def test_unknown_parameters_are_named_in_the_notes(client, shelf):
    body = get(client, tag="Angst", colour="blue")
    assert body["count"] == 3
    assert body["notes"] == [
        "Ignored the parameter “tag”: the API calls it “tags”.",
        "Ignored the unknown parameter “colour”.",
    ]


def test_too_many_tags_are_cut_with_a_note(client, shelf):
    body = get(client, exclude_tags=[f"Tag {n}" for n in range(30)])
    assert "Only the first 20 tags of each kind were used." in body["notes"]


def test_odd_values_never_break_the_list(client, shelf):
    for params in (
        {"words_from": "9" * 40},
        {"tags": "x" * 1000},
        {"tags": ",,,"},
        {"language": "\x00"},
        {"tags": "a\x00b"},
    ):
        response = client.get(WORKS, params)
        assert response.status_code in (200, 400), (params, response.content)


def test_the_openapi_document_describes_the_filters(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/works"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "tags", "exclude_tags", "rating", "warnings", "complete", "language"} <= names
    assert {"words_from", "words_to", "sort", "page", "facets"} <= names


# Searching the text


@pytest.fixture
def story(make_work):
    return make_work(
        title="Starkiller",
        tags=tags(freeform=["Angst"]),
        chapters=["<p>The base was cold.</p>", "<p>“Come find me,” Hux said.</p>"],
        expected_chapters=None,
    )


def test_q_searches_the_text_best_match_first(client, shelf, story):
    body = get(client, q='"come find me"')
    assert titles(body) == ["Starkiller"]
    assert get(client, q="come find me", tags="Fluff")["count"] == 0
    assert get(client, q="-cold", tags="Angst")["count"] == 1  # Gala has Angst, no "cold"


def test_q_travels_with_the_pages_and_the_facets(client, shelf, story):
    body = get(client, q="hux")
    [angst] = [facet for facet in body["facets"]["freeform"] if facet["name"] == "Angst"]
    assert angst["url"] == "http://testserver/api/v1/works?q=hux&tags=Angst"


@pytest.mark.parametrize("query", ['"come find', "NEAR(", "*", "x" * 2000, "\x00", "title:"])
def test_malformed_searches_answer_200(client, shelf, story, query):
    response = client.get(WORKS, {"q": query})
    assert response.status_code == 200, response.content
    assert isinstance(response.json()["notes"], list)


def test_a_huge_search_is_cut_with_a_note(client, shelf, story):
    body = get(client, q="hux " * 200)
    assert "Only the first 500 characters of the search were used." in body["notes"]
