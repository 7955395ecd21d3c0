"""split_flattened_prose: guessing paragraphs for text that lost its line breaks."""

import random

import pytest

from fanshelf.text.prose import (
    MAX_NARRATIVE_CHARS,
    MAX_NARRATIVE_SENTENCES,
    MAX_PARAGRAPH_CHARS,
    split_flattened_prose,
)


def test_empty_text_has_no_paragraphs():
    assert split_flattened_prose("") == []
    assert split_flattened_prose("   ") == []


def test_text_without_sentence_ends_is_one_paragraph():
    assert split_flattened_prose("no full stop at all") == ["no full stop at all"]


def test_each_new_speaker_starts_a_paragraph():
    text = "“Come here,” Kylo said. “No,” Hux said. “Please?” Kylo asked."

    assert split_flattened_prose(text) == [
        "“Come here,” Kylo said.",
        "“No,” Hux said.",
        "“Please?” Kylo asked.",
    ]


def test_same_speaker_keeps_talking_in_one_paragraph():
    text = "“Come here,” Kylo said. “I want to show you something.” “No,” Hux said."

    assert split_flattened_prose(text) == [
        "“Come here,” Kylo said. “I want to show you something.”",
        "“No,” Hux said.",
    ]


def test_lowercase_attribution_after_question_stays_in_the_sentence():
    text = "“Who are you?” he snarled. “Your superior,” Kylo said."

    assert split_flattened_prose(text) == [
        "“Who are you?” he snarled.",
        "“Your superior,” Kylo said.",
    ]


def test_inverted_attribution_names_the_speaker():
    text = "“Come here,” said Kylo. “Why?” said Hux. “Because,” said Kylo."

    assert len(split_flattened_prose(text)) == 3


def test_pronoun_speakers_he_and_she_are_different():
    text = "“Stay,” she said. “I can’t,” he said."

    assert split_flattened_prose(text) == ["“Stay,” she said.", "“I can’t,” he said."]


def test_quotes_back_to_back_without_punctuation_are_separate_turns():
    text = "“We are going as fast as we–” “Don’t speak back to me!”"

    assert split_flattened_prose(text) == [
        "“We are going as fast as we–”",
        "“Don’t speak back to me!”",
    ]


def test_straight_quotes_are_told_apart_by_position():
    text = '"Hello," Kylo said. "It is me." "Go away," Hux said.'

    assert split_flattened_prose(text) == [
        '"Hello," Kylo said. "It is me."',
        '"Go away," Hux said.',
    ]


def test_single_quote_dialogue_is_recognised():
    text = "‘Hello,’ he said. ‘How are you?’ ‘Fine,’ she said."

    assert split_flattened_prose(text) == [
        "‘Hello,’ he said.",
        "‘How are you?’",
        "‘Fine,’ she said.",
    ]


def test_elision_is_not_an_opening_quote():
    text = "'Cause I said so. " * 12

    paragraphs = split_flattened_prose(text)

    assert len(paragraphs) == 3
    assert all(p.count("'Cause") == 4 for p in paragraphs)


def test_titles_and_initials_do_not_end_sentences():
    text = " ".join(["Mr. Smith met Dr. Jones and J. R. Tolkien."] * 6)

    paragraphs = split_flattened_prose(text)

    assert all(p.startswith("Mr. Smith") for p in paragraphs)


def test_short_action_beat_stays_with_the_line_of_dialogue():
    text = "“Fine,” Hux said. He sighed. “Let’s go.”"

    assert split_flattened_prose(text) == [text]


def test_narration_about_another_speaker_leaves_the_dialogue_paragraph():
    text = "“Fine,” Hux said. “Good,” Kylo said. Hux looked away."

    assert split_flattened_prose(text)[-1] == "Hux looked away."


def test_narration_is_grouped_in_balanced_paragraphs():
    text = " ".join(f"This is narrative sentence {n}." for n in range(12))

    paragraphs = split_flattened_prose(text)

    sizes = [p.count(".") for p in paragraphs]
    assert sizes == [4, 4, 4]


def test_narrative_paragraphs_respect_the_limits():
    rng = random.Random(7)
    words = ["the", "general", "walked", "slowly", "across", "the", "bridge", "and", "stars"]
    sentences = [
        " ".join(rng.choice(words) for _ in range(rng.randint(3, 30))).capitalize() + "."
        for _ in range(200)
    ]

    paragraphs = split_flattened_prose(" ".join(sentences))

    for paragraph in paragraphs:
        assert paragraph.count(".") <= MAX_NARRATIVE_SENTENCES
        assert len(paragraph) <= MAX_NARRATIVE_CHARS or paragraph.count(".") == 1


def test_unclosed_quote_does_not_swallow_the_rest():
    text = "“This quote never closes. " + "And the story goes on and on. " * 200

    paragraphs = split_flattened_prose(text)

    assert len(paragraphs) > 3
    assert max(len(p) for p in paragraphs) <= MAX_PARAGRAPH_CHARS


@pytest.mark.parametrize("seed", range(20))
def test_every_character_is_kept(seed):
    rng = random.Random(seed)
    pieces = ["Kylo", "said", "Hux", "he", "asked", "“", "”", '"', "‘", "’", "'", ".", "!",
              "?", "…", "–", "—", ",", "Mr.", "yes", "No", "and"]  # fmt: skip
    text = " ".join(rng.choice(pieces) for _ in range(400))

    paragraphs = split_flattened_prose(text)

    assert " ".join(paragraphs) == " ".join(text.split())
    assert all(p == p.strip() and p for p in paragraphs)
