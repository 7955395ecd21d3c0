"""The tags API, told as what an author, a reader and a wrangler do and get back."""

import pytest
from django.urls import reverse

from fanshelf.accounts.services import issue_api_token
from fanshelf.api.tag_schemas import (
    SUGGEST_TEXT_MAX_LENGTH,
    ChangePageOut,
    SuggestionsOut,
    TagHitsOut,
    TagOut,
    WrangleOut,
)
from fanshelf.tags.models import Tag, WranglingChange
from fanshelf.works.models import FilterTagging
from tests.api.test_works_api import assert_error
from tests.api_client import ApiClient
from tests.conftest import STANDARD_TAGS as STANDARD

TAGS = "/api/v1/tags"
CHANGES = "/api/v1/tags/changes"


def tag(name, type="character", *, canonical=False, usage=0, synonym_of=None, parents=()):
    made = Tag.objects.create(
        name=name, type=type, canonical=canonical, usage_count=usage, synonym_of=synonym_of
    )
    made.parents.add(*parents)
    return made


def names(response):
    assert response.status_code == 200, response.content
    return [hit["name"] for hit in response.json()["results"]]


@pytest.fixture
def guest(client):
    return ApiClient(client=client)


@pytest.fixture
def wrangler(make_user):
    return make_user("tagwrangler", role="wrangler")


@pytest.fixture
def as_wrangler(wrangler):
    return ApiClient(issue_api_token(user=wrangler))


@pytest.fixture
def as_reader(reader):
    return ApiClient(issue_api_token(user=reader))


@pytest.fixture
def as_author(author):
    return ApiClient(issue_api_token(user=author))


@pytest.fixture
def star_wars(db):
    """A small wrangled corner of the archive."""
    franchise = tag("Star Wars - All Media Types", "fandom", canonical=True, usage=40)
    sequels = tag("Star Wars Sequel Trilogy", "fandom", canonical=True, usage=30,
                  parents=[franchise])  # fmt: skip
    tag("SWST", "fandom", synonym_of=sequels)
    potter = tag("Harry Potter - J. K. Rowling", "fandom", canonical=True, usage=90)
    kylo = tag("Kylo Ren", canonical=True, usage=12, parents=[sequels])
    tag("Ben Solo", canonical=True, usage=20, parents=[sequels])
    tag("kylo ren (star wars)", synonym_of=kylo, usage=3)
    tag("Armitage Hux", canonical=True, usage=9, parents=[sequels])
    tag("Kylux", "relationship", usage=2)
    kylux = tag("Armitage Hux/Kylo Ren", "relationship", canonical=True, usage=7,
                parents=[sequels])  # fmt: skip
    tag("Kingsley Shacklebolt", canonical=True, usage=50, parents=[potter])
    tag("Kylo Ren Has Issues", "freeform", usage=1)
    return {"sequels": sequels, "kylo": kylo, "kylux": kylux, "potter": potter}


# Autocomplete


def test_guest_autocompletes_canonical_tags_first_then_the_most_used(guest, star_wars):
    response = guest.get(TAGS, q="k")

    assert names(response) == [
        "Kingsley Shacklebolt",
        "Kylo Ren",
        "kylo ren (star wars)",
        "Kylux",
        "Kylo Ren Has Issues",
    ]
    first = response.json()["results"][1]
    assert first == {
        "id": star_wars["kylo"].pk,
        "name": "Kylo Ren",
        "type": "character",
        "canonical": True,
        "usage_count": 12,
        "url": "http://127.0.0.1:8000" + reverse("tags:detail", args=["Kylo Ren"]),
    }


@pytest.mark.parametrize("q", ["kylo r", "KYLO R", "Kylo   R", "ｋｙｌｏ ｒ", "kylo r"])
def test_prefix_matches_any_case_spacing_or_width(guest, star_wars, q):
    assert names(guest.get(TAGS, q=q, type="character")) == ["Kylo Ren", "kylo ren (star wars)"]


def test_only_the_start_of_a_name_matches(guest, star_wars):
    assert names(guest.get(TAGS, q="ren")) == []


def test_type_keeps_one_type(guest, star_wars):
    assert names(guest.get(TAGS, q="ky", type="relationship")) == ["Kylux"]
    assert names(guest.get(TAGS, q="st", type="fandom")) == [
        "Star Wars - All Media Types",
        "Star Wars Sequel Trilogy",
    ]


