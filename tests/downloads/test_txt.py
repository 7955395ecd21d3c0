"""TXT downloads: front matter, wrapping at 78 columns, headings, notes, anonymity."""

import unicodedata

import pytest
from django.contrib.auth.models import AnonymousUser

from fanshelf.core.demo import load_demo
from fanshelf.downloads import formats
from fanshelf.downloads.book import book_for
from fanshelf.downloads.formats import txt_format
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, post_work
from tests.conftest import SEED

LONG_URL = "https://example.org/" + "very-long-path-segment/" * 6 + "end"
PROSE = (
    "<p>Kylo had always seen Hux as perfect. He never told him, because that would be "
    "admitting defeat. Instead, he chose to belittle Hux and undermine him, which was "
    "easier than the alternative and much, much worse.</p>"
)


def columns(line: str) -> int:
    return sum(
        0
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(c) in ("W", "F")
        else 1
        for c in line
    )


def text_of(work) -> str:
    data = txt_format.render(book_for(work_id=work.pk, viewer=AnonymousUser()))
    assert isinstance(data, bytes)
    return data.decode("utf-8")


@pytest.fixture
def story(author):
    return post_work(
        user=author,
        title="Perfect",
        summary="<p>Kylo meets Brendol at a gala.</p>",
        notes="<p>For Kylux Week.</p>",
        end_notes="<p>Come chat with me on tumblr!</p>",
        series="Kylux Week",
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "relationship": ["Armitage Hux/Kylo Ren"],
            "character": ["Kylo Ren", "Armitage Hux"],
            "freeform": ["One Shot", "Hux Has Daddy Issues"],
        },
        chapters=[
            ChapterText(
                title="The Gala",
                summary="<p>A party.</p>",
                notes="<p>Chapter one notes.</p>",
                body=PROSE,
                end_notes="<p>Chapter one end notes.</p>",
            ),
            ChapterText(title="", body="<p>The balcony, afterwards.</p>"),
        ],
    )


def test_front_matter_has_title_byline_tags_series_stats_and_url(story):
    text = text_of(story)
    front = text.split("Chapter 1: The Gala")[0]

    assert front.splitlines()[1] == "Perfect"
    assert "by smolhux" in front
    assert "Rating: Teen And Up Audiences" in front
    assert "Archive Warning: No Archive Warnings Apply" in front
    assert "Fandom: Star Wars Sequel Trilogy" in front
    assert "Character: Armitage Hux, Kylo Ren" in front
    assert "Additional Tags: Hux Has Daddy Issues, One Shot" in front
    assert "Series: Part 1 of Kylux Week <http://" in front
    for stat in ("Published: ", "Words: ", "Chapters: 2/2", "Kudos: 0", "Comments: 0"):
        assert stat in front
    assert "Bookmarks: 0" in front and "Hits: 0" in front
    assert f"URL: {story_url(story)}" in front
    assert "Summary\n-------\n\nKylo meets Brendol at a gala." in front
    assert "Notes\n-----\n\nFor Kylux Week." in front


def story_url(work) -> str:
    from django.conf import settings

    return settings.SITE_URL + work.get_absolute_url()


