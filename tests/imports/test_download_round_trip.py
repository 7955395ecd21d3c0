"""Fanshelf's own downloads (EPUB and HTML), imported again, give back the same work."""

import pytest
from django.conf import settings

from fanshelf.downloads.book import posted_book
from fanshelf.downloads.formats import render
from fanshelf.imports.readers import ImportProblem, read_bytes, reader_for
from fanshelf.imports.readers.registry import FileSample
from fanshelf.imports.services import create_work
from fanshelf.text import html_to_text
from fanshelf.works.services import ChapterText, post_work

ALL_TAGS = {
    "rating": "Mature",
    "warning": ["Graphic Depictions Of Violence", "Major Character Death"],
    "category": ["F/M", "Gen"],
    "fandom": ["The Lighthouse Stories", "Harbour Lights (Web Series)"],
    "relationship": ["Mira/Tal"],
    "character": ["Mira", "Tal", "The Lamp"],
    "freeform": ["Slow Burn", "Found Family", "Winter"],
}
READERS = {"epub": "epub", "html": "fanshelf-html"}


def plain(html: str) -> str:
    return " ".join(html_to_text(html).split())


def tags_of(work) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for tag in work.tags.all():
        tags.setdefault(tag.type, []).append(tag.name)
    return {kind: sorted(names) for kind, names in tags.items()}


def assert_same_work(imported, work):
    assert imported.title == work.title
    assert not imported.title_is_placeholder
    assert imported.creators == [c.pseud.name for c in work.creatorships.all()]
    assert plain(imported.summary_html) == plain(work.summary)
    assert plain(imported.notes_html) == plain(work.notes)
    assert plain(imported.end_notes_html) == plain(work.end_notes)
    assert {kind: sorted(names) for kind, names in imported.tags.items()} == tags_of(work)
    assert imported.language == work.language
    assert imported.series == (work.series.title if work.series else "")
    assert imported.series_position == work.series_position
    assert imported.source == settings.SITE_URL + work.get_absolute_url()
    assert imported.published_at.date() == work.published_at.date()
    chapters = list(work.chapters.order_by("position"))
    assert [c.title for c in imported.chapters] == [c.title for c in chapters]
    for read, stored in zip(imported.chapters, chapters, strict=True):
        assert plain(read.body_html) == plain(stored.body)
        assert plain(read.summary_html) == plain(stored.summary)
        assert plain(read.notes_html) == plain(stored.notes)
        assert plain(read.end_notes_html) == plain(stored.end_notes)


@pytest.fixture
def lighthouse(author):
    """A three-chapter work in a series, every field filled, one chapter untitled."""
    post_work(user=author, title="Harbour Lights, Part One", series="Harbour Lights", tags=ALL_TAGS,
              chapters=[ChapterText(body="<p>Before.</p>")])  # fmt: skip
    return post_work(
        user=author,
        title="The Lantern Keepers",
        summary="<p>Two keepers, one lamp, and a <em>very</em> long winter.</p>",
        notes="<p>Written for a winter exchange.</p>",
        end_notes="<p>Come say hello &amp; thank you!</p>",
        language="en",
        series="Harbour Lights",
        tags=ALL_TAGS,
        expected_chapters=None,
        chapters=[
            ChapterText(
                title="First Light",
                summary="<p>Mira arrives.</p>",
                notes="<p>The first of three.</p>",
                end_notes="<p>On to the storm.</p>",
                body=(
                    "<p>The lamp had not been lit in eleven years.</p>"
                    "<p>“Someone has to,” Tal said.<br>Mira struck the match.</p>"
                    "<hr><blockquote><p>A letter, <strong>unsent</strong>.</p></blockquote>"
                ),
            ),
            ChapterText(body="<p>Winter came down the coast like a slow tide.</p>"),
            ChapterText(
                title="Spring & After",
                end_notes="<p>Thank you for reading.</p>",
                body="<ul><li>oil</li><li>wicks</li></ul><p>They kept the light burning.</p>",
            ),
        ],
    )


@pytest.mark.parametrize("extension", ["epub", "html"])
def test_a_three_chapter_work_comes_back_from_its_download(lighthouse, extension):
    data = render(posted_book(work_id=lighthouse.pk), extension)
    (imported,) = read_bytes(data, name=f"the-lantern-keepers.{extension}")
    assert imported.reader == READERS[extension]
    assert imported.series_position == 2
    assert imported.expected_chapters is None
    assert_same_work(imported, lighthouse)


@pytest.mark.parametrize("extension", ["epub", "html"])
def test_the_seed_comes_back_from_its_download(seed_text, author, extension):
    (from_text,) = read_bytes(seed_text.encode(), name="000_761434c73575d7c8.txt")
    from_text.title = "Perfect"
    from_text.tags = {
        "rating": ["Teen And Up Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["M/M"],
        "fandom": ["Star Wars Sequel Trilogy"],
        "relationship": ["Armitage Hux/Kylo Ren"],
        "character": ["Kylo Ren", "Armitage Hux"],
        "freeform": ["One Shot", "Cross-posted from tumblr"],
    }
    seed = create_work(from_text, user=author)
    data = render(posted_book(work_id=seed.pk), extension)
    (imported,) = read_bytes(data, name=f"perfect.{extension}")
    assert_same_work(imported, seed)
    assert imported.chapters[0].title == ""
    assert "@smol-hux" in imported.end_notes_html
    assert imported.expected_chapters == 1


def test_a_right_to_left_work_keeps_its_language(author):
    work = post_work(
        user=author,
        title="ملح البحر",
        language="ar",
        tags=ALL_TAGS,
        chapters=[ChapterText(body="<p>كان البحر هادئًا في ذلك الصباح.</p>")],
    )
    for extension in ("epub", "html"):
        (imported,) = read_bytes(render(posted_book(work_id=work.pk), extension), name="x")
        assert_same_work(imported, work)


def test_an_anonymous_work_comes_back_without_creators(author):
    work = post_work(
        user=author,
        title="Unsigned",
        anonymous=True,
        tags=ALL_TAGS,
        chapters=[ChapterText(body="<p>Nobody signed the logbook.</p>")],
    )
    for extension in ("epub", "html"):
        (imported,) = read_bytes(render(posted_book(work_id=work.pk), extension), name="x")
        assert imported.creators == []
        assert plain(imported.chapters[0].body_html) == "Nobody signed the logbook."


def test_downloads_are_recognised_whatever_their_names(lighthouse):
    book = posted_book(work_id=lighthouse.pk)
    assert reader_for(FileSample(render(book, "epub"), "backup.zip")).name == "epub"
    assert reader_for(FileSample(render(book, "html"), "notes.txt")).name == "fanshelf-html"


def test_a_script_added_to_a_saved_html_download_is_dropped(lighthouse):
    page = render(posted_book(work_id=lighthouse.pk), "html").decode()
    page = page.replace(
        "<p>Winter came down", "<script>steal()</script><p onclick='steal()'>Winter came down"
    )
    (imported,) = read_bytes(page.encode(), name="edited.html")
    body = imported.chapters[1].body_html
    assert body == "<p>Winter came down the coast like a slow tide.</p>"


def test_an_html_download_with_its_chapters_cut_out_says_so(lighthouse):
    page = render(posted_book(work_id=lighthouse.pk), "html").decode()
    page = page[: page.index("<main>")] + page[page.index("</main>") + len("</main>") :]
    with pytest.raises(ImportProblem, match="the file has no story text"):
        read_bytes(page.encode(), name="cut.html")