def test_fandoms_scope_characters_and_may_repeat(guest, star_wars):
    sequels_only = guest.get(TAGS, q="k", type="character", fandom="Star Wars Sequel Trilogy")
    both = guest.client.get(
        TAGS, {"q": "k", "type": "character", "fandom": ["SWST", "harry potter - j. k. rowling"]}
    )

    assert names(sequels_only) == ["Kylo Ren", "kylo ren (star wars)"]
    assert names(both) == ["Kingsley Shacklebolt", "Kylo Ren", "kylo ren (star wars)"]


def test_a_meta_fandom_scopes_to_the_characters_of_its_sub_fandoms(guest, star_wars):
    found = guest.get(TAGS, q="b", type="character", fandom="Star Wars - All Media Types")

    assert names(found) == ["Ben Solo"]


def test_fandoms_without_a_match_fall_back_to_every_fandom(guest, star_wars):
    found = guest.get(TAGS, q="kings", type="character", fandom="Star Wars Sequel Trilogy")

    assert names(found) == ["Kingsley Shacklebolt"]


def test_limit_defaults_to_10_and_stops_at_50(guest, db):
    Tag.objects.bulk_create(
        Tag(name=f"Trooper {n:02}", normalized_name=f"trooper {n:02}", type="character")
        for n in range(60)
    )

    assert len(names(guest.get(TAGS, q="troop"))) == 10
    assert len(names(guest.get(TAGS, q="troop", limit=50))) == 50
    assert_error(guest.get(TAGS, q="troop", limit=51), 400, "limit")
    assert_error(guest.get(TAGS, q="troop", limit=0), 400, "limit")


@pytest.mark.parametrize("q", ["", " ", None])
def test_nothing_typed_is_no_results_not_an_error(guest, star_wars, q):
    response = guest.get(TAGS) if q is None else guest.get(TAGS, q=q)

    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_unknown_type_is_400(guest, star_wars):
    assert_error(guest.get(TAGS, q="k", type="ship"), 400, "type")


