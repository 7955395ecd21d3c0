"""Sentence ends and quotation marks in running prose."""

from fanshelf.text.sentences import quote_marks, split_sentences


def sentences_of(text):
    return [text[s.start : s.end] for s in split_sentences(text, quote_marks(text))]


def test_sentences_end_at_terminal_punctuation_and_closing_quotes():
    assert sentences_of("He left. “Why?” Nobody knew! Then… Silence.") == [
        "He left.",
        "“Why?”",
        "Nobody knew!",
        "Then…",
        "Silence.",
    ]


def test_lowercase_word_after_the_end_continues_the_sentence():
    assert sentences_of("“Who are you?” he snarled. Fine.") == [
        "“Who are you?” he snarled.",
        "Fine.",
    ]


def test_ellipsis_without_space_is_not_an_end():
    assert sentences_of("I know…I know. Yes.") == ["I know…I know.", "Yes."]


def test_titles_and_initials_do_not_end_sentences():
    assert sentences_of("Mr. Hux met J. Kylo. They talked.") == [
        "Mr. Hux met J. Kylo.",
        "They talked.",
    ]


def test_back_to_back_quotes_are_two_sentences():
    assert sentences_of("“As fast as we–” “Don’t!”") == ["“As fast as we–”", "“Don’t!”"]


def test_each_sentence_knows_where_it_stands_to_quotations():
    text = "“Go. Now.” He went. 'Stop,' she said."

    found = [(s.in_quote, s.opens_quote) for s in split_sentences(text, quote_marks(text))]

    assert found == [(False, True), (True, False), (False, False), (False, True)]


def test_straight_double_quotes_are_classified_by_position():
    text = 'He said "go" and "stay."'

    assert quote_marks(text) == {8: True, 11: False, 17: True, 23: False}


def test_apostrophes_and_elisions_are_not_quotes():
    assert quote_marks("Kylo’s boots, don't. 'Cause I said so.") == {}


def test_text_of_only_whitespace_has_no_sentences():
    assert sentences_of("   ") == []
