"""The autocomplete query: what an author sees suggested as they type a tag."""

import pytest

from fanshelf.tags.autocomplete import MAX_LIMIT, autocomplete_tags, prefix_key
from fanshelf.tags.models import Tag

pytestmark = pytest.mark.django_db

CHARACTER, RELATIONSHIP, FANDOM, FREEFORM = "character", "relationship", "fandom", "freeform"


def tag(name, type=CHARACTER, *, canonical=False, usage=0, synonym_of=None, parents=()):
    made = Tag.objects.create(
        name=name, type=type, canonical=canonical, usage_count=usage, synonym_of=synonym_of
    )
    made.parents.add(*parents)
    return made


def names(tags):
    return [t.name for t in tags]


def test_canonical_tags_come_first_then_the_most_used_then_by_name():
    tag("Kylo Ren", canonical=True, usage=5)
    tag("kylo ren (star wars)", usage=900)
    tag("Kylo Ren's Helmet", FREEFORM, canonical=True, usage=40)
    tag("Kylux", RELATIONSHIP, usage=300)
    tag("kylo", usage=300)

    assert names(autocomplete_tags(q="kyl")) == [
        "Kylo Ren's Helmet",
        "Kylo Ren",
        "kylo ren (star wars)",
        "kylo",
        "Kylux",
    ]


def test_prefix_matches_any_case_width_and_unicode_form():
    tag("Zoë Washburne", canonical=True)
    tag("Straße", FREEFORM)

    assert names(autocomplete_tags(q="ZOË")) == ["Zoë Washburne"]
    assert names(autocomplete_tags(q="Zoe\u0308 W")) == ["Zoë Washburne"]  # combining diaeresis
    assert names(autocomplete_tags(q="ｚｏë")) == ["Zoë Washburne"]  # full-width letters
    assert names(autocomplete_tags(q="STRASS")) == ["Straße"]
    assert autocomplete_tags(q="zoe") == []


def test_only_names_starting_with_the_text_match():
    tag("Armitage Hux", canonical=True)
    tag("Brendol Hux", canonical=True)

    assert names(autocomplete_tags(q="armitage h")) == ["Armitage Hux"]
    assert autocomplete_tags(q="hux") == []


def test_names_going_on_with_any_character_match():
    # An emoji sorts above U+FFFF: the range must reach the last code point.
    tag("Ren🔥 Appreciation", FREEFORM)

    assert names(autocomplete_tags(q="ren")) == ["Ren🔥 Appreciation"]


def test_a_trailing_space_ends_the_word():
    tag("Kylo Ren", canonical=True)
    tag("Kylor", canonical=True)

    assert names(autocomplete_tags(q="kylo ")) == ["Kylo Ren"]
    assert prefix_key("  Kylo   ") == "kylo "


@pytest.mark.parametrize("q", ["", " ", "\t\n"])
def test_nothing_typed_suggests_nothing(q):
    tag("Kylo Ren", canonical=True)

    assert autocomplete_tags(q=q) == []


def test_type_keeps_one_type():
    tag("Rey", canonical=True)
    tag("Reylo", RELATIONSHIP, canonical=True)

    assert names(autocomplete_tags(q="rey", type=RELATIONSHIP)) == ["Reylo"]


def test_limit_is_kept_within_bounds():
    for number in range(60):
        tag(f"Stormtrooper {number:02}")

    assert len(autocomplete_tags(q="storm")) == 10
    assert len(autocomplete_tags(q="storm", limit=3)) == 3
    assert len(autocomplete_tags(q="storm", limit=500)) == MAX_LIMIT


@pytest.fixture
def two_fandoms():
    star_wars = tag("Star Wars", FANDOM, canonical=True)
    sequels = tag("Star Wars Sequel Trilogy", FANDOM, canonical=True, parents=[star_wars])
    tag("SW", FANDOM, synonym_of=star_wars)
    harry_potter = tag("Harry Potter", FANDOM, canonical=True)
    rey = tag("Rey", canonical=True, usage=10, parents=[sequels])
    tag("Rey Skywalker", synonym_of=rey)
    tag("Reynard", canonical=True, usage=50, parents=[harry_potter])
    tag("Reylo", RELATIONSHIP, canonical=True, usage=5, parents=[star_wars])
    tag("Reyna", usage=99)  # not wrangled: in no fandom
    tag("Reykjavik", FREEFORM, canonical=True, usage=1)


def test_fandoms_keep_their_characters_and_those_of_their_sub_fandoms(two_fandoms):
    found = autocomplete_tags(q="rey", type=CHARACTER, fandoms=["Star Wars"])

    assert names(found) == ["Rey", "Rey Skywalker"]


def test_a_fandom_may_be_named_by_a_synonym_in_any_case(two_fandoms):
    found = autocomplete_tags(q="rey", type=RELATIONSHIP, fandoms=["sw"])

    assert names(found) == ["Reylo"]


def test_fandoms_leave_other_types_alone(two_fandoms):
    found = autocomplete_tags(q="rey", fandoms=["Harry Potter"])

    assert names(found) == ["Reynard", "Reykjavik"]


def test_fandoms_without_a_match_fall_back_to_every_fandom(two_fandoms):
    tag("Doctor Who", FANDOM, canonical=True)

    found = autocomplete_tags(q="rey", type=CHARACTER, fandoms=["Doctor Who"])

    assert names(found) == ["Reynard", "Rey", "Reyna", "Rey Skywalker"]


def test_unknown_fandoms_scope_nothing(two_fandoms):
    found = autocomplete_tags(q="reyn", type=CHARACTER, fandoms=["No Such Fandom", ""])

    assert names(found) == ["Reynard", "Reyna"]


def test_one_query_without_fandoms(django_assert_num_queries):
    tag("Kylo Ren", canonical=True)

    with django_assert_num_queries(1):
        autocomplete_tags(q="kylo", type=CHARACTER)


def test_few_queries_with_fandoms(two_fandoms, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        autocomplete_tags(q="rey", type=CHARACTER, fandoms=["Star Wars", "Harry Potter"])
