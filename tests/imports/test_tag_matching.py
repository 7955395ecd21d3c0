import pytest

from fanshelf.imports.tag_matching import match_tags
from fanshelf.tags.models import Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrangled():
    """A small wrangled archive: canonical tags of each kind, with synonyms."""
    fandom = Tag.objects.create(name="Star Wars Sequel Trilogy", type="fandom", canonical=True)
    Tag.objects.create(name="star wars st", type="fandom", synonym_of=fandom)
    ship = Tag.objects.create(name="Armitage Hux/Kylo Ren", type="relationship", canonical=True)
    Tag.objects.create(name="Kylux", type="relationship", synonym_of=ship)
    Tag.objects.create(name="Kylo Ren", type="character", canonical=True)
    Tag.objects.create(name="Hurt/Comfort", type="freeform", canonical=True)
    Tag.objects.create(name="General Hux", type="character")  # not wrangled yet
    Tag.objects.create(name="my writing", type="freeform")


def test_free_tags_naming_canonical_tags_move_to_their_type(wrangled):
    matched = match_tags(
        {"freeform": ["star wars sequel trilogy", "KYLO REN", "kylux", "my writing", "fanfic"]}
    )
    assert matched == {
        "freeform": ["my writing", "fanfic"],
        "fandom": ["Star Wars Sequel Trilogy"],
        "character": ["Kylo Ren"],
        "relationship": ["Armitage Hux/Kylo Ren"],
    }


def test_a_synonym_is_filed_under_its_canonical_name(wrangled):
    matched = match_tags({"freeform": ["Star Wars ST", "kylux"]})
    assert matched["fandom"] == ["Star Wars Sequel Trilogy"]
    assert matched["relationship"] == ["Armitage Hux/Kylo Ren"]
    assert matched["freeform"] == []


def test_unwrangled_and_canonical_free_tags_stay_free_tags(wrangled):
    names = ["General Hux", "hurt/comfort", "ao3", "writeblr"]
    assert match_tags({"freeform": names}) == {"freeform": names}


def test_a_tag_already_given_is_not_added_twice_and_other_types_are_kept(wrangled):
    tags = {
        "rating": ["Teen And Up Audiences"],
        "fandom": ["star wars sequel trilogy"],
        "freeform": ["Star Wars Sequel Trilogy", "kylux", "Kylux"],
    }
    matched = match_tags(tags)
    assert matched == {
        "rating": ["Teen And Up Audiences"],
        "fandom": ["star wars sequel trilogy"],
        "relationship": ["Armitage Hux/Kylo Ren"],
        "freeform": [],
    }
    assert tags["freeform"] == ["Star Wars Sequel Trilogy", "kylux", "Kylux"]


def test_all_names_are_looked_up_in_one_query(wrangled, django_assert_num_queries):
    with django_assert_num_queries(1):
        match_tags({"freeform": [f"tag {number}" for number in range(30)] + ["kylux"]})
    with django_assert_num_queries(0):
        assert match_tags({"fandom": ["Star Wars"]}) == {"fandom": ["Star Wars"]}
