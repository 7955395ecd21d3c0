"""Stored HTML fragments rewritten as XHTML for EPUB files."""

import pytest
from lxml import etree

from fanshelf.downloads.formats.xhtml import to_text, to_xhtml, xml_text
from fanshelf.text import sanitize_html

BASE = "https://archive.example/works/7/"


def xhtml(html: str) -> str:
    return to_xhtml(sanitize_html(html), base_url=BASE)


def parsed(html: str):
    """The XHTML of ``html`` parsed by a strict XML parser (fails on any HTML-ism)."""
    return etree.fromstring(f"<div>{xhtml(html)}</div>")


def test_void_elements_are_closed_and_entities_become_characters():
    assert xhtml("<p>a<br>b&nbsp;c &amp; d</p><hr>") == "<p>a<br/>b\u00a0c &amp; d</p><hr/>"


def test_empty_elements_get_an_end_tag():
    assert xhtml("<p>a</p><p></p>") == "<p>a</p><p></p>"


def test_links_are_made_absolute_and_keep_their_ampersands():
    root = parsed("<a href='/tags/Fluff?page=2&sort=new'>more</a>")
    assert root[0].get("href") == "https://archive.example/tags/Fluff?page=2&sort=new"


def test_links_to_missing_fragments_keep_their_text_only():
    assert xhtml("<a href='#note1'>1</a><a name='note1'>note</a>") == "<a>1</a><a>note</a>"


@pytest.mark.parametrize(
    ("href", "written"),
    [
        ("https://bücher.example/a b/ä", "https://xn--bcher-kva.example/a%20b/%C3%A4"),
        ("http://e.example/100%?q=a|b#x#y", "http://e.example/100%25?q=a%7Cb#x%23y"),
        ("mailto:fan@example.org", "mailto:fan@example.org"),
        ("http://user:secret@e.example/", None),
        ("http://e.example:99999/", None),
        ("ftp://e.example/", None),
    ],
)
def test_link_addresses_are_escaped_or_dropped(href, written):
    root = parsed(f"<a href='{href}'>x</a>")
    assert root[0].get("href") == written
    assert root[0].text == "x"


def test_images_become_links_labelled_with_their_alt_text():
    assert xhtml("<p><img src='https://dead.example/x.png' alt='A  map'></p>") == (
        '<p><a class="image" href="https://dead.example/x.png">[A map]</a></p>'
    )
    assert xhtml("<a href='https://x.example/'><img src='y.png'></a>") == (
        '<a href="https://x.example/"><span class="image">[image]</span></a>'
    )


def test_inline_elements_around_paragraphs_move_inside_them():
    assert xhtml("<em><p>one</p><p>two</p></em>") == "<p><em>one</em></p><p><em>two</em></p>"
    assert xhtml("<strong><blockquote><p>q</p></blockquote>tail</strong>") == (
        "<blockquote><p><strong>q</strong></p></blockquote><strong>tail</strong>"
    )
    assert xhtml("<u><ul><li>x</li></ul></u>") == "<ul><li><u>x</u></li></ul>"


def test_lists_hold_only_items():
    assert xhtml("<ul><li>a</li><ul><li>b</li></ul></ul>") == (
        "<ul><li>a<ul><li>b</li></ul></li></ul>"
    )
    assert xhtml("<li>stray</li><li>items</li>") == "<ul><li>stray</li><li>items</li></ul>"
    assert xhtml("<dl><dd>no term</dd><dt>no description</dt></dl>") == (
        "<dl><dt></dt><dd>no term</dd><dt>no description</dt><dd></dd></dl>"
    )


def test_obsolete_markup_becomes_classes():
    assert xhtml("<center>c</center><p align='RIGHT'>r</p><big>b</big><tt>t</tt>") == (
        '<div class="align-center">c</div><p class="align-right">r</p>'
        '<span class="big">b</span><span class="tt">t</span>'
    )
    assert xhtml("<strike>s</strike><acronym title='t'>a</acronym>") == (
        '<s>s</s><abbr title="t">a</abbr>'
    )


def test_invalid_attribute_values_are_dropped():
    assert xhtml("<p dir='sideways' lang='not a language'>x</p><p dir='rtl' lang='ar'>y</p>") == (
        '<p>x</p><p dir="rtl" lang="ar">y</p>'
    )
    assert xhtml("<ol start='x' type='q'><li>a</li></ol><ol start='3'><li>c</li></ol>") == (
        '<ol><li>a</li></ol><ol start="3"><li>c</li></ol>'
    )


def test_tables_details_and_figures_follow_their_content_model():
    table = parsed("<table><tr><td>a</td></tr><caption>late</caption></table>")[0]
    assert [child.tag for child in table] == ["caption", "tbody"]
    details = parsed("<details><p>hidden</p></details>")[0]
    assert [child.tag for child in details] == ["summary", "p"]
    assert parsed("<figcaption>alone</figcaption>")[0].tag == "div"


def test_control_characters_are_removed():
    assert xml_text("a\x00b\x0bc\x1bd\ufffe") == "abcd"
    assert xhtml("<p>bell\x07 and\x0c feed</p>") == "<p>bell and feed</p>"


@pytest.mark.parametrize("html", ["", "   ", "<p></p>"])
def test_empty_text_stays_empty(html):
    assert xhtml(html).replace("<p></p>", "") == ""


def test_deeply_nested_markup_keeps_its_text_and_stays_well_formed():
    html = "<em>" * 300 + "<blockquote>" * 300 + "<p>deep</p>" + "</blockquote>" * 300
    root = parsed(html + "</em>" * 300)  # libxml2 refuses more than 256 levels
    assert "".join(root.itertext()) == "deep"
    lists = parsed("<ul><li>" * 100 + "<em>deep</em> list" + "</li></ul>" * 100)
    assert "".join(lists.itertext()) == "deep list"
    assert max(len(list(e.iterancestors())) for e in lists.iter()) < 100


def test_plain_text_of_a_summary_keeps_paragraphs():
    html = "<p>Hux counts <em>coins</em>.</p><p>Kylo<br>counts stars.</p>"
    assert to_text(sanitize_html(html)) == "Hux counts coins.\n\nKylo\ncounts stars."
