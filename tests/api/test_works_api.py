"""The works API, told as what a client does and what it gets back."""

import pytest
from django.test import Client

from fanshelf.accounts.services import issue_api_token
from fanshelf.api.schemas import ChapterOut, WorkOut
from fanshelf.works.export import work_to_dict
from fanshelf.works.models import Work
from tests.api_client import ApiClient
from tests.conftest import STANDARD_TAGS

WORKS = "/api/v1/works"


@pytest.fixture
def guest(client):
    return ApiClient(client=client)


@pytest.fixture
def as_author(author):
    return ApiClient(issue_api_token(user=author))


@pytest.fixture
def as_reader(reader):
    return ApiClient(issue_api_token(user=reader))


def new_work(**changes):
    body = {
        "title": "Perfect",
        "summary": "Hux is perfect, or so Kylo thinks.",
        "tags": STANDARD_TAGS,
        "chapters": [{"title": "One", "body_html": "<p>Kylo had always seen Hux as perfect.</p>"}],
    }
    body.update(changes)
    return body


def titles(response):
    return [work["title"] for work in response.json()["results"]]


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert field in body["errors"], body
        assert all(isinstance(message, str) for message in body["errors"][field])
    return body


# Listing


def test_guest_lists_only_posted_unrestricted_works(guest, make_work):
    make_work(title="Public")
    make_work(title="Locked", restricted=True)
    make_work(title="Unfinished", state="draft")

    response = guest.get(WORKS)

    assert response.status_code == 200
    assert titles(response) == ["Public"]
    assert response.json()["count"] == 1
    assert "chapters" not in response.json()["results"][0]


def test_reader_with_token_also_lists_restricted_works(as_reader, make_work):
    make_work(title="Public")
    make_work(title="Locked", restricted=True)
    make_work(title="Unfinished", state="draft")

    assert sorted(titles(as_reader.get(WORKS))) == ["Locked", "Public"]


def test_creator_lists_own_drafts_after_posted_works(as_author, make_work):
    make_work(title="Unfinished", state="draft")
    make_work(title="Public")

    assert titles(as_author.get(WORKS)) == ["Public", "Unfinished"]


def test_list_summary_is_the_export_shape_without_chapters(guest, make_work):
    work = make_work()

    [summary] = guest.get(WORKS).json()["results"]

    expected = work_to_dict(Work.objects.get(pk=work.pk), chapters=[])
    del expected["chapters"]
    assert summary == expected


