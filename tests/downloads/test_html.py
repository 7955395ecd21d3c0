"""HTML downloads: one valid, self-contained HTML5 file with the whole work."""

import html5lib
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from fanshelf.core.demo import load_demo
from fanshelf.downloads import formats
from fanshelf.downloads.book import book_for
from fanshelf.downloads.formats import html_format
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, post_work
from tests.conftest import SEED

USER_HTML = (
    "<p>Kylo had always seen Hux as <em>perfect</em>.<br>He never told him.</p>"
    "<hr><blockquote><p>A quote.</p></blockquote>"
    "<ol start='2'><li>two</li><li>three<ul><li>nested</li></ul></li></ol>"
    "<table><caption>Ranks</caption><tr><th>Name</th><td>Hux</td></tr></table>"
    "<details><summary>Spoiler</summary><p>Hidden</p></details>"
    "<p><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby> <a name='here'>anchor</a></p>"
    "<h3>A heading in the text</h3><pre>  kept   spaces</pre>"
    '<p><a href="/works/2/">the prequel</a> and <a href="#here">back up</a></p>'
)


def document_of(work) -> str:
    data = html_format.render(book_for(work_id=work.pk, viewer=AnonymousUser()))
    assert isinstance(data, bytes)
    return data.decode("utf-8")


