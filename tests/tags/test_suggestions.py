import pytest

from fanshelf.tags.models import Tag, WranglingChange
from fanshelf.tags.suggestions import suggest_tags

pytestmark = pytest.mark.django_db


def canonical(name, type="character", *, parents=(), synonyms=(), usage=0):
    tag = Tag.objects.create(name=name, type=type, canonical=True, usage_count=usage)
    tag.parents.add(*parents)
    for synonym in synonyms:
        Tag.objects.create(name=synonym, type=type, synonym_of=tag)
    return tag


@pytest.fixture
def star_wars():
    """The demo's wrangled tags, built directly."""
    meta = canonical("Star Wars - All Media Types", "fandom")
    sequels = canonical("Star Wars Sequel Trilogy", "fandom", parents=[meta])
    canonical("Kylo Ren", parents=[sequels])
    canonical("Armitage Hux", parents=[sequels], synonyms=["General Hux"])
    canonical("Brendol Hux", parents=[sequels])
    canonical("Snoke", parents=[sequels], synonyms=["Supreme Leader Snoke"])
    canonical(
        "Kylo Ren/Armitage Hux",
        "relationship",
        parents=[sequels],
        synonyms=["Armitage Hux/Kylo Ren", "Kylux"],
    )
    return sequels


def characters(text, **kwargs):
    return suggest_tags(text=text, **kwargs).as_dict()["character"]


def test_whole_names_first_names_and_surnames_are_found(star_wars):
    assert characters("Kylo Ren stood there.") == ["Kylo Ren"]
    assert characters("Kylo stood there.") == ["Kylo Ren"]
    assert characters("Armitage stood there.") == ["Armitage Hux"]


def test_a_capitalised_name_must_appear_capitalised_and_whole():
    canonical("Rey")
    canonical("The Doctor")
    assert characters("Rey ran.") == ["Rey"]
    assert characters("rey ran. Reyes ran. Prey ran.") == []
    assert characters("the doctor will see you now") == []
    assert characters("The Doctor will see you now") == ["The Doctor"]


def test_a_name_in_capitals_is_a_mention_and_one_in_small_letters_matches_any_case():
    canonical("Kylo Ren")
    canonical("bucky")
    assert characters("“KYLO!” he shouted.") == ["Kylo Ren"]
    assert characters("Bucky and BUCKY and bucky") == ["bucky"]
    assert suggest_tags(text="Bucky and BUCKY and bucky").mentions.popitem()[1] == 3


def test_possessives_with_curly_and_straight_apostrophes_are_mentions():
    hux = canonical("Armitage Hux")
    canonical("Miles O'Brien")
    result = suggest_tags(text="Hux's coat. Hux’s gloves. O’Brien’s tools.")
    assert result.as_dict()["character"] == ["Armitage Hux", "Miles O'Brien"]
    assert result.mentions[hux.pk] == 2


def test_html_is_read_as_its_text():
    canonical("Kylo Ren")
    assert characters("<p><em>Kylo</em>&rsquo;s mask</p>") == ["Kylo Ren"]


def test_a_surname_alone_suggests_every_character_who_has_it(star_wars):
    assert set(characters("Hux was perfect.")) == {"Armitage Hux", "Brendol Hux"}
    assert set(characters("Hux met Brendol.")) == {"Armitage Hux", "Brendol Hux"}


def test_a_whole_name_is_one_mention_not_also_a_surname(star_wars):
    result = suggest_tags(text="Brendol Hux sat down.")
    assert result.as_dict()["character"] == ["Brendol Hux"]


def test_a_whole_name_wins_over_a_surname_spelled_the_same():
    canonical("Hux", synonyms=["Armitage Hux"])
    canonical("Brendol Hux")
    assert characters("Hux was perfect.") == ["Hux"]


def test_short_words_titles_and_small_words_do_not_stand_alone(star_wars):
    canonical("Bo Katan")
    canonical("Ben of Naboo")
    assert characters("The General spoke. The Supreme Leader spoke. Bo spoke.") == []
    assert characters("Katan spoke of Naboo.") == ["Ben of Naboo", "Bo Katan"]  # a tie: by name


def test_synonyms_are_found_and_suggest_their_canonical(star_wars):
    assert characters("Supreme Leader Snoke watched.") == ["Snoke"]
    assert characters("General Hux watched.") == ["Armitage Hux"]


def test_characters_are_ranked_by_mentions(star_wars):
    text = "Kylo. Brendol. Brendol. Armitage. Armitage. Armitage."
    assert characters(text) == ["Armitage Hux", "Brendol Hux", "Kylo Ren"]


def test_a_shared_surname_leans_to_the_character_fans_use_most():
    canonical("Armitage Hux", usage=900)
    canonical("Brendol Hux", usage=10)
    assert characters("Hux. Hux. Hux.") == ["Armitage Hux", "Brendol Hux"]