def test_list_pages_newest_revised_first(guest, make_work):
    for number in range(21):
        make_work(title=f"Work {number}")

    first = guest.get(WORKS).json()
    second = guest.get(WORKS, page=2).json()

    assert first["count"] == 21
    assert first["page"] == 1
    assert len(first["results"]) == 20
    assert first["results"][0]["title"] == "Work 20"
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/works?page=2"
    assert [work["title"] for work in second["results"]] == ["Work 0"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/works?page=1"


def test_page_past_the_end_is_404_json(guest, make_work):
    make_work()
    assert_error(guest.get(WORKS, page=3), 404)


def test_page_zero_is_a_validation_error(db, guest):
    assert_error(guest.get(WORKS, page=0), 400, "page")


def test_list_queries_do_not_grow_with_works(as_reader, make_work, django_assert_max_num_queries):
    for number in range(20):
        make_work(title=f"Work {number}", anonymous=number % 2 == 0)

    # token lookup and its last-used update, has the reader drafts?, whom the reader
    # mutes, count, works, creators, tags; the facets: sampled works, filter tags,
    # unwrangled tags, the tags
    with django_assert_max_num_queries(12):
        response = as_reader.get(WORKS)
    assert len(response.json()["results"]) == 20
    with django_assert_max_num_queries(8):
        response = as_reader.get(WORKS, facets="false")
    assert len(response.json()["results"]) == 20


# Reading one work


def test_work_is_the_export_shape_with_posted_chapters(guest, make_work):
    work = make_work(chapters=["<p>One.</p>", "<p>Two.</p>"], expected_chapters=None)

    response = guest.get(f"{WORKS}/{work.pk}")

    assert response.status_code == 200
    work = Work.objects.get(pk=work.pk)
    assert response.json() == work_to_dict(work, chapters=list(work.chapters.all()))


def test_drafts_of_others_are_never_visible(guest, as_reader, make_work):
    draft = make_work(title="Unfinished", state="draft")

    for caller in (guest, as_reader):
        assert_error(caller.get(f"{WORKS}/{draft.pk}"), 404)
        assert "Unfinished" not in titles(caller.get(WORKS))


def test_missing_and_invisible_works_answer_alike(guest, make_work):
    draft = make_work(state="draft")

    hidden = guest.get(f"{WORKS}/{draft.pk}").json()
    missing = guest.get(f"{WORKS}/999999").json()

    assert hidden == missing


def test_restricted_work_needs_a_token(guest, as_reader, make_work):
    work = make_work(restricted=True)

    assert_error(guest.get(f"{WORKS}/{work.pk}"), 404)
    assert as_reader.get(f"{WORKS}/{work.pk}").status_code == 200


def test_creator_reads_own_draft_with_its_chapters(as_author, make_work):
    draft = make_work(state="draft")

    response = as_author.get(f"{WORKS}/{draft.pk}")

    assert response.status_code == 200
    assert response.json()["state"] == "draft"
    assert len(response.json()["chapters"]) == 1


def test_bad_token_is_401_even_for_reads(client, make_work):
    make_work()

    response = ApiClient("fs_not-a-real-token", client=client).get(WORKS)

    assert_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_work_hides_creators_except_from_its_creator(guest, as_author, make_work):
    work = make_work(anonymous=True)

    assert guest.get(f"{WORKS}/{work.pk}").json()["creators"] == []
    assert guest.get(WORKS).json()["results"][0]["creators"] == []
    own = as_author.get(f"{WORKS}/{work.pk}").json()
    assert own["creators"] == [{"pseud": "smolhux", "user": "smolhux"}]
    assert as_author.get(WORKS).json()["results"][0]["creators"] == own["creators"]


# Posting


def test_post_work_answers_201_with_the_export_shape(as_author):
    chapter = {"body_html": "<p>Hux was perfect.<script>alert(1)</script></p>"}

    response = as_author.post(WORKS, new_work(chapters=[chapter]))

    assert response.status_code == 201, response.content
    body = response.json()
    work = Work.objects.get(pk=body["id"])
    assert body == work_to_dict(work, reveal_anonymous=True)
    assert response["Location"] == f"/api/v1/works/{work.pk}"
    assert body["state"] == "posted"
    assert body["creators"] == [{"pseud": "smolhux", "user": "smolhux"}]
    assert body["tags"]["fandom"] == ["Star Wars Sequel Trilogy"]
    assert body["chapter_count"] == 1
    assert body["expected_chapters"] == 1
    assert body["complete"] is True
    assert "script" not in body["chapters"][0]["body_html"]
    assert "alert" not in body["chapters"][0]["body_html"]


def test_post_draft_is_hidden_from_others(as_author, guest):
    response = as_author.post(WORKS, new_work(state="draft"))

    assert response.status_code == 201
    assert response.json()["state"] == "draft"
    assert_error(guest.get(f"{WORKS}/{response.json()['id']}"), 404)


def test_plain_text_chapter_becomes_paragraphs(as_author):
    body = new_work(
        text_format="plain",
        chapters=[{"body": "Hux looked up.\n\nKylo <b>did</b> not."}],
    )

    response = as_author.post(WORKS, body)

    assert response.status_code == 201, response.content
    chapter_html = response.json()["chapters"][0]["body_html"]
    assert "<p>Hux looked up.</p>" in chapter_html
    assert "<p>Kylo &lt;b&gt;did&lt;/b&gt; not.</p>" in chapter_html


def test_exported_work_can_be_posted_back(as_author, make_work):
    exported = work_to_dict(make_work(expected_chapters=None, series="Kylux verse"))

    response = as_author.post(WORKS, exported)

    assert response.status_code == 201, response.content
    again = response.json()
    assert again["id"] != exported["id"]
    for field in ("title", "summary", "tags", "expected_chapters", "chapter_count", "word_count"):
        assert again[field] == exported[field]
    assert again["series"]["title"] == "Kylux verse"
    assert again["chapters"][0]["body_html"] == exported["chapters"][0]["body_html"]


def test_several_chapters_default_to_a_complete_work(as_author):
    chapters = [{"body": "<p>One.</p>"}, {"body": "<p>Two.</p>"}]

    body = as_author.post(WORKS, new_work(chapters=chapters)).json()

    assert (body["chapter_count"], body["expected_chapters"], body["complete"]) == (2, 2, True)


def test_post_as_another_pseud(as_author, author):
    author.pseuds.create(name="Starkiller")

    body = as_author.post(WORKS, new_work(pseud="Starkiller")).json()

    assert body["creators"] == [{"pseud": "Starkiller", "user": "smolhux"}]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": None}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"tags": {**STANDARD_TAGS, "rating": "Rated PG"}}, "rating"),
        ({"tags": {**STANDARD_TAGS, "fandom": []}}, "fandom"),
        ({"tags": {**STANDARD_TAGS, "fandoms": ["Star Wars"]}}, "tags.fandoms"),
        ({"chapters": [{"body_html": "   "}]}, "body"),
        ({"chapters": [{"body_html": "<p><script>only this</script></p>"}]}, "body"),
        ({"chapters": [{"title": "No text"}]}, "chapters.0.body_html"),
        ({"chapters": []}, "body"),
        ({"chapters": "Once upon a time"}, "chapters"),
        ({"expected_chapters": "many"}, "expected_chapters"),
        ({"expected_chapters": 0}, "expected_chapters"),
        ({"restricted": "maybe"}, "restricted"),
        ({"title": 42}, "title"),
        ({"state": "scheduled"}, "state"),
        ({"comment_policy": "everyone"}, "comment_policy"),
        ({"language": "English"}, "language"),
        ({"pseud": "Nobody"}, "pseud"),
    ],
)
def test_invalid_work_is_400_with_field_errors(as_author, changes, field):
    body = new_work(**changes)
    if changes == {"title": None}:
        del body["title"]

    response = as_author.post(WORKS, body)

    assert_error(response, 400, field)
    assert not Work.objects.exists()


