"""EPUB downloads: the container, the package metadata, the navigation and the texts.

Every EPUB these tests write is also checked by epubcheck (Debian's package, the
W3C validator), which must report no error and no warning.
"""

import hashlib
import json
import random
import shutil
import subprocess
import zipfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from lxml import etree

from fanshelf.downloads.book import book_for
from fanshelf.downloads.formats import epub_format, media_type, render
from fanshelf.text.sanitize import ALLOWED_TAGS
from fanshelf.works.services import ChapterText, post_work

EPUBCHECK = Path("/usr/bin/epubcheck")
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
_checked: dict[str, list[dict]] = {}


def epubcheck_problems(data: bytes, tmp_path: Path) -> list[str]:
    """epubcheck's fatal errors, errors and warnings about the EPUB ``data``."""
    if not EPUBCHECK.exists() or shutil.which("java") is None:
        pytest.skip("epubcheck is not installed (Debian package `epubcheck`; `make test` adds it)")
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _checked:
        path = tmp_path / f"{digest[:12]}.epub"
        path.write_bytes(data)
        report = tmp_path / f"{digest[:12]}.json"
        # The jar is run by java directly: the package's binfmt wrapper needs a kernel
        # setting that containers often lack. Tiered level 1 halves the JVM's start-up.
        command = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar"]
        subprocess.run(
            [*command, str(EPUBCHECK), str(path), "--json", str(report)],
            capture_output=True,
            timeout=300,
            check=False,
        )
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
        _checked[digest] = [
            f"{m['severity']} {m['ID']} {_where(m)}: {m['message']}"
            for m in messages
            if m["severity"] in ("FATAL", "ERROR", "WARNING")
        ]
    return _checked[digest]


def _where(message: dict) -> str:
    places = [f"{p['path']}:{p['line']}:{p['column']}" for p in message["locations"]]
    return ", ".join(places[:3])