def test_only_canonical_characters_and_their_synonyms_are_suggested():
    Tag.objects.create(name="Kylo Ren", type="character")
    Tag.objects.create(name="Armitage Hux", type="freeform", canonical=True)
    assert characters("Kylo Ren and Armitage Hux") == []


def test_relationships_of_two_suggested_characters_are_suggested(star_wars):
    canonical("Kylo Ren/Armitage Hux/Phasma", "relationship")
    result = suggest_tags(text="Kylo looked at Hux.").as_dict()
    assert result["relationship"] == ["Kylo Ren/Armitage Hux"]
    assert suggest_tags(text="Kylo looked around.").as_dict()["relationship"] == []


def test_a_relationship_is_found_through_synonyms_of_its_name_and_its_characters():
    canonical("Kylo Ren")
    canonical("Armitage Hux", synonyms=["General Hux"])
    canonical("Kylux Endgame", "relationship", synonyms=["Armitage Hux/Kylo Ren"])
    canonical("General Hux & Kylo Ren", "relationship")
    result = suggest_tags(text="Kylo Ren and Armitage Hux").as_dict()["relationship"]
    assert set(result) == {"Kylux Endgame", "General Hux & Kylo Ren"}


def test_fandoms_of_the_suggested_characters_are_suggested(star_wars):
    result = suggest_tags(text="Kylo and Hux").as_dict()
    assert result["fandom"] == ["Star Wars Sequel Trilogy"]


def test_chosen_fandoms_keep_only_their_characters(star_wars):
    potter = canonical("Harry Potter - J. K. Rowling", "fandom")
    canonical("Kylo Potter", parents=[potter])
    text = "Kylo and Hux"
    assert set(characters(text)) == {"Kylo Ren", "Kylo Potter", "Armitage Hux", "Brendol Hux"}
    assert characters(text, fandoms=["Harry Potter - J. K. Rowling"]) == ["Kylo Potter"]
    meta = ["star wars - all media types"]  # any spelling; sub fandoms included
    assert "Kylo Potter" not in characters(text, fandoms=meta)
    assert len(characters(text, fandoms=["A Fandom Nobody Wrangled"])) == 4


def test_tags_already_on_the_work_are_not_suggested_again(star_wars):
    text = "Kylo looked at Hux."
    result = suggest_tags(text=text, tagged=["kylo ren", "Kylux"]).as_dict()
    assert "Kylo Ren" not in result["character"]
    assert result["relationship"] == []
    result = suggest_tags(text=text, tagged=["Kylo Ren", "Armitage Hux"]).as_dict()
    assert result["relationship"] == ["Kylo Ren/Armitage Hux"]


def test_new_names_are_found_at_once(star_wars):
    assert characters("Phasma frowned.") == []
    canonical("Phasma")
    assert characters("Phasma frowned.") == ["Phasma"]
    Tag.objects.filter(name="Phasma").update(name="Captain Phasma")
    assert characters("Phasma frowned.") == ["Captain Phasma"]


def test_suggesting_changes_nothing(star_wars, django_assert_max_num_queries):
    before = list(Tag.objects.values_list("pk", "name", "canonical", "synonym_of_id"))
    with django_assert_max_num_queries(6):
        assert suggest_tags(text="Kylo looked at Hux, and Snoke laughed.")
    assert list(Tag.objects.values_list("pk", "name", "canonical", "synonym_of_id")) == before
    assert not WranglingChange.objects.exists()


def test_a_text_naming_nobody_gets_no_suggestions(star_wars):
    assert not suggest_tags(text="")
    assert not suggest_tags(text="the first order gala")


def test_with_the_demo_tags_the_seed_suggests_its_characters_and_relationship(seed_text):
    """With the demo content's tags, the seed work suggests Kylo Ren, Armitage Hux and
    Brendol Hux, and the relationship Kylo Ren/Armitage Hux."""
    from fanshelf.core.demo import load_demo
    from tests.conftest import SEED

    load_demo(SEED.parent)
    suggested = suggest_tags(text=seed_text).as_dict()
    assert {"Kylo Ren", "Armitage Hux", "Brendol Hux"} <= set(suggested["character"])
    assert suggested["relationship"] == ["Kylo Ren/Armitage Hux"]
    assert suggested["fandom"] == ["Star Wars Sequel Trilogy"]


def test_the_fandom_of_a_suggested_relationship_is_suggested():
    fandom = canonical("Star Wars Sequel Trilogy", "fandom")
    canonical("Kylo Ren")
    canonical("Armitage Hux")
    canonical("Kylo Ren/Armitage Hux", "relationship", parents=[fandom])
    assert suggest_tags(text="Kylo and Hux").as_dict()["fandom"] == ["Star Wars Sequel Trilogy"]
