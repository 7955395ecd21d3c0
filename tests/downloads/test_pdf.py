"""PDF downloads: contents with page numbers, bookmarks, metadata, embedded fonts."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from pypdf import PdfReader

from fanshelf.core.demo import load_demo
from fanshelf.downloads import formats
from fanshelf.downloads.book import book_for
from fanshelf.downloads.formats import pdf_format
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, post_work
from tests.conftest import SEED

PROSE = (
    "<p>Kylo had always seen Hux as perfect. He never told him, because that would be "
    "admitting defeat.</p>"
)


def pdf_of(work) -> PdfReader:
    data = pdf_format.render(book_for(work_id=work.pk, viewer=AnonymousUser()))
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def pages_text(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def font_names(reader: PdfReader) -> set[str]:
    """The base names of the pages' fonts, subset prefixes removed; each must be embedded."""
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            names.add(font["/BaseFont"].split("+", 1)[-1])
            described = [d.get_object() for d in font.get("/DescendantFonts") or [font]]
            for descriptor in (d["/FontDescriptor"].get_object() for d in described):
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font
    return names


@pytest.fixture
def story(author):
    return post_work(
        user=author,
        title="Perfect",
        summary="<p>Kylo meets Brendol at a gala.</p>",
        notes="<p>For Kylux Week.</p>",
        end_notes="<p>Come chat with me on tumblr!</p>",
        series="Kylux Week",
        chapters=[
            ChapterText(
                title="The Gala",
                notes="<p>Chapter one notes.</p>",
                body=PROSE * 40,
                end_notes="<p>Chapter one end notes.</p>",
            ),
            ChapterText(title="The Balcony", body="<p>The balcony, afterwards.</p>"),
        ],
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "character": ["Kylo Ren"],
        },
    )


def test_front_page_chapters_notes_and_afterword_are_in_the_text(story):
    reader = pdf_of(story)
    pages = pages_text(reader)
    front, contents = flat(pages[0]), flat(pages[1])
    body = flat(" ".join(pages[2:]))

    assert front.startswith("Perfect by smolhux")
    for piece in (
        "Fandom: Star Wars Sequel Trilogy",
        "Character: Kylo Ren",
        "Series: Part 1 of Kylux Week",
        "Chapters: 2/2",
        f"URL: {settings.SITE_URL}{story.get_absolute_url()}",
        "Summary Kylo meets Brendol at a gala.",
        "Notes For Kylux Week.",
    ):
        assert piece in front
    order = [
        "Chapter 1: The Gala",
        "Chapter Notes Chapter one notes.",
        "Kylo had always seen Hux as perfect.",
        "Chapter End Notes Chapter one end notes.",
        "Chapter 2: The Balcony",
        "The balcony, afterwards.",
        "Afterword",
        "End Notes Come chat with me on tumblr!",
        "leave kudos or a comment",
    ]
    assert contents.startswith("Contents Chapter 1: The Gala")
    positions = [body.index(piece) for piece in order]
    assert positions == sorted(positions)
    assert formats.media_type("pdf") == "application/pdf"


def test_every_page_is_numbered_in_its_footer_and_chapters_start_a_page(story):
    pages = pages_text(pdf_of(story))

    assert len(pages) >= 5
    for number, text in enumerate(pages, 1):
        # The footer is laid out after the page's content, so its number comes last.
        assert text.split()[-1] == str(number), f"page {number} has no page number"
    starts = {number for number, text in enumerate(pages, 1) if text.startswith("Chapter ")}
    assert len(starts) == 2


def test_contents_give_the_page_each_chapter_starts_on(story):
    pages = pages_text(pdf_of(story))
    contents = next(text for text in pages if text.startswith("Contents"))

    entries = dict(re.findall(r"^(Chapter \d[^.\n]*?|Afterword)\s*[.\s]*\s(\d+)$", contents, re.M))
    assert set(entries) == {"Chapter 1: The Gala", "Chapter 2: The Balcony", "Afterword"}
    for heading, page in entries.items():
        assert pages[int(page) - 1].startswith(heading), heading


def test_bookmarks_lead_to_the_chapters(story):
    reader = pdf_of(story)
    pages = pages_text(reader)

    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    titles = [title for title, _ in outline]
    assert titles == [
        "Perfect",
        "Contents",
        "Chapter 1: The Gala",
        "Chapter 2: The Balcony",
        "Afterword",
    ]
    for title, page in outline[2:]:
        assert pages[page].startswith(title)


def test_metadata_has_the_title_and_author(story):
    metadata = pdf_of(story).metadata

    assert metadata.title == "Perfect"
    assert metadata.author == "smolhux"
    assert metadata.subject == "Kylo meets Brendol at a gala."


def test_anonymous_work_has_no_author_in_text_or_metadata(make_work):
    work = make_work(title="Secret", anonymous=True)
    reader = pdf_of(work)
    text = " ".join(pages_text(reader))

    assert reader.metadata.title == "Secret"
    assert reader.metadata.author is None
    assert "smolhux" not in text
    assert "by Anonymous" in flat(text)
    assert not any("smolhux" in str(value) for value in reader.metadata.values())


def test_cjk_hebrew_and_arabic_text_is_embedded_and_extractable(make_work):
    work = make_work(
        title="こんにちは",
        chapters=[
            "<p>「こんにちは」と彼は言った。</p><p>你好，世界。안녕하세요</p>"
            "<p dir='rtl'>שלום עולם</p><p dir='rtl'>مرحبا بالعالم</p>"
        ],
    )
    reader = pdf_of(work)
    text = " ".join(pages_text(reader))

    for piece in (
        "「こんにちは」と彼は言った。",
        "你好，世界。",
        "안녕하세요",
        "שלום עולם",
        "مرحبا بالعالم",
    ):
        assert piece in text
    fonts = font_names(reader)
    assert "WenQuanYi-Micro-Hei" in fonts
    assert "DejaVu-Sans" in fonts  # the Hebrew and Arabic glyphs; the prose is DejaVu Serif
    assert reader.metadata.title == "こんにちは"


def test_images_are_never_fetched_and_show_as_their_alt_text(make_work):
    work = make_work(
        chapters=["<p>Look: <img src='http://192.0.2.1/huge.png' alt='Hux in the rain'></p>"]
    )

    text = flat(" ".join(pages_text(pdf_of(work))))

    assert "[Image: Hux in the rain]" in text


def test_seed_work_comes_out_with_its_end_notes(db, seed_text):
    load_demo(SEED.parent)
    work = Work.objects.get(source=SEED.name)
    reader = pdf_of(work)
    text = flat(" ".join(pages_text(reader)))

    assert "I wrote this on tumblr but modified it for here." in text
    assert "Come find me, and I will remind you." in text
    assert reader.metadata.title == work.title
