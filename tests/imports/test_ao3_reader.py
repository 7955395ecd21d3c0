"""AO3's HTML download: metadata, chapters, notes and end notes, read into one work."""

from pathlib import Path

import pytest

from fanshelf.imports.readers import FileSample, ImportProblem, read_bytes, reader_for
from fanshelf.imports.readers.markup import language_code
from fanshelf.imports.services import import_work
from fanshelf.text import html_to_text

SAMPLES = Path(__file__).parent / "samples" / "ao3"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def plain(html: str) -> str:
    return " ".join(html_to_text(html).split())


@pytest.fixture
def lanterns():
    (work,) = read_bytes(sample("lanterns.html"), name="lanterns.html")
    return work


def test_the_metadata_block_becomes_the_works_fields(lanterns):
    assert lanterns.reader == "ao3-html"
    assert lanterns.title == "The Lantern Keepers"
    assert lanterns.creators == ["quietfox", "tidewright"]
    assert lanterns.source == "https://archiveofourown.org/works/1234567"
    assert lanterns.tags == {
        "rating": ["General Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["F/F", "Gen"],
        "fandom": ["Original Work"],
        "relationship": ["Mira/Tal"],
        "character": ["Mira (Original)", "Tal (Original)"],
        "freeform": ["Lighthouses", "Slow Burn", "Found Family"],
    }
    assert lanterns.language == "en"
    assert (lanterns.series, lanterns.series_position) == ("Harbour Lights", 2)
    assert lanterns.published_at.isoformat() == "2021-03-04T00:00:00+00:00"
    assert lanterns.revised_at.isoformat() == "2021-05-20T00:00:00+00:00"
    assert lanterns.summary_html == "<p>Two keepers, one lamp, and a <em>very</em> long winter.</p>"
    assert lanterns.notes_html == "<p>Written for a winter exchange.</p>"
    assert plain(lanterns.end_notes_html) == "Come say hello on my blog."


def test_chapters_keep_their_titles_summaries_and_notes(lanterns):
    first, second = lanterns.chapters
    assert lanterns.expected_chapters is None  # "Chapters: 2/?"
    assert (first.title, second.title) == ("First Light", "")
    assert first.summary_html == "<p>Mira arrives at the lighthouse.</p>"
    assert first.notes_html == "<p>The first of two.</p>"
    assert first.end_notes_html == "<p>Thank you for reading chapter one!</p>"
    assert plain(first.body_html).startswith("The lamp had not been lit in eleven years")
    assert plain(second.body_html) == (
        "Winter came down the coast like a slow tide. They kept the light burning, "
        "night after night, and did not speak of leaving."
    )
    assert second.summary_html == second.notes_html == second.end_notes_html == ""


def test_scripts_and_event_handlers_are_dropped_and_remote_images_kept(lanterns):
    body = lanterns.chapters[0].body_html
    for text in (body, lanterns.notes_html):
        assert "<script" not in text and "stolen cookies" not in text and "alert" not in text
    assert "onclick" not in body
    assert "<strong>anyway</strong>" in body
    assert '<img src="https://images.example.org/lamp.png" alt="an old brass lamp">' in body


def test_a_one_shot_in_a_right_to_left_language():
    (work,) = read_bytes(sample("salt.html"), name="salt.html")
    assert work.title == "ملح البحر"
    assert work.language == "ar"
    assert work.expected_chapters == 1
    assert work.series == "" and work.series_position is None
    assert work.revised_at is None
    assert work.tags["freeform"] == ["البحر"]
    (chapter,) = work.chapters
    assert chapter.title == ""
    assert '<p dir="rtl">كان البحر هادئًا' in chapter.body_html


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("English", "en"),
        ("Français", "fr"),
        ("Deutsch", "de"),
        ("Español", "es"),
        ("Português brasileiro", "pt-br"),
        ("Português europeu", "pt"),
        ("日本語", "ja"),
        ("中文-普通话 國語", "zh"),
        ("العربية", "ar"),
        ("עברית", "he"),
        ("Русский", "ru"),
        ("Bahasa Indonesia", "id"),
        ("Čeština", "cs"),
        ("tlhIngan-Hol", "tlh"),
        ("en-GB", "en-gb"),
        ("Sindarin", "und"),
    ],
)
def test_ao3_language_names_become_codes(name, code):
    assert language_code(name) == code


def test_an_ao3_download_is_read_as_ao3_whatever_its_name():
    for name in ("story.txt", "story", "story.md", "lanterns.html"):
        assert reader_for(FileSample(sample("lanterns.html"), name)).name == "ao3-html"
    (work,) = read_bytes(sample("lanterns.html"), name="story.txt")
    assert work.reader == "ao3-html"
    assert len(work.chapters) == 2


def _edited(replacements: dict[str, str], name: str = "salt.html") -> bytes:
    page = sample(name).decode()
    for old, new in replacements.items():
        assert old in page
        page = page.replace(old, new)
    return page.encode()


def test_an_anonymous_work_has_no_creators():
    page = _edited(
        {
            '<div class="byline">by <a rel="author" href="https://archiveofourown.org/users/'
            'layla_writes/pseuds/layla_writes">layla_writes</a></div>': (
                '<div class="byline">by Anonymous</div>'
            )
        }
    )
    (work,) = read_bytes(page, name="anon.html")
    assert work.creators == []
    assert work.anonymous


def test_an_older_one_shot_with_its_text_right_in_the_chapters_block():
    page = _edited(
        {
            '<div id="chapters" class="userstuff">\n    <div class="userstuff">': (
                '<div id="chapters" class="userstuff"><h2 class="toc-heading">ملح البحر</h2>'
            ),
            "</p>\n    </div>\n</div>": "</p>\n</div>",
        }
    )
    (work,) = read_bytes(page, name="old.html")
    (chapter,) = work.chapters
    assert "ملح البحر" not in plain(chapter.body_html)
    assert plain(chapter.body_html).startswith("كان البحر هادئًا")


def test_a_download_without_chapter_text_says_so():
    page = _edited({"<p dir": "<!-- <p dir", "ولم يعودا.</p>": "ولم يعودا.</p> -->"})
    with pytest.raises(ImportProblem, match="the AO3 download has no chapter text"):
        read_bytes(page, name="empty.html")


def test_a_work_without_a_title_gets_a_placeholder_from_the_file_name():
    page = _edited({"<h1>ملح البحر</h1>": "", "<b>ملح البحر</b>": ""})
    (work,) = read_bytes(page, name="salt-water.html")
    assert work.title_is_placeholder
    assert work.title == "Untitled (salt-water)"


def test_an_ao3_download_posts_as_a_work(author):
    (imported,) = read_bytes(sample("lanterns.html"), name="lanterns.html")
    work, created = import_work(imported, user=author)
    assert created
    assert work.title == "The Lantern Keepers"
    assert work.chapters.count() == 2
    assert work.expected_chapters is None
    assert work.source == "https://archiveofourown.org/works/1234567"
    assert sorted(work.tags.filter(type="character").values_list("name", flat=True)) == [
        "Mira (Original)",
        "Tal (Original)",
    ]
    assert "<script" not in work.chapters.get(position=1).body