def test_autocomplete_is_one_query_and_may_be_cached(
    guest, star_wars, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = guest.get(TAGS, q="kylo", type="character")

    assert response["Cache-Control"] == "max-age=60"


# Reading a tag


def test_anyone_looks_up_a_tag_by_name_in_any_spelling(guest, star_wars):
    response = guest.get(f"{TAGS}/lookup", name="  armitage HUX/kylo ren ")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Armitage Hux/Kylo Ren"
    assert [parent["name"] for parent in body["parents"]] == ["Star Wars Sequel Trilogy"]


def test_a_tag_shows_its_canonical_synonyms_parents_and_children(guest, star_wars):
    kylo = guest.get(f"{TAGS}/{star_wars['kylo'].pk}").json()
    sequels = guest.get(f"{TAGS}/{star_wars['sequels'].pk}").json()
    synonym = guest.get(f"{TAGS}/lookup", name="kylo ren (star wars)").json()

    assert kylo["synonym_of"] is None
    assert [t["name"] for t in kylo["synonyms"]] == ["kylo ren (star wars)"]
    assert [t["name"] for t in kylo["parents"]] == ["Star Wars Sequel Trilogy"]
    assert [t["name"] for t in sequels["parents"]] == ["Star Wars - All Media Types"]
    # By type, then name; a synonym ("SWST") is not a child.
    assert [t["name"] for t in sequels["children"]] == [
        "Armitage Hux",
        "Ben Solo",
        "Kylo Ren",
        "Armitage Hux/Kylo Ren",
    ]
    assert synonym["synonym_of"]["name"] == "Kylo Ren"


def test_unknown_tags_are_404_json(guest, star_wars):
    assert_error(guest.get(f"{TAGS}/999999"), 404)
    assert "999999" in guest.get(f"{TAGS}/999999").json()["detail"]
    assert_error(guest.get(f"{TAGS}/lookup", name="Nobody"), 404)


# Who may wrangle

ACTIONS = [
    ("canonical", {"canonical": True}),
    ("synonym", {"synonym_of": "Kylo Ren"}),
    ("parents/add", {"parent": "Star Wars Sequel Trilogy"}),
    ("parents/remove", {"parent": "Star Wars Sequel Trilogy"}),
    ("rename", {"name": "Kylux (Star Wars)"}),
]


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_wrangling_needs_a_token(guest, star_wars, action, body):
    kylux = Tag.objects.get(name="Kylux")

    assert_error(guest.post(f"{TAGS}/{kylux.pk}/{action}", body), 401)


@pytest.mark.parametrize(("action", "body"), ACTIONS)
@pytest.mark.parametrize("who", ["as_reader", "as_author"])
def test_only_wranglers_wrangle(request, star_wars, action, body, who):
    kylux = Tag.objects.get(name="Kylux")
    api = request.getfixturevalue(who)

    response = api.post(f"{TAGS}/{kylux.pk}/{action}", body)

    assert_error(response, 403)
    assert "wrangler" in response.json()["detail"]
    assert not WranglingChange.objects.exists()


def test_non_wranglers_cannot_probe_tag_ids(as_reader, db):
    assert_error(as_reader.post(f"{TAGS}/999999/canonical", {}), 403)


def test_the_log_and_the_bins_are_for_wranglers_only(guest, as_reader, star_wars):
    for url in (CHANGES, f"{TAGS}/unwrangled"):
        assert_error(guest.get(url), 401)
        assert_error(as_reader.get(url), 403)
    assert_error(as_reader.post(f"{CHANGES}/1/revert", {}), 403)


def test_a_wrong_token_is_401(client, star_wars):
    api = ApiClient("fs_not-a-token", client=client)

    assert_error(api.post(f"{TAGS}/{star_wars['kylo'].pk}/canonical", {}), 401)


# Wrangling actions


def test_dry_run_says_what_would_change_and_changes_nothing(as_wrangler, star_wars, make_work):
    make_work(tags={**STANDARD, "relationship": ["Kylux"]})
    kylux = Tag.objects.get(name="Kylux")

    response = as_wrangler.post(
        f"{TAGS}/{kylux.pk}/synonym", {"synonym_of": "armitage hux/kylo ren", "dry_run": True}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True
    assert body["changed"] is True
    assert body["works_moved"] == 1
    assert body["tag"]["synonym_of"]["name"] == "Armitage Hux/Kylo Ren"  # as it would be
    assert body["change"] is None
    kylux.refresh_from_db()
    assert kylux.synonym_of is None
    assert not WranglingChange.objects.exists()


def test_merging_a_synonym_moves_its_works_under_the_canonical(
    as_wrangler, wrangler, star_wars, make_work, django_capture_on_commit_callbacks
):
    work = make_work(tags={**STANDARD, "relationship": ["Kylux"]})
    kylux = Tag.objects.get(name="Kylux")

    with django_capture_on_commit_callbacks(execute=True):
        response = as_wrangler.post(
            f"{TAGS}/{kylux.pk}/synonym", {"synonym_of": "Armitage Hux/Kylo Ren"}
        )

    body = response.json()
    assert body["dry_run"] is False
    assert body["works_moved"] == 1
    assert body["change"]["action"] == "synonym"
    assert body["change"]["user"] == wrangler.username
    assert body["change"]["other"]["name"] == "Armitage Hux/Kylo Ren"
    assert FilterTagging.objects.filter(work=work, tag=star_wars["kylux"]).exists()


def test_make_canonical_and_back(as_wrangler, star_wars):
    kylux = Tag.objects.get(name="Kylux")
    url = f"{TAGS}/{kylux.pk}/canonical"

    made = as_wrangler.post(url, {})
    again = as_wrangler.post(url, {"canonical": True})
    unmade = as_wrangler.post(url, {"canonical": False})

    assert made.json()["tag"]["canonical"] is True
    assert made.json()["change"]["action"] == "canonical"
    assert again.json()["changed"] is False
    assert again.json()["works_moved"] == 0
    assert again.json()["change"] is None
    assert unmade.json()["tag"]["canonical"] is False
    assert unmade.json()["change"]["action"] == "uncanonical"


def test_a_synonym_cannot_be_made_canonical(as_wrangler, star_wars):
    synonym = Tag.objects.get(name="kylo ren (star wars)")

    response = as_wrangler.post(f"{TAGS}/{synonym.pk}/canonical", {"dry_run": True})

    assert_error(response, 400, "__all__")
    assert "kylo ren (star wars)" in response.json()["detail"]


def test_synonym_of_a_tag_that_is_not_canonical_is_refused_naming_it(as_wrangler, star_wars):
    kylux = Tag.objects.get(name="Kylux")

    response = as_wrangler.post(f"{TAGS}/{kylux.pk}/synonym", {"synonym_of": "Kylo Ren Has Issues"})

    assert_error(response, 400)
    assert "Kylo Ren Has Issues" in response.json()["detail"]
    assert "canonical" in response.json()["detail"]


def test_synonym_of_another_type_is_refused(as_wrangler, star_wars):
    kylux = Tag.objects.get(name="Kylux")

    response = as_wrangler.post(f"{TAGS}/{kylux.pk}/synonym", {"synonym_of": "Kylo Ren"})

    assert_error(response, 400)
    assert "same type" in response.json()["detail"]


def test_synonym_of_an_unknown_tag_names_the_field(as_wrangler, star_wars):
    kylux = Tag.objects.get(name="Kylux")

    response = as_wrangler.post(f"{TAGS}/{kylux.pk}/synonym", {"synonym_of": "Hux/Ren"})

    assert_error(response, 400, "synonym_of")
    assert "Hux/Ren" in response.json()["detail"]


def test_synonym_of_null_makes_it_its_own_tag_again(as_wrangler, star_wars):
    synonym = Tag.objects.get(name="kylo ren (star wars)")

    response = as_wrangler.post(f"{TAGS}/{synonym.pk}/synonym", {"synonym_of": None})

    assert response.json()["tag"]["synonym_of"] is None
    assert response.json()["change"]["action"] == "unsynonym"


def test_add_and_remove_a_fandom(as_wrangler, star_wars, make_work):
    # Nothing else on the work puts it under the Sequel Trilogy.
    tags = {**STANDARD, "fandom": ["Space Opera"], "relationship": ["Kylux"], "character": []}
    make_work(tags=tags)
    kylux = Tag.objects.get(name="Kylux")
    as_wrangler.post(f"{TAGS}/{kylux.pk}/canonical", {})

    preview = as_wrangler.post(
        f"{TAGS}/{kylux.pk}/parents/add", {"parent": "Star Wars Sequel Trilogy", "dry_run": True}
    )
    refused = as_wrangler.post(f"{TAGS}/{kylux.pk}/parents/add", {"parent": "SWST"})
    added = as_wrangler.post(
        f"{TAGS}/{kylux.pk}/parents/add", {"parent": "star wars sequel trilogy"}
    )
    removed = as_wrangler.post(
        f"{TAGS}/{kylux.pk}/parents/remove", {"parent": "Star Wars Sequel Trilogy"}
    )

    assert preview.json()["works_moved"] == 1
    assert preview.json()["tag"]["parents"][0]["name"] == "Star Wars Sequel Trilogy"
    assert_error(refused, 400)  # a synonym is not canonical, so it cannot be a parent
    assert "SWST" in refused.json()["detail"]
    assert [p["name"] for p in added.json()["tag"]["parents"]] == ["Star Wars Sequel Trilogy"]
    assert added.json()["works_moved"] == 1
    assert removed.json()["tag"]["parents"] == []
    assert removed.json()["change"]["action"] == "remove_parent"


def test_a_meta_tag_cycle_is_refused_and_nothing_changes(as_wrangler, db):
    angst = tag("Angst", "freeform", canonical=True)
    tag("Angst with a Happy Ending", "freeform", canonical=True, parents=[angst])
    happy = Tag.objects.get(name="Angst with a Happy Ending")

    response = as_wrangler.post(
        f"{TAGS}/{angst.pk}/parents/add", {"parent": "Angst with a Happy Ending"}
    )

    assert_error(response, 400)
    assert "cycle" in response.json()["detail"]
    assert not angst.parents.exists()
    assert list(happy.parents.all()) == [angst]
    assert not WranglingChange.objects.exists()


def test_rename_moves_no_works(as_wrangler, star_wars, make_work):
    make_work()
    kylo = star_wars["kylo"]

    preview = as_wrangler.post(f"{TAGS}/{kylo.pk}/rename", {"name": "Ben Solo", "dry_run": True})
    renamed = as_wrangler.post(f"{TAGS}/{kylo.pk}/rename", {"name": "Kylo Ren (Sequel Trilogy)"})

    assert_error(preview, 400)  # the name is taken
    assert "Ben Solo" in preview.json()["detail"]
    assert renamed.json()["works_moved"] == 0
    assert renamed.json()["tag"]["name"] == "Kylo Ren (Sequel Trilogy)"
    assert renamed.json()["change"]["old_value"] == "Kylo Ren"


@pytest.mark.parametrize("name", ["Kylo, Ren", "!!!", "x" * 151, ""])
def test_bad_new_names_are_400(as_wrangler, star_wars, name):
    response = as_wrangler.post(f"{TAGS}/{star_wars['kylo'].pk}/rename", {"name": name})

    assert_error(response, 400)
    assert Tag.objects.filter(name="Kylo Ren").exists()


def test_fixed_tags_are_not_wrangled(as_wrangler, db):
    rating = Tag.objects.get(name="Explicit")

    assert_error(as_wrangler.post(f"{TAGS}/{rating.pk}/canonical", {"canonical": False}), 400)


def test_unknown_fields_and_tags_are_refused(as_wrangler, star_wars):
    kylo = star_wars["kylo"]

    assert_error(as_wrangler.post(f"{TAGS}/{kylo.pk}/canonical", {"canon": True}), 400, "canon")
    assert_error(as_wrangler.post(f"{TAGS}/999999/canonical", {}), 404)


# The log and reverting


def test_the_log_lists_changes_newest_first_with_who_and_what(as_wrangler, wrangler, star_wars):
    kylux = Tag.objects.get(name="Kylux")
    as_wrangler.post(f"{TAGS}/{kylux.pk}/canonical", {})
    as_wrangler.post(f"{TAGS}/{kylux.pk}/rename", {"name": "Kylux!"})

    body = as_wrangler.get(CHANGES).json()

    assert body["count"] == 2
    assert [c["action"] for c in body["results"]] == ["rename", "canonical"]
    assert body["results"][0]["user"] == wrangler.username
    assert body["results"][0]["tag"]["name"] == "Kylux!"
    assert body["results"][0]["new_value"] == "Kylux!"


def test_the_log_is_paginated_and_filters_by_tag(as_wrangler, wrangler, star_wars):
    kylo = star_wars["kylo"]
    WranglingChange.objects.bulk_create(
        WranglingChange(user=wrangler, action="rename", tag=kylo, old_value="a", new_value="b")
        for _ in range(51)
    )
    WranglingChange.objects.create(user=wrangler, action="canonical", tag=star_wars["kylux"])

    first = as_wrangler.get(CHANGES, tag=kylo.pk).json()
    second = as_wrangler.get(first["next"]).json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert f"tag={kylo.pk}" in first["next"]
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert_error(as_wrangler.get(CHANGES, page=9), 404)


def test_revert_undoes_a_change_and_logs_the_undoing(as_wrangler, star_wars):
    kylux = Tag.objects.get(name="Kylux")
    as_wrangler.post(f"{TAGS}/{kylux.pk}/canonical", {})
    change = WranglingChange.objects.get()

    preview = as_wrangler.post(f"{CHANGES}/{change.pk}/revert", {"dry_run": True})
    reverted = as_wrangler.post(f"{CHANGES}/{change.pk}/revert")  # no body at all
    again = as_wrangler.post(f"{CHANGES}/{change.pk}/revert", {})

    assert preview.json()["tag"]["canonical"] is False
    assert preview.json()["change"] is None
    assert reverted.status_code == 200, reverted.content
    assert reverted.json()["change"]["action"] == "uncanonical"
    assert reverted.json()["change"]["reverts"] == change.pk
    kylux.refresh_from_db()
    assert kylux.canonical is False
    assert_error(again, 400)
    assert "already" in again.json()["detail"]
    log = as_wrangler.get(CHANGES).json()["results"]
    assert log[1]["reverted_by"] == log[0]["id"]


def test_reverting_an_unknown_change_is_404(as_wrangler, db):
    assert_error(as_wrangler.post(f"{CHANGES}/999999/revert", {}), 404)


def test_wranglers_find_unwrangled_tags_most_used_first(as_wrangler, star_wars):
    body = as_wrangler.get(f"{TAGS}/unwrangled").json()
    relationships = as_wrangler.get(f"{TAGS}/unwrangled", type="relationship").json()

    assert [t["name"] for t in body["results"]] == ["Kylux", "Kylo Ren Has Issues"]
    assert [t["name"] for t in relationships["results"]] == ["Kylux"]
    assert_error(as_wrangler.get(f"{TAGS}/unwrangled", fandom="Nowhere"), 400, "fandom")


# Suggestions


def test_suggestions_need_a_token(guest, db):
    assert_error(guest.post(f"{TAGS}/suggest", {"text": "Hux"}), 401)


def test_suggestions_name_characters_relationships_and_fandoms(as_author, star_wars):
    text = "<p>Hux looked at Kylo Ren. “Ren,” Hux said, and Kylo smiled.</p>"

    response = as_author.post(f"{TAGS}/suggest", {"text": text})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"fandom", "character", "relationship"}
    assert {"Kylo Ren", "Armitage Hux"} <= set(body["character"])
    assert "Armitage Hux/Kylo Ren" in body["relationship"]
    assert "Star Wars Sequel Trilogy" in body["fandom"]
    SuggestionsOut.model_validate(body)


def test_suggestions_keep_to_the_fandoms_named(as_author, star_wars):
    response = as_author.post(
        f"{TAGS}/suggest",
        {"text": "Kingsley and Hux.", "fandoms": ["Harry Potter - J. K. Rowling"]},
    )

    assert "Armitage Hux" not in response.json()["character"]


def test_suggestions_refuse_a_text_over_the_limit(as_author, db):
    response = as_author.post(f"{TAGS}/suggest", {"text": "a" * (SUGGEST_TEXT_MAX_LENGTH + 1)})

    assert_error(response, 400, "text")
    assert "600,000" in response.json()["detail"]


def test_a_body_too_large_to_read_is_413_json(as_author, db, settings):
    # Escaped as \u00e9, each é is 6 bytes of JSON: more than Django reads.
    text = "é" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 6 + 1)
    response = as_author.post(f"{TAGS}/suggest", {"text": text})

    assert_error(response, 413)


