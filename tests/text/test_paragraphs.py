"""text_to_html: plain text to paragraphs, including prose that lost its line breaks."""

import html
import re
from pathlib import Path

import pytest

from fanshelf.text import text_to_html

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "000_761434c73575d7c8.txt"


def paragraphs_of(body):
    """The text of each <p> in ``body``, unescaped, with <br> shown as a newline."""
    found = re.findall(r"<p>(.*?)</p>", body, flags=re.DOTALL)
    return [html.unescape(p.replace("<br>\n", "\n")) for p in found]


@pytest.fixture
def seed_text():
    if not SEED.exists():
        pytest.skip(f"seed work not found at {SEED} (it lives in shared/, outside the repo)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_story(seed_text):
    """The seed without its trailing author's notes (the importer splits those off)."""
    story, notes, _ = seed_text.partition(" Notes: ")
    assert notes, "the seed should end with author's notes"
    return story


def test_blank_lines_separate_paragraphs():
    text = "Kylo had always seen Hux as perfect.\n\nHe never told him.\n\n\n\nInstead he sneered."

    assert text_to_html(text) == (
        "<p>Kylo had always seen Hux as perfect.</p>\n"
        "<p>He never told him.</p>\n"
        "<p>Instead he sneered.</p>"
    )


def test_whitespace_only_lines_count_as_blank():
    assert paragraphs_of(text_to_html("One.\n   \t\nTwo.")) == ["One.", "Two."]


def test_single_newline_becomes_br():
    assert text_to_html("Roses are red,\nviolets are blue.") == (
        "<p>Roses are red,<br>\nviolets are blue.</p>"
    )


def test_windows_and_old_mac_line_endings_are_normalised():
    assert text_to_html("One\r\ntwo\r\n\r\nThree\rfour") == (
        "<p>One<br>\ntwo</p>\n<p>Three<br>\nfour</p>"
    )


def test_markup_in_plain_text_is_shown_not_parsed():
    body = text_to_html('He typed <script>alert("hi")</script> & <b>bold</b>.')

    assert "<script" not in body
    assert "<b>" not in body
    assert body == (
        '<p>He typed &lt;script&gt;alert("hi")&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;.</p>'
    )


@pytest.mark.parametrize("text", ["", "  ", "\n\n\r\n", "\t"])
def test_empty_text_gives_empty_string(text):
    assert text_to_html(text) == ""


def test_short_text_without_line_breaks_is_one_paragraph():
    text = "A short one-line summary. It has two sentences. “And a quote,” she said."

    assert paragraphs_of(text_to_html(text)) == [text]


def test_output_is_already_sanitised():
    from fanshelf.text import sanitize_html

    body = text_to_html("One\n\nTwo & <three>")

    assert sanitize_html(body) == body


def test_long_flattened_text_is_split_into_paragraphs():
    text = " ".join(f"Sentence number {n} of the story goes on for a while." for n in range(40))

    paragraphs = paragraphs_of(text_to_html(text))

    assert len(paragraphs) > 5
    assert " ".join(paragraphs) == text


def test_seed_keeps_every_character(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    assert " ".join(paragraphs) == " ".join(seed_story.split())


def test_seed_with_notes_does_not_crash(seed_text):
    paragraphs = paragraphs_of(text_to_html(seed_text))

    assert " ".join(paragraphs) == " ".join(seed_text.split())
    assert paragraphs[-1].startswith("Notes: I wrote this on tumblr")


def test_seed_opens_with_narration_before_the_first_line_of_dialogue(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    assert paragraphs[0].startswith("Kylo had always seen Hux as perfect.")
    first_dialogue = next(i for i, p in enumerate(paragraphs) if p.startswith("“"))
    assert first_dialogue >= 2
    assert paragraphs[first_dialogue].startswith("“You must be proud,” Kylo said")


def test_seed_paragraphs_have_readable_lengths(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    assert 25 <= len(paragraphs) <= 60
    assert max(len(p) for p in paragraphs) <= 600


def test_seed_same_speaker_after_attribution_stays_in_paragraph(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    assert "“Hux…” Kylo said softly. “I meant everything I said back there.”" in paragraphs
    assert (
        "“Care to join me for a drink, General?” Kylo asked, looking directly at Hux. "
        "“I am quite done conversing with these uncivilized creatures.”"
    ) in paragraphs


def test_seed_question_and_answer_are_two_paragraphs(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    question = paragraphs.index("“Why did you do that?” Hux finally asked.")
    assert paragraphs[question + 1] == (
        '“I was tired of seeing you allow yourself to be treated that way," Kylo said. '
        '"You know that you are better than him, don’t you?”'
    )


def test_seed_unattributed_exchange_is_one_paragraph_per_turn(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    look = paragraphs.index("“Look how thin you still are, have you stopped your training?”")
    assert paragraphs[look + 1 : look + 7] == [
        "“No, sir.”",
        "“And why is Starkiller not complete yet? If it were me, it would have been finished "
        "months ago.”",
        "“We are going as fast as we–”",
        "“Don’t speak back to me, insulate boy!”",
        "“Sorry, sir.”",
        "“There are no room for excuses, this is your responsibility. When I allowed you to keep "
        "my name it was not so that you could embarrass me. You will not fail, do you "
        "understand me?”",
    ]


def test_seed_narration_about_someone_else_starts_a_paragraph(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    brendol = paragraphs.index(
        "“Proud of Armitage? He could do better,” Brendol replied offhandedly."
    )
    assert paragraphs[brendol + 1].startswith("Kylo was not expecting this sort of reaction.")


def test_seed_speech_interrupted_by_attribution_is_one_paragraph(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    speech = next(p for p in paragraphs if p.startswith("“I,” Kylo said"))
    assert speech.endswith("I suggest that you show him some respect.”")
    assert "“Who the kriff are you to speak to me this way?” he snarled." in paragraphs


def test_seed_stammered_reply_is_its_own_paragraph(seed_story):
    paragraphs = paragraphs_of(text_to_html(seed_story))

    assert paragraphs[-2] == "“P…Perfect?”"
    assert paragraphs[-1].startswith("“Yes, Hux.")
    assert paragraphs[-1].endswith("“Come find me, and I will remind you.”")