def test_validation_detail_is_a_readable_sentence(as_author):
    body = new_work(title="", tags={**STANDARD_TAGS, "rating": ""})

    detail = assert_error(as_author.post(WORKS, body), 400, "title")["detail"]

    assert "Please give your work a title." in detail
    assert "Please choose a rating." in detail


def test_schema_error_detail_names_the_field(as_author):
    body = new_work(expected_chapters="many")

    detail = as_author.post(WORKS, body).json()["detail"]

    assert detail == "expected_chapters: This should be a whole number."


def test_malformed_json_is_400_json(as_author):
    response = as_author.post(WORKS, raw='{"title": "Perfect",')

    body = assert_error(response, 400, "__all__")
    assert "JSON" in body["detail"]


@pytest.mark.parametrize("raw", ["", "[1, 2]", '"Perfect"'])
def test_body_must_be_a_json_object(as_author, raw):
    assert_error(as_author.post(WORKS, raw=raw), 400, "__all__")


def test_post_without_token_is_401(db, guest):
    assert_error(guest.post(WORKS, new_work()), 401)
    assert not Work.objects.exists()


def test_post_with_bad_token_is_401(db, client):
    assert_error(ApiClient("fs_made-up", client=client).post(WORKS, new_work()), 401)


def test_session_login_cannot_write(client, author):
    client.force_login(author)

    assert_error(ApiClient(client=client).post(WORKS, new_work()), 401)