def test_chapters_have_headings_summaries_notes_and_end_notes_in_order(story):
    text = text_of(story)

    order = [
        "Chapter 1: The Gala\n===================",
        "Chapter Summary\n---------------\n\nA party.",
        "Chapter Notes\n-------------\n\nChapter one notes.",
        "Kylo had always seen Hux as perfect.",
        "Chapter End Notes\n-----------------\n\nChapter one end notes.",
        "Chapter 2\n=========",
        "The balcony, afterwards.",
        "Afterword\n=========",
        "End Notes\n---------\n\nCome chat with me on tumblr!",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_afterword_links_to_kudos_and_comments(story):
    afterword = text_of(story).split("Afterword\n=========")[1]

    assert "leave kudos or a comment" in afterword
    assert f"Kudos: {story_url(story)}#kudos" in afterword
    assert f"Comments: {story_url(story)}#comments" in afterword


def test_file_is_utf8_with_unix_line_endings_and_a_final_newline(story):
    data = txt_format.render(book_for(work_id=story.pk, viewer=AnonymousUser()))

    assert b"\r" not in data
    assert data.endswith(b"\n") and not data.endswith(b"\n\n\n")
    assert formats.media_type("txt") == "text/plain; charset=utf-8"
    assert formats.render(book_for(work_id=story.pk, viewer=AnonymousUser()), "txt") == data


def test_no_line_is_wider_than_78_columns_except_a_single_unbreakable_word(make_work):
    long_word = "Aaaaa" * 18
    work = make_work(
        title="A title long enough to need wrapping itself, since titles can run on and on",
        chapters=[
            PROSE * 3
            + f'<p>See <a href="{LONG_URL}">my blog</a> or {LONG_URL} and {long_word}.</p>'
            + "<blockquote><p>"
            + "A quoted passage that runs on long enough to wrap inside its indent. " * 4
            + "</p></blockquote><ul><li>"
            + "An item long enough to wrap onto a second line under its bullet. " * 2
            + "</li></ul>"
        ],
    )
    text = text_of(work)

    wide = [line for line in text.splitlines() if columns(line) > 78]
    assert wide, "the long URL and word should overflow"
    for line in wide:
        assert len(line.split()) == 1, line
    assert f"<{LONG_URL}>" in text
    assert LONG_URL in text.replace("\n", " ").split()
    # Wrapping keeps every word of the prose, in order.
    assert "admitting defeat. Instead, he chose to belittle Hux" in " ".join(text.split())


def test_lists_quotes_breaks_and_scene_breaks_stay_readable(make_work):
    work = make_work(
        chapters=[
            "<p>First line<br>second line</p><hr>"
            "<blockquote><p>Quoted words.</p></blockquote>"
            "<ol start='3'><li>three</li><li>four</li></ol><ul><li>bullet</li></ul>"
            "<p><img src='https://example.org/huge.png' alt='Hux in the rain'></p>"
        ]
    )
    text = text_of(work)

    assert "First line\nsecond line" in text
    assert "\n" + "* * *".center(78).rstrip() + "\n" in text
    assert "\n    Quoted words.\n" in text
    assert "  3. three\n  4. four\n" in text
    assert "  * bullet\n" in text
    assert "[Image: Hux in the rain <https://example.org/huge.png>]" in text


def test_cjk_text_wraps_between_characters_by_display_width(make_work):
    sentence = "「こんにちは」と彼は言った。これはとても長い文章で、折り返しが必要です。"
    work = make_work(chapters=[f"<p>{sentence * 6}</p><p>שלום עולם مرحبا بالعالم</p>"])
    text = text_of(work)

    body = text.split("Chapter 1\n=========")[1].split("Afterword")[0]
    cjk_lines = [line for line in body.splitlines() if "は" in line]
    assert len(cjk_lines) > 2
    assert all(columns(line) <= 78 for line in cjk_lines)
    assert not any(line.startswith(("。", "、", "」")) for line in cjk_lines)
    assert "".join(cjk_lines) == sentence * 6
    assert "שלום עולם مرحبا بالعالم" in body


def test_emoji_sequences_and_combining_marks_are_never_split(make_work):
    family = "👩\u200d👩\u200d👧"
    voiced = "か\u3099"  # か + combining voiced mark
    work = make_work(chapters=[f"<p>{('ですね' + family + voiced + 'と言った。') * 20}</p>"])
    text = text_of(work)

    lines = text.split("Chapter 1\n=========")[1].split("Afterword")[0].split()
    assert len(lines) > 3
    assert all(columns(line) <= 78 for line in lines)
    assert not any(line[0] in "\u200d\u3099" or line[-1] == "\u200d" for line in lines)
    assert "".join(lines).count(family) == 20
    assert "".join(lines).count(voiced) == 20


def test_anonymous_work_never_shows_its_creators(make_work):
    work = make_work(title="Secret", anonymous=True)
    text = text_of(work)

    assert "smolhux" not in text
    assert "by Anonymous" in text


def test_drafts_have_no_txt(make_work):
    draft = make_work(state=Work.State.DRAFT)

    with pytest.raises(Work.DoesNotExist):
        book_for(work_id=draft.pk, viewer=AnonymousUser())


def test_seed_work_comes_out_with_its_end_notes(db, seed_text):
    load_demo(SEED.parent)
    work = Work.objects.get(source=SEED.name)
    text = text_of(work)

    assert "I wrote this on tumblr but modified it for here." in " ".join(text.split())
    assert "Kylo had always seen Hux as perfect." in text
    assert "“Come find me, and I will remind you.”" in " ".join(text.split())
    assert all(columns(line) <= 78 or len(line.split()) == 1 for line in text.splitlines())