def parse(document: str):
    """The document's tree; any HTML5 parse error (or missing doctype) fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(document)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture
def story(author):
    return post_work(
        user=author,
        title="Perfect <3 & “more”",
        summary="<p>Kylo meets Brendol at a gala.</p>",
        notes="<p>For Kylux Week.</p>",
        end_notes="<p>Come chat with me!</p>",
        series="Kylux Week",
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "character": ["Kylo Ren", "Armitage Hux"],
        },
        chapters=[
            ChapterText(
                title="The Gala",
                summary="<p>A party.</p>",
                notes="<p>Chapter one notes.</p>",
                body=USER_HTML,
                end_notes="<p>Chapter one end notes.</p>",
            ),
            ChapterText(title="", body="<p>The balcony, afterwards.</p>"),
        ],
    )


def test_document_is_valid_html5_with_charset_and_language(story):
    document = document_of(story)
    tree = parse(document)

    assert document.startswith("<!DOCTYPE html>")
    assert tree.find("head/meta[@charset='utf-8']") is not None
    assert tree.get("lang") == "en"
    assert tree.findtext("head/title") == "Perfect <3 & “more”"
    assert formats.media_type("html") == "text/html; charset=utf-8"


def test_contents_link_to_every_chapter_and_every_anchor_resolves(story):
    tree = parse(document_of(story))
    ids = {element.get("id") for element in tree.iter() if element.get("id")}
    names = {element.get("name") for element in tree.iter("a") if element.get("name")}

    contents = tree.find(".//nav[@id='contents']")
    entries = [(a.get("href"), text_of(a)) for a in contents.iter("a")]
    assert entries == [
        ("#chapter-1", "Chapter 1: The Gala"),
        ("#chapter-2", "Chapter 2"),
        ("#afterword", "Afterword"),
    ]
    fragments = [a.get("href")[1:] for a in tree.iter("a") if a.get("href", "").startswith("#")]
    assert fragments and all(fragment in ids | names for fragment in fragments)
    assert len(ids) == len([element for element in tree.iter() if element.get("id")])
    for number, heading in [(1, "Chapter 1: The Gala"), (2, "Chapter 2")]:
        chapter = tree.find(f".//*[@id='chapter-{number}']")
        assert text_of(chapter.find("h2")) == heading


def test_front_page_has_title_byline_tags_series_stats_and_url(story):
    front = parse(document_of(story)).find(".//header[@id='front-page']")
    front_text = text_of(front)

    assert text_of(front.find("h1")) == "Perfect <3 & “more”"
    assert "by smolhux" in front_text
    for line in (
        "Rating: Teen And Up Audiences",
        "Archive Warning: No Archive Warnings Apply",
        "Fandom: Star Wars Sequel Trilogy",
        "Character: Armitage Hux, Kylo Ren",
        "Language: English",
        "Series: Part 1 of Kylux Week",
        "Chapters: 2/2",
        "Kudos: 0",
        "Hits: 0",
        "Summary Kylo meets Brendol at a gala.",
        "Notes For Kylux Week.",
    ):
        assert line in front_text
    assert "Published:" in front_text and "Words:" in front_text
    url = settings.SITE_URL + story.get_absolute_url()
    assert f"URL: {url}" in front_text


def test_chapters_keep_notes_user_markup_and_the_afterword_links_back(story):
    tree = parse(document_of(story))
    first = tree.find(".//*[@id='chapter-1']")
    afterword = tree.find(".//*[@id='afterword']")
    url = settings.SITE_URL + story.get_absolute_url()

    assert "Chapter Summary A party." in text_of(first)
    assert "Chapter Notes Chapter one notes." in text_of(first)
    assert "Chapter End Notes Chapter one end notes." in text_of(first)
    assert first.find(".//ol[@start='2']/li/ul/li").text == "nested"
    assert first.find(".//ruby/rt").text == "kan"
    assert first.find(".//details/summary").text == "Spoiler"
    assert first.find(".//pre").text == "  kept   spaces"
    assert "End Notes Come chat with me!" in text_of(afterword)
    links = {a.get("href") for a in afterword.iter("a")}
    assert {f"{url}#kudos", f"{url}#comments"} <= links


def test_nothing_is_loaded_from_anywhere_and_nothing_runs(make_work):
    work = make_work(
        chapters=[
            "<p>Look:<img src='https://example.org/huge.png' alt='Hux in the rain'>"
            "<a href='https://example.org/'><img src='/media/linked.png'></a></p>"
            "<script>alert(1)</script><p onclick='alert(2)'>Text</p>"
        ]
    )
    document = document_of(work)
    tree = parse(document)

    for tag in ("script", "img", "link", "iframe", "object", "embed", "video", "audio"):
        assert tree.find(f".//{tag}") is None, tag
    assert not [element for element in tree.iter() if element.get("src") or element.get("onclick")]
    image = tree.find(".//a[@class='image']")
    assert image.get("href") == "https://example.org/huge.png"
    assert text_of(image) == "[Image: Hux in the rain]"
    assert tree.find(".//a[@href='https://example.org/']/span[@class='image']") is not None
    assert "alert" not in document


def test_every_link_leads_into_the_file_or_to_the_archive(story):
    tree = parse(document_of(story))

    hrefs = [a.get("href") for a in tree.iter("a") if a.get("href")]
    assert hrefs
    for href in hrefs:
        assert href.startswith(("#", settings.SITE_URL + "/")), href
    assert settings.SITE_URL + "/works/2/" in hrefs


def test_stylesheet_is_inline_and_follows_the_readers_preferences(story):
    tree = parse(document_of(story))
    css = tree.findtext("head/style")

    assert "prefers-color-scheme: dark" in css
    assert "color-scheme: light dark" in css
    assert "font-size" in css and not any(
        "px" in line for line in css.splitlines() if "font-size" in line
    )
    assert tree.find("head/meta[@name='viewport']") is not None


def test_right_to_left_work_gets_its_direction(make_work):
    work = make_work(title="שלום", language="he", chapters=["<p>שלום עולם</p>"])
    tree = parse(document_of(work))

    assert (tree.get("lang"), tree.get("dir")) == ("he", "rtl")
    assert "שלום עולם" in text_of(tree.find(".//main"))


def test_anonymous_work_never_shows_its_creators(make_work):
    work = make_work(title="Secret", anonymous=True)
    document = document_of(work)
    tree = parse(document)

    assert "smolhux" not in document
    assert tree.find("head/meta[@name='author']") is None
    assert "by Anonymous" in text_of(tree.find(".//header"))


def test_seed_work_comes_out_with_its_end_notes(db, seed_text):
    load_demo(SEED.parent)
    work = Work.objects.get(source=SEED.name)
    tree = parse(document_of(work))

    afterword = text_of(tree.find(".//*[@id='afterword']"))
    assert "I wrote this on tumblr but modified it for here." in afterword
    assert "Come find me, and I will remind you." in text_of(tree.find(".//main"))