def test_suggestions_need_a_text(as_author, db):
    assert_error(as_author.post(f"{TAGS}/suggest", {"fandoms": []}), 400, "text")


# The description of the API


def test_openapi_lists_the_tag_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths["/api/v1/tags"]) == {"get"}
    assert {} in paths["/api/v1/tags"]["get"]["security"]
    assert set(paths["/api/v1/tags/{tag_id}"]) == {"get"}
    for action in ("canonical", "synonym", "parents/add", "parents/remove", "rename"):
        assert paths[f"/api/v1/tags/{{tag_id}}/{action}"]["post"]["security"] == [
            {"BearerToken": []}
        ]
    assert set(paths["/api/v1/tags/changes/{change_id}/revert"]) == {"post"}
    assert set(paths["/api/v1/tags/suggest"]) == {"post"}


def test_output_schemas_describe_the_answers(as_wrangler, star_wars):
    kylux = Tag.objects.get(name="Kylux")
    answers = [
        (TagHitsOut, as_wrangler.get(TAGS, q="k").json()),
        (TagOut, as_wrangler.get(f"{TAGS}/{star_wars['sequels'].pk}").json()),
        (WrangleOut, as_wrangler.post(f"{TAGS}/{kylux.pk}/canonical", {}).json()),
        (ChangePageOut, as_wrangler.get(CHANGES).json()),
    ]

    for schema, answer in answers:
        assert schema.model_validate(answer).model_dump(mode="json") == answer


# The posting page


def test_posting_page_marks_tag_fields_and_loads_the_script(client, author):
    client.force_login(author)

    page = client.get(reverse("works:new")).content.decode()

    assert 'src="/static/fanshelf/autocomplete.js"' in page
    for tag_type in ("fandom", "relationship", "character", "freeform"):
        assert f'data-autocomplete="{tag_type}"' in page
    assert page.count('autocomplete="off"') >= 4
    script = client.get("/static/fanshelf/autocomplete.js")
    assert script.status_code == 200
    assert b"role" in b"".join(script.streaming_content)
