import pytest

from fanshelf.discovery.search.query import (
    MAX_CHARACTERS,
    MAX_WORDS,
    SearchQuery,
    Term,
    parse,
    words_of,
)
from fanshelf.discovery.search.sqlite import fts_string, match_expression


def terms(text):
    return [(term.text, term.field, term.exclude) for term in parse(text).terms]


def test_words_and_phrases_are_terms_that_must_all_match():
    assert terms('hux "come find me"') == [("hux", None, False), ("come find me", None, False)]
    assert parse('"come find me"').terms[0].is_phrase


def test_a_minus_leaves_out_words_and_phrases():
    assert terms('hux -angst -"first order"') == [
        ("hux", None, False),
        ("angst", None, True),
        ("first order", None, True),
    ]


def test_field_prefixes_limit_a_word_or_phrase_to_one_field():
    assert terms('title:perfect summary:"gala event" notes:tumblr tags:angst creator:smolhux') == [
        ("perfect", "title", False),
        ("gala event", "summary", False),
        ("tumblr", "notes", False),
        ("angst", "tags", False),
        ("smolhux", "creators", False),
    ]
    assert terms("Author:smolhux tag:fluff -TITLE:draft") == [
        ("smolhux", "creators", False),
        ("fluff", "tags", False),
        ("draft", "title", True),
    ]


def test_an_unknown_prefix_is_plain_text_searched_as_a_phrase():
    assert terms("http://example.org/hux") == [("http example org hux", None, False)]
    assert terms("Hux/Kylo arm-rest") == [("Hux Kylo", None, False), ("arm rest", None, False)]


def test_apostrophes_inside_words_stay():
    assert words_of("don't Kylo’s 'quoted'") == ["don't", "Kylo’s", "quoted"]


def test_han_and_kana_characters_are_words_of_their_own():
    assert terms("我爱你 Hux的猫 カタカナ") == [
        ("我 爱 你", None, False),
        ("Hux 的 猫", None, False),
        ("カ タ カ ナ", None, False),
    ]


def test_curly_quotes_make_phrases_too():
    assert terms("“come find me”") == [("come find me", None, False)]


def test_an_unclosed_quote_makes_the_rest_a_phrase_and_says_so():
    query = parse('hux "come find me')
    assert terms('hux "come find me') == [("hux", None, False), ("come find me", None, False)]
    assert query.notes == ("A quotation mark was not closed; the rest was read as a phrase.",)


@pytest.mark.parametrize(
    "text", ["NEAR(", "NEAR(hux kylo, 3)", "hux*", "^hux", "(hux)", "{title}:x"]
)
def test_search_engine_syntax_is_read_as_words(text):
    query = parse(text)
    for term in query.terms:
        assert all(word.isalnum() for word in term.words)


def test_and_or_are_skipped_and_not_leaves_out_with_a_note():
    assert terms("hux AND kylo OR ren") == [
        ("hux", None, False),
        ("kylo", None, False),
        ("ren", None, False),
    ]
    assert terms("hux NOT angst") == [("hux", None, False), ("angst", None, True)]
    assert "AND and OR are not needed" in parse("hux AND kylo").notes[0]
    # Quoted or lower case, they are words.
    assert terms('"and" or') == [("and", None, False), ("or", None, False)]


def test_only_operators_or_punctuation_is_an_empty_search():
    assert parse("AND OR NOT").is_empty
    assert parse("*").is_empty
    assert parse("-") is SearchQuery.empty
    assert parse("   ") is SearchQuery.empty
    assert parse("") is SearchQuery.empty
    assert parse(None) is SearchQuery.empty


def test_a_prefix_with_nothing_after_it_says_what_is_missing():
    query = parse("title:")
    assert query.is_empty
    assert query.notes == ("“title:” needs a word or a phrase right after it.",)
    assert terms("title: hux") == [("hux", None, False)]


def test_a_search_that_only_leaves_out_keeps_its_exclusions_and_says_so():
    query = parse("-angst")
    assert not query.is_empty
    assert not query.has_text
    assert [term.text for term in query.excluded] == ["angst"]
    assert query.notes == (
        "The search only leaves words out, so it shows every work without them.",
    )


def test_huge_input_is_cut_to_the_first_characters_and_words():
    query = parse("x" * 10_000)
    assert len(query.terms[0].text) == MAX_CHARACTERS
    assert query.notes == (f"Only the first {MAX_CHARACTERS} characters of the search were used.",)

    many = parse(" ".join(f"word{n}" for n in range(100)))
    assert sum(len(term.words) for term in many.terms) == MAX_WORDS
    assert f"Only the first {MAX_WORDS} words of the search were used." in many.notes

    long_phrase = parse('"' + " ".join(f"w{n}" for n in range(40)) + '"')
    assert len(long_phrase.terms[0].words) == MAX_WORDS
    assert long_phrase.notes


def test_repeated_terms_count_once():
    assert terms("hux Hux HUX -angst -angst") == [("hux", None, False), ("angst", None, True)]


def test_a_query_writes_back_as_it_was_understood():
    assert str(parse('title:"come find me"  -angst hux')) == 'title:"come find me" -angst hux'


def test_sql_in_the_search_box_is_just_words():
    assert terms("'); DROP TABLE works_work; --") == [
        ("DROP", None, False),
        ("TABLE", None, False),
        ("works work", None, False),
    ]


def test_fts5_strings_quote_every_term_and_double_inner_quotes():
    assert fts_string(['a"b', "c"]) == '"a""b c"'
    expression = match_expression([Term(("come", "find", "me")), Term(("perfect",), field="title")])
    assert expression == '"come find me" AND title : "perfect"'
    assert match_expression([Term(("a",)), Term(("b",))], any_term=True) == '"a" OR "b"'


def test_a_term_only_names_known_fields():
    with pytest.raises(ValueError):
        Term(("x",), field="body) OR (1")
