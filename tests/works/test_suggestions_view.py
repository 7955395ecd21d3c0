"""Suggested tags on the posting and add-chapter forms: shown on preview, added only when ticked."""

import re

import pytest
from django.urls import reverse

from fanshelf.tags.models import Tag
from fanshelf.works.models import Work
from fanshelf.works.services import tags_by_type

pytestmark = pytest.mark.django_db

FORM = {
    "rating": "Teen And Up Audiences",
    "warning": ["No Archive Warnings Apply"],
    "category": ["M/M"],
    "fandom": "Star Wars Sequel Trilogy",
    "relationship": "",
    "character": "Kylo Ren",
    "freeform": "One Shot",
    "title": "The Gala",
    "pseud": "smolhux",
    "summary": "",
    "notes": "",
    "series": "",
    "expected_chapters": "1",
    "language": "en",
    "comment_policy": "open",
    "chapter_title": "",
    "text_format": "plain",
    "body": "Kylo had always seen Hux as perfect. Brendol Hux disagreed.",
    "end_notes": "",
}


def canonical(name, type="character", *, parents=(), synonyms=()):
    tag = Tag.objects.create(name=name, type=type, canonical=True)
    tag.parents.add(*parents)
    for synonym in synonyms:
        Tag.objects.create(name=synonym, type=type, synonym_of=tag)
    return tag


@pytest.fixture
def star_wars():
    sequels = canonical("Star Wars Sequel Trilogy", "fandom")
    for name in ("Kylo Ren", "Armitage Hux", "Brendol Hux"):
        canonical(name, parents=[sequels])
    ship = ["Armitage Hux/Kylo Ren", "Kylux"]
    canonical("Kylo Ren/Armitage Hux", "relationship", parents=[sequels], synonyms=ship)
    return sequels


def checkboxes(page: str, type: str) -> list[str]:
    return re.findall(rf'name="accept_{type}" value="([^"]+)"', page)


def test_preview_suggests_tags_the_author_has_not_typed_unticked(client, author, star_wars):
    client.force_login(author)
    page = client.post(reverse("works:new"), {**FORM, "action": "preview"}).content.decode()
    assert "Suggested tags" in page
    assert checkboxes(page, "character") == ["Brendol Hux", "Armitage Hux"]  # by mentions
    assert checkboxes(page, "relationship") == ["Kylo Ren/Armitage Hux"]
    assert checkboxes(page, "fandom") == []  # already typed
    boxes = re.findall(r'<input type="checkbox" name="accept_[^>]*>', page)
    assert len(boxes) == 3 and not any("checked" in box for box in boxes)
    assert not Work.objects.exists()


def test_ticked_suggestions_are_added_to_the_typed_tags_when_posting(client, author, star_wars):
    client.force_login(author)
    data = {
        **FORM,
        "action": "post",
        "accept_character": ["Armitage Hux"],
        "accept_relationship": ["Kylo Ren/Armitage Hux"],
    }
    response = client.post(reverse("works:new"), data)
    work = Work.objects.get()
    assert response.status_code == 302
    tags = tags_by_type(work)
    assert tags["character"] == ["Armitage Hux", "Kylo Ren"]
    assert tags["relationship"] == ["Kylo Ren/Armitage Hux"]
    assert "Brendol Hux" not in tags["character"]


def test_unticked_suggestions_are_never_added(client, author, star_wars):
    client.force_login(author)
    client.post(reverse("works:new"), {**FORM, "action": "draft"})
    tags = tags_by_type(Work.objects.get())
    assert tags["character"] == ["Kylo Ren"] and tags["relationship"] == []


def test_ticking_and_previewing_again_moves_the_tags_into_the_fields(client, author, star_wars):
    client.force_login(author)
    data = {**FORM, "action": "preview", "accept_character": ["Brendol Hux"]}
    page = client.post(reverse("works:new"), data).content.decode()
    assert 'value="Kylo Ren, Brendol Hux"' in page
    assert checkboxes(page, "character") == ["Armitage Hux"]


def test_a_typed_synonym_counts_as_its_canonical(client, author, star_wars):
    client.force_login(author)
    data = {**FORM, "relationship": "kylux", "action": "preview"}
    page = client.post(reverse("works:new"), data).content.decode()
    assert checkboxes(page, "relationship") == []


def test_a_text_naming_nobody_shows_no_suggestions(client, author, star_wars):
    client.force_login(author)
    data = {**FORM, "body": "Nobody here.", "action": "preview"}
    page = client.post(reverse("works:new"), data).content.decode()
    assert "Suggested tags" not in page


def test_preview_of_a_new_chapter_suggests_and_posting_adds_ticked_ones(
    client, author, make_work, star_wars
):
    work = make_work(
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "character": ["Kylo Ren"],
        }
    )
    client.force_login(author)
    url = reverse("works:add_chapter", args=[work.pk])
    chapter = {"body": "Armitage Hux waited for Kylo.", "text_format": "plain"}
    page = client.post(url, {**chapter, "action": "preview"}).content.decode()
    assert checkboxes(page, "character") == ["Armitage Hux"]
    assert checkboxes(page, "relationship") == ["Kylo Ren/Armitage Hux"]
    assert work.chapters.count() == 1

    data = {**chapter, "action": "post", "accept_character": ["Armitage Hux"]}
    response = client.post(url, data)
    assert response.status_code == 302
    assert work.chapters.count() == 2
    assert tags_by_type(work)["character"] == ["Armitage Hux", "Kylo Ren"]
    assert tags_by_type(work)["relationship"] == []