def test_token_writes_need_no_csrf_token(author):
    strict = ApiClient(issue_api_token(user=author), client=Client(enforce_csrf_checks=True))

    assert strict.post(WORKS, new_work()).status_code == 201


# Editing


def test_non_creator_cannot_patch(as_reader, make_work):
    work = make_work()

    body = assert_error(as_reader.patch(f"{WORKS}/{work.pk}", {"title": "Mine now"}), 403)

    assert body["detail"] == "Only the work's creators can change it."
    work.refresh_from_db()
    assert work.title == "Perfect"


def test_patch_of_invisible_work_is_404(as_reader, make_work):
    draft = make_work(state="draft")

    assert_error(as_reader.patch(f"{WORKS}/{draft.pk}", {"title": "Mine now"}), 404)


def test_patch_without_token_is_401(guest, make_work):
    work = make_work()

    assert_error(guest.patch(f"{WORKS}/{work.pk}", {"title": "Mine now"}), 401)


def test_patch_title_and_some_tag_types(as_author, make_work):
    work = make_work()

    response = as_author.patch(
        f"{WORKS}/{work.pk}",
        {"title": "Perfect, Again", "tags": {"freeform": ["Fluff", "Pining"]}},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Perfect, Again"
    assert body["tags"]["freeform"] == ["Fluff", "Pining"]
    # Tag types left out keep their tags.
    assert body["tags"]["fandom"] == ["Star Wars Sequel Trilogy"]
    assert body["tags"]["rating"] == ["Teen And Up Audiences"]


def test_patch_state_posted_publishes_a_draft(as_author, guest, make_work):
    draft = make_work(state="draft")

    response = as_author.patch(f"{WORKS}/{draft.pk}", {"state": "posted"})

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "posted"
    assert response.json()["published_at"] is not None
    assert guest.get(f"{WORKS}/{draft.pk}").json()["chapter_count"] == 1


def test_failed_publish_changes_nothing(as_author, make_work):
    tags = {key: value for key, value in STANDARD_TAGS.items() if key != "fandom"}
    draft = make_work(state="draft", tags=tags)

    response = as_author.patch(f"{WORKS}/{draft.pk}", {"title": "Ready?", "state": "posted"})

    assert_error(response, 400, "fandom")
    draft.refresh_from_db()
    assert (draft.title, draft.state) == ("Perfect", "draft")


def test_posted_work_cannot_become_a_draft(as_author, make_work):
    work = make_work()

    assert_error(as_author.patch(f"{WORKS}/{work.pk}", {"state": "draft"}), 400, "state")


def test_patch_restricted_hides_the_work_from_guests(as_author, guest, make_work):
    work = make_work()

    response = as_author.patch(f"{WORKS}/{work.pk}", {"restricted": True, "anonymous": True})

    assert response.json()["restricted"] is True
    assert response.json()["anonymous"] is True
    assert response.json()["creators"] != []
    assert_error(guest.get(f"{WORKS}/{work.pk}"), 404)


def test_patch_series_and_expected_chapters(as_author, make_work):
    work = make_work()

    body = as_author.patch(
        f"{WORKS}/{work.pk}", {"series": {"title": "Kylux verse"}, "expected_chapters": None}
    ).json()
    assert body["series"] == {"title": "Kylux verse", "position": 1}
    assert (body["expected_chapters"], body["complete"]) == (None, False)

    body = as_author.patch(f"{WORKS}/{work.pk}", {"series": None}).json()
    assert body["series"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"titel": "Typo"}, "titel"),
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"restricted": None}, "restricted"),
        ({"tags": {"rating": "Rated PG"}}, "rating"),
        ({"tags": {"fandom": []}}, "fandom"),
    ],
)
def test_invalid_patch_is_400_and_changes_nothing(as_author, make_work, body, field):
    work = make_work()

    assert_error(as_author.patch(f"{WORKS}/{work.pk}", body), 400, field)
    assert as_author.get(f"{WORKS}/{work.pk}").json() == work_to_dict(
        Work.objects.get(pk=work.pk), reveal_anonymous=True
    )
    assert Work.objects.get(pk=work.pk).title == "Perfect"