class Epub:
    """An EPUB file opened the way a reading system opens it."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(BytesIO(data))
        container = self.xml("META-INF/container.xml")
        self.opf_path = container.xpath("//c:rootfile/@full-path", namespaces=NS)[0]
        self.folder = self.opf_path.rpartition("/")[0] + "/"
        self.opf = self.xml(self.opf_path)
        items = self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)
        self.manifest = {item.get("id"): item for item in items}

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))  # strict XML: fails on HTML-isms

    def item(self, properties: str):
        (item,) = self.opf.xpath(f"//opf:item[@properties='{properties}']", namespaces=NS)
        return self.xml(self.folder + item.get("href"))

    def meta(self, xpath: str) -> list[str]:
        return [node.text for node in self.opf.xpath("//opf:metadata/" + xpath, namespaces=NS)]

    @property
    def spine(self) -> list[tuple[str, str]]:
        refs = self.opf.xpath("//opf:spine/opf:itemref", namespaces=NS)
        return [
            (self.manifest[ref.get("idref")].get("href"), ref.get("linear", "yes")) for ref in refs
        ]

    def document(self, href: str):
        return self.xml(self.folder + href)

    def text(self, href: str) -> str:
        return " ".join("".join(self.document(href).itertext()).split())


def valid_epub(book, tmp_path) -> Epub:
    """The EPUB of ``book``, which epubcheck passes without an error or a warning."""
    data = render(book, "epub")
    assert epubcheck_problems(data, tmp_path) == []
    return Epub(data)


def epub_of(work, tmp_path) -> Epub:
    return valid_epub(book_for(work_id=work.pk, viewer=AnonymousUser()), tmp_path)


@pytest.fixture
def chaptered_work(author):
    return post_work(
        user=author,
        title="Coins & Crowns",
        summary="<p>Hux counts <em>coins</em>.</p><p>Kylo counts stars.</p>",
        notes="<p>Written for a prompt.</p>",
        end_notes="<p>Thanks for reading! Come chat with me on tumblr.</p>",
        series="Kylux Week",
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "category": ["M/M"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "relationship": ["Armitage Hux/Kylo Ren"],
            "character": ["Kylo Ren", "Armitage Hux"],
            "freeform": ["Fluff & Angst", "Gala"],
        },
        chapters=[
            ChapterText(
                title="The Gala",
                summary="<p>A party.</p>",
                notes="<p>Chapter one notes.</p>",
                body="<p>Kylo had always seen Hux as perfect.</p>",
                end_notes="<p>More soon.</p>",
            ),
            ChapterText(title="", body="<p>Brendol Hux was not impressed.</p>"),
        ],
    )


def test_media_type_is_epub():
    assert media_type("epub") == "application/epub+zip"


def test_container_starts_with_stored_mimetype(chaptered_work, tmp_path):
    epub = epub_of(chaptered_work, tmp_path)

    first = epub.zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b""
    assert epub.zip.read("mimetype") == b"application/epub+zip"
    assert epub.data[30:58] == b"mimetypeapplication/epub+zip"
    assert epub.opf.get("version") == "3.0"


def test_metadata_names_the_work(chaptered_work, author, tmp_path):
    epub = epub_of(chaptered_work, tmp_path)

    assert epub.meta("dc:title") == ["Coins & Crowns"]
    assert epub.meta("dc:creator") == ["smolhux"]
    role = epub.opf.xpath("//opf:meta[@refines='#creator-1'][@property='role']", namespaces=NS)
    assert role[0].text == "aut"
    assert epub.meta("dc:language") == ["en"]
    assert epub.meta("dc:description") == ["Hux counts coins.\n\nKylo counts stars."]
    assert "Fluff & Angst" in epub.meta("dc:subject")
    assert "Star Wars Sequel Trilogy" in epub.meta("dc:subject")
    assert len(epub.meta("dc:subject")) == 9
    assert epub.meta("dc:source") == [f"{settings.SITE_URL}/works/{chaptered_work.pk}/"]
    (modified,) = epub.meta("opf:meta[@property='dcterms:modified']")
    assert modified == f"{chaptered_work.published_at.date().isoformat()}T00:00:00Z"


def test_identifier_is_a_stable_uuid_of_the_work(chaptered_work, tmp_path):
    book = book_for(work_id=chaptered_work.pk, viewer=AnonymousUser())
    epub = valid_epub(book, tmp_path)

    (identifier,) = epub.meta("dc:identifier")
    assert identifier.startswith("urn:uuid:")
    assert epub.opf.get("unique-identifier") == "book-id"
    renamed = valid_epub(replace(book, title="Another title"), tmp_path)
    assert renamed.meta("dc:identifier") == [identifier]
    other = valid_epub(replace(book, url=book.url.replace("/works/", "/w/")), tmp_path)
    assert other.meta("dc:identifier") != [identifier]


def test_series_is_a_collection_with_its_position(chaptered_work, author, make_work, tmp_path):
    second = make_work(title="Second Day", series="Kylux Week")
    epub = epub_of(second, tmp_path)

    (collection,) = epub.opf.xpath("//opf:meta[@property='belongs-to-collection']", namespaces=NS)
    assert collection.text == "Kylux Week"
    refines = {
        meta.get("property"): meta.text
        for meta in epub.opf.xpath(f"//opf:meta[@refines='#{collection.get('id')}']", namespaces=NS)
    }
    assert refines == {"collection-type": "series", "group-position": "2"}
    assert "Part 2 of Kylux Week" in epub.text("front.xhtml")


def test_same_book_gives_the_same_bytes(chaptered_work, tmp_path):
    book = book_for(work_id=chaptered_work.pk, viewer=AnonymousUser())

    first = valid_epub(book, tmp_path).data
    assert epub_format.render(book) == first
    assert {info.date_time for info in zipfile.ZipFile(BytesIO(first)).infolist()} == {
        tuple(int(part) for part in book.published.split("-")) + (0, 0, 0)
    }


def test_spine_reads_front_page_chapters_then_afterword(chaptered_work, tmp_path):
    epub = epub_of(chaptered_work, tmp_path)

    assert epub.spine == [
        ("front.xhtml", "yes"),
        ("nav.xhtml", "no"),
        ("chapter-0001.xhtml", "yes"),
        ("chapter-0002.xhtml", "yes"),
        ("afterword.xhtml", "yes"),
    ]
    assert epub.opf.xpath("//opf:spine/@toc", namespaces=NS) == ["ncx"]


def test_navigation_document_lists_chapters_and_landmarks(chaptered_work, tmp_path):
    epub = epub_of(chaptered_work, tmp_path)
    nav = epub.item("nav")

    toc = nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)
    assert [(a.get("href"), a.text) for a in toc] == [
        ("front.xhtml", "Preface"),
        ("chapter-0001.xhtml", "Chapter 1: The Gala"),
        ("chapter-0002.xhtml", "Chapter 2"),
        ("afterword.xhtml", "Afterword"),
    ]
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    assert {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in landmarks} == {
        "titlepage": "front.xhtml",
        "toc": "nav.xhtml",
        "bodymatter": "chapter-0001.xhtml",
        "backmatter": "afterword.xhtml",
    }


def test_ncx_lists_the_same_chapters_for_older_readers(chaptered_work, tmp_path):
    epub = epub_of(chaptered_work, tmp_path)
    ncx = epub.document(epub.manifest["ncx"].get("href"))

    points = ncx.xpath("//ncx:navPoint", namespaces=NS)
    assert [p.xpath("string(ncx:navLabel/ncx:text)", namespaces=NS) for p in points] == [
        "Preface",
        "Chapter 1: The Gala",
        "Chapter 2",
        "Afterword",
    ]
    assert [p.get("playOrder") for p in points] == ["1", "2", "3", "4"]
    assert (
        ncx.xpath("string(//ncx:meta[@name='dtb:uid']/@content)", namespaces=NS)
        == (epub.meta("dc:identifier")[0])
    )


def test_chapter_files_carry_heading_notes_and_text(chaptered_work, tmp_path):
    epub = epub_of(chaptered_work, tmp_path)
    first = epub.document("chapter-0001.xhtml")

    assert first.xpath("string(//x:h2)", namespaces=NS) == "Chapter 1: The Gala"
    assert first.get("lang") == first.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    text = epub.text("chapter-0001.xhtml")
    for expected in ("A party.", "Chapter one notes.", "seen Hux as perfect", "More soon."):
        assert expected in text
    assert text.index("A party.") < text.index("seen Hux") < text.index("More soon.")
    second = epub.document("chapter-0002.xhtml")
    assert second.xpath("string(//x:h2)", namespaces=NS) == "Chapter 2"
    assert "Brendol Hux was not impressed." in epub.text("chapter-0002.xhtml")


def test_front_page_shows_tags_by_type_stats_and_address(chaptered_work, tmp_path):
    epub = epub_of(chaptered_work, tmp_path)
    front = epub.document("front.xhtml")
    text = epub.text("front.xhtml")

    assert front.xpath("string(//x:h1)", namespaces=NS) == "Coins & Crowns"
    assert "by smolhux" in text
    labels = [dt.text for dt in front.xpath("//x:dl[@class='tags']/x:dt", namespaces=NS)]
    assert labels[0] == "Rating:" and labels[-1] == "Additional Tags:"
    assert "Fluff & Angst, Gala" in text
    for stat in ("Published:", "Words:", "Chapters: 2/2", "Kudos: 0", "Hits: 0", "Bookmarks:"):
        assert stat in text
    assert f"{settings.SITE_URL}/works/{chaptered_work.pk}/" in text
    assert "Hux counts coins." in text and "Written for a prompt." in text


def test_afterword_has_end_notes_and_asks_for_feedback(chaptered_work, tmp_path):
    epub = epub_of(chaptered_work, tmp_path)
    afterword = epub.document("afterword.xhtml")

    assert "Come chat with me on tumblr." in epub.text("afterword.xhtml")
    links = [a.get("href") for a in afterword.xpath("//x:a", namespaces=NS)]
    url = f"{settings.SITE_URL}/works/{chaptered_work.pk}/"
    assert links == [url + "#kudos", url + "#comments"]


def test_one_shot_is_headed_by_its_title(make_work, tmp_path):
    epub = epub_of(make_work(title="Perfect"), tmp_path)

    assert epub.document("chapter-0001.xhtml").xpath("string(//x:h2)", namespaces=NS) == "Perfect"


def test_anonymous_work_never_names_its_creator(make_work, tmp_path):
    work = make_work(
        title="Who Wrote This", anonymous=True, notes="<p>Guess!</p>", series="Secrets"
    )
    epub = epub_of(work, tmp_path)

    assert epub.meta("dc:creator") == []
    assert "by Anonymous" in epub.text("front.xhtml")
    assert b"smolhux" not in epub.data
    for name in epub.zip.namelist():
        assert b"smolhux" not in epub.zip.read(name).lower(), name


def test_right_to_left_and_cjk_text_survive(make_work, tmp_path):
    arabic = "كان كايلو دائمًا يرى هكس مثاليًا."
    work = make_work(
        title="مثالي",
        language="ar",
        chapters=[
            f"<p>{arabic}</p>",
            "<p lang='ja'>完璧な<ruby>将軍<rp>(</rp><rt>しょうぐん</rt><rp>)</rp></ruby>。"
            "👩‍👩‍👧 e\u0301</p>",
        ],
    )
    epub = epub_of(work, tmp_path)

    assert epub.meta("dc:title") == ["مثالي"]
    assert epub.meta("dc:language") == ["ar"]
    assert epub.opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) == ["rtl"]
    first = epub.document("chapter-0001.xhtml")
    assert first.get("dir") == "rtl" and first.get("lang") == "ar"
    assert arabic in epub.text("chapter-0001.xhtml")
    second = epub.text("chapter-0002.xhtml")
    assert "完璧な将軍(しょうぐん)。" in second
    assert "👩‍👩‍👧 e\u0301" in second


TRICKY_HTML = (
    "<p>Line one<br>line two&nbsp;&amp; <a href='/works/1?a=1&b=2'>a link with &amp;</a></p>"
    "<ul><li>one<ul><li>nested<ol><li>deeper</li></ol></li></ul></li><ul><li>stray</li></ul></ul>"
    "<blockquote><blockquote><p>quoted twice</p></blockquote></blockquote>"
    "<em><p>emphasis around</p><p>two paragraphs</p></em>"
    "<li>an item outside any list</li>"
    "<center>centred</center><p align='right'>right</p><big>big</big><tt>tt</tt>"
    "<p><img src='http://dead.example/huge.png' alt='A map'></p>"
    "<table><tr><td colspan=2>cell</td></tr><caption>late caption</caption></table>"
    "<details><p>no summary</p></details><dl><dd>no term</dd></dl>"
    "<a href='#footnote'>jump</a><a name='footnote'>here</a><hr>"
    "<p><a href='http://e.example/100%?q=a b|c#x#y'>odd address</a></p>"
)


def test_tricky_html_comes_out_well_formed_and_valid(make_work, tmp_path):
    work = make_work(title="Tricky", chapters=[TRICKY_HTML], notes="<p>a<br>b</p>")
    epub = epub_of(work, tmp_path)  # every document parsed as XML, and epubcheck passed
    chapter = epub.document("chapter-0001.xhtml")
    text = "".join(chapter.itertext())

    assert "line two\u00a0& a link with &" in text
    link = chapter.xpath("//x:a[.='a link with &']", namespaces=NS)[0]
    assert link.get("href") == f"{settings.SITE_URL}/works/1?a=1&b=2"
    assert chapter.xpath("count(//x:br)", namespaces=NS) == 1
    assert chapter.xpath("string(//x:ul/x:li/x:ul/x:li/x:ol/x:li)", namespaces=NS) == "deeper"
    assert chapter.xpath("string(//x:blockquote/x:blockquote/x:p)", namespaces=NS) == (
        "quoted twice"
    )
    assert [p.xpath("string()") for p in chapter.xpath("//x:p[x:em]", namespaces=NS)] == [
        "emphasis around",
        "two paragraphs",
    ]
    image_link = chapter.xpath("//x:a[@class='image']", namespaces=NS)[0]
    assert (image_link.get("href"), image_link.text) == ("http://dead.example/huge.png", "[A map]")
    assert not chapter.xpath("//x:img", namespaces=NS)
    for piece in ("centred", "right", "big", "tt", "cell", "late caption", "no term", "jump"):
        assert piece in text


def random_markup(rng: random.Random, depth: int = 0) -> str:
    """Markup a careless editor might paste: any allowed tag, anywhere, some unclosed."""
    attributes = [
        "align='center'", "dir='rtl'", "lang='ja'", "class='x'", "href='/a b?c=1&d=2'",
        "href='#x'", "src='http://dead.example/x.png'", "alt='pic'", "start='2'",
        "type='i'", "colspan='2'", "span='2'", "name='n'",
    ]  # fmt: skip
    texts = ["text", "a &amp; b", "&nbsp;", "漢字", "مرحبا", " ", "<br>", "e\u0301👩‍👧"]
    pieces = []
    for _ in range(rng.randint(1, 4)):
        if depth > 7 or rng.random() < 0.3:
            pieces.append(rng.choice(texts))
            continue
        tag = rng.choice(sorted(ALLOWED_TAGS))
        chosen = " ".join(rng.sample(attributes, rng.randint(0, 2)))
        end = f"</{tag}>" if rng.random() < 0.85 else ""
        pieces.append(f"<{tag} {chosen}>{random_markup(rng, depth + 1)}{end}")
    return "".join(pieces)


def test_random_markup_comes_out_valid_with_all_its_text(make_work, tmp_path):
    rng = random.Random(20261126)
    chapters = [f"Scene {number}: {random_markup(rng)}" for number in range(60)]
    work = make_work(title="Pasted", chapters=chapters)
    book = book_for(work_id=work.pk, viewer=AnonymousUser())
    epub = valid_epub(book, tmp_path)

    for chapter in book.chapters:
        stored = etree.fromstring(f"<div>{chapter.body}</div>", etree.HTMLParser())
        document = epub.document(f"chapter-{chapter.number:04d}.xhtml")
        (text,) = document.xpath("//x:div[contains(@class, 'text')]", namespaces=NS)
        written = "".join(text.itertext())
        for label in ("[pic]", "[image]", "Details"):  # images and summaries added
            written = written.replace(label, "")
        # Repairs may move a caption or a summary ahead: the same characters remain.
        assert sorted("".join("".join(stored.itertext()).split())) == sorted(
            "".join(written.split())
        )


def test_odd_characters_in_titles_and_tags_stay_valid(chaptered_work, tmp_path):
    book = book_for(work_id=chaptered_work.pk, viewer=AnonymousUser())
    odd = replace(
        book,
        title="Con/tro\x0bl: <b>not bold</b> & \u202eevil\u202c",
        tags={**book.tags, "freeform": ["Tag\x01 with a bell", "<script>"]},
        chapters=[replace(chapter, body=chapter.body + "\x0c\x1b") for chapter in book.chapters],
    )
    epub = valid_epub(odd, tmp_path)

    assert epub.meta("dc:title") == ["Con/trol: <b>not bold</b> & \u202eevil\u202c"]
    assert "<script>" in epub.meta("dc:subject")


def test_seed_work_passes_epubcheck_with_its_end_notes(db, seed_text, tmp_path):
    from fanshelf.core.demo import load_demo

    (work,) = [w for w in load_demo(SEEDS).created if w.source == "000_761434c73575d7c8.txt"]
    epub = epub_of(work, tmp_path)

    assert "Kylo had always seen Hux as perfect." in epub.text("chapter-0001.xhtml")
    afterword = epub.text("afterword.xhtml")
    assert "I wrote this on tumblr but modified it for here" in afterword
    assert "@smol-hux" in afterword
    assert epub.meta("dc:title") == [work.title]
    assert {"Kylux", "Protective Kylo Ren"} <= set(epub.meta("dc:subject"))