# Deleting


def test_delete_answers_204_then_the_work_is_gone(as_author, make_work):
    work = make_work()

    response = as_author.delete(f"{WORKS}/{work.pk}")

    assert response.status_code == 204
    assert response.content == b""
    assert_error(as_author.get(f"{WORKS}/{work.pk}"), 404)
    assert_error(as_author.delete(f"{WORKS}/{work.pk}"), 404)


def test_non_creator_cannot_delete(as_reader, make_work):
    work = make_work()

    assert_error(as_reader.delete(f"{WORKS}/{work.pk}"), 403)
    assert Work.objects.filter(pk=work.pk).exists()


# Chapters


def test_add_chapter_to_work_of_unknown_length(as_author, make_work):
    work = make_work(expected_chapters=None)

    response = as_author.post(
        f"{WORKS}/{work.pk}/chapters", {"title": "Two", "body_html": "<p>Hux smiled.</p>"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["chapter_count"], body["expected_chapters"], body["complete"]) == (2, None, False)
    assert [chapter["title"] for chapter in body["chapters"]] == ["", "Two"]
    assert body["chapters"][1]["position"] == 2
    assert Work.objects.get(pk=work.pk).chapters_display == "2/?"


def test_chapter_beyond_the_expected_count_raises_it(as_author, make_work):
    work = make_work()  # 1/1

    body = as_author.post(f"{WORKS}/{work.pk}/chapters", {"body": "More."}).json()

    assert (body["chapter_count"], body["expected_chapters"], body["complete"]) == (2, 2, True)


def test_draft_chapter_is_shown_only_to_its_creator(as_author, as_reader, make_work):
    work = make_work(expected_chapters=None)

    as_author.post(f"{WORKS}/{work.pk}/chapters", {"body": "Not yet.", "state": "draft"})

    assert len(as_author.get(f"{WORKS}/{work.pk}").json()["chapters"]) == 2
    seen = as_reader.get(f"{WORKS}/{work.pk}").json()
    assert (len(seen["chapters"]), seen["chapter_count"]) == (1, 1)


def test_non_creator_cannot_add_a_chapter(as_reader, make_work):
    work = make_work()

    assert_error(as_reader.post(f"{WORKS}/{work.pk}/chapters", {"body": "Mine."}), 403)


def test_empty_chapter_is_400(as_author, make_work):
    work = make_work()

    assert_error(as_author.post(f"{WORKS}/{work.pk}/chapters", {"body": ""}), 400, "body")


# Errors outside the endpoints


def test_unknown_endpoint_is_404_json(db, guest):
    assert_error(guest.get("/api/v1/authors"), 404)


def test_wrong_method_is_405_json(as_author, make_work):
    work = make_work()

    response = as_author.send("put", f"{WORKS}/{work.pk}", {"title": "Replaced"})

    assert_error(response, 405)
    assert "PATCH" in response["Allow"]


def test_non_numeric_id_is_400_json(db, guest):
    assert_error(guest.get(f"{WORKS}/perfect"), 400, "work_id")


def test_unexpected_failure_is_500_json(guest, make_work, monkeypatch):
    work = make_work()

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("fanshelf.api.works.work_to_dict", broken)
    response = guest.get(f"{WORKS}/{work.pk}")

    body = assert_error(response, 500)
    assert "disk on fire" not in body["detail"]


# The documented shape


def test_output_schemas_describe_every_exported_field(make_work):
    work = make_work(series="Kylux verse")
    exported = work_to_dict(work, reveal_anonymous=True)

    assert set(WorkOut.model_fields) == set(exported)
    assert set(ChapterOut.model_fields) == set(exported["chapters"][0])
    assert WorkOut.model_validate(exported).model_dump(mode="json") == exported
