"""EPUB 2 and 3 files, AO3's EPUBs among them, and every way an EPUB can be broken."""

import io
import zipfile
from pathlib import Path

import pytest

from fanshelf.imports.readers import FileSample, ImportProblem, epub_package, read_bytes, reader_for
from fanshelf.imports.sources import read_file
from fanshelf.text import html_to_text

SAMPLES = Path(__file__).parent / "samples"
CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""


def plain(html: str) -> str:
    return " ".join(html_to_text(html).split())


def make_epub(files: dict[str, str | bytes], *, container: str | None = CONTAINER) -> bytes:
    """An EPUB zip: ``mimetype`` first and stored, then the container and ``files``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        if container is not None:
            archive.writestr("META-INF/container.xml", container)
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def page(body: str, *, title: str = "x", body_attributes: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{title}</title></head><body{body_attributes}>{body}</body></html>"
    )


def opf(metadata: str, manifest: str, spine: str, *, version: str = "3.0", toc: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:opf="http://www.idpf.org/2007/opf">'
        f"{metadata}</metadata><manifest>{manifest}</manifest>"
        f"<spine{toc}>{spine}</spine></package>"
    )


def item(item_id: str, href: str, media_type: str = "application/xhtml+xml", extra: str = ""):
    return f'<item id="{item_id}" href="{href}" media-type="{media_type}"{extra}/>'


EPUB3_METADATA = """
<dc:identifier id="id">urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427</dc:identifier>
<dc:title>Barcos de papel</dc:title>
<dc:creator id="c1">Inés Valdés</dc:creator>
<meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
<dc:creator id="c2">Tomás Ruiz</dc:creator>
<meta refines="#c2" property="role" scheme="marc:relators">ill</meta>
<dc:language>es</dc:language>
<dc:description>&lt;p&gt;Un verano, dos &lt;em&gt;barcos&lt;/em&gt;.&lt;/p&gt;
&lt;script&gt;x()&lt;/script&gt;</dc:description>
<dc:subject>Verano</dc:subject>
<dc:subject>Amistad</dc:subject>
<dc:date>2019-07-01</dc:date>
<dc:source>https://example.org/barcos-de-papel</dc:source>
<meta property="dcterms:modified">2020-01-01T00:00:00Z</meta>
<meta property="belongs-to-collection" id="s">Río abajo</meta>
<meta refines="#s" property="collection-type">series</meta>
<meta refines="#s" property="group-position">3</meta>
"""
NAV = page(
    '<nav epub:type="toc"><ol>'
    '<li><a href="text/one.xhtml">Chapter 1: La orilla</a></li>'
    '<li><a href="text/two.xhtml#start">Chapter 2</a></li>'
    "</ol></nav>"
)


def epub3_files(**overrides) -> dict[str, str | bytes]:
    files = {
        "OEBPS/content.opf": opf(
            EPUB3_METADATA,
            item("nav", "nav.xhtml", extra=' properties="nav"')
            + item("cover", "text/cover.xhtml")
            + item("title", "text/title.xhtml")
            + item("one", "text/one.xhtml")
            + item("two", "text/two.xhtml")
            + item("boat", "images/boat.jpg", "image/jpeg"),
            '<itemref idref="cover"/><itemref idref="title"/><itemref idref="nav" linear="no"/>'
            '<itemref idref="one"/><itemref idref="two"/>',
        ),
        "OEBPS/nav.xhtml": NAV,
        "OEBPS/text/cover.xhtml": page(
            '<section epub:type="cover"><img src="../images/boat.jpg" alt="Portada"/></section>'
        ),
        "OEBPS/text/title.xhtml": page("<h1>Barcos de papel</h1><p>by Inés Valdés</p>"),
        "OEBPS/text/one.xhtml": page(
            "<section><h1>La orilla</h1><p>El agua estaba fría, pero nadie se quejó.</p>"
            '<p><img src="../images/boat.jpg" alt="un barco de papel"/></p>'
            "<script>document.cookie</script><p onmouseover='x()'>Doblaron el papel.</p></section>"
        ),
        "OEBPS/text/two.xhtml": page(
            '<p id="start">Al final del verano, los barcos llegaron al mar.</p>'
        ),
        "OEBPS/images/boat.jpg": b"\xff\xd8\xff\xe0 not really a picture",
    }
    files.update(overrides)
    return files


@pytest.fixture
def barcos():
    (work,) = read_bytes(make_epub(epub3_files()), name="barcos.epub")
    return work


def test_epub3_metadata_comes_from_the_package(barcos):
    assert barcos.reader == "epub"
    assert barcos.title == "Barcos de papel"
    assert barcos.creators == ["Inés Valdés"]  # the illustrator is not a creator
    assert barcos.language == "es"
    assert barcos.summary_html == "<p>Un verano, dos <em>barcos</em>.</p>"
    assert barcos.tags == {"freeform": ["Verano", "Amistad"]}
    assert barcos.published_at.date().isoformat() == "2019-07-01"
    assert barcos.source == "https://example.org/barcos-de-papel"
    assert (barcos.series, barcos.series_position) == ("Río abajo", 3)
    assert barcos.expected_chapters == 2


def test_epub3_chapters_come_from_the_spine_with_titles_from_the_nav(barcos):
    one, two = barcos.chapters  # the cover and the title page are passed over
    assert (one.title, two.title) == ("La orilla", "")
    assert plain(one.body_html) == (
        "El agua estaba fría, pero nadie se quejó. [Image: un barco de papel] Doblaron el papel."
    )
    assert "La orilla" not in one.body_html  # the heading became the title
    assert "<img" not in one.body_html and "<script" not in one.body_html
    assert "cookie" not in one.body_html and "onmouseover" not in one.body_html
    assert plain(two.body_html) == "Al final del verano, los barcos llegaron al mar."


EPUB2_OPF = opf(
    """<dc:title>The Night Ferry</dc:title>
    <dc:creator opf:role="aut" opf:file-as="Okafor, Ada">Ada Okafor</dc:creator>
    <dc:language>en-GB</dc:language>
    <dc:description>A ferry. A night. Plain text, no markup.</dc:description>
    <dc:identifier id="id" opf:scheme="URI">https://example.org/night-ferry</dc:identifier>
    <meta name="calibre:series" content="Crossings"/>
    <meta name="calibre:series_index" content="4.0"/>""",
    item("ncx", "toc.ncx", "application/x-dtbncx+xml")
    + item("c1", "chapter%201.html", "application/xhtml+xml")
    + item("c2", "chapter2.html"),
    '<itemref idref="c1"/><itemref idref="c2"/>',
    version="2.0",
    toc=' toc="ncx"',
)
EPUB2_NCX = """<?xml version="1.0"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
<navPoint id="p1" playOrder="1"><navLabel><text>Boarding</text></navLabel>
<content src="chapter%201.html"/></navPoint></navMap></ncx>"""


def test_epub2_with_an_ncx_and_calibre_series():
    files = {
        "OEBPS/content.opf": EPUB2_OPF,
        "OEBPS/toc.ncx": EPUB2_NCX,
        "OEBPS/chapter 1.html": page("<h2>Boarding</h2><p>The ferry left at midnight.</p>"),
        "OEBPS/chapter2.html": page(
            "<div><h3>Open Water</h3></div><p>Nobody&#160;slept.</p>", body_attributes=' dir="ltr"'
        ),
    }
    (work,) = read_bytes(make_epub(files), name="ferry.epub")
    assert work.title == "The Night Ferry"
    assert work.creators == ["Ada Okafor"]
    assert work.language == "en-gb"
    assert work.summary_html == "<p>A ferry. A night. Plain text, no markup.</p>"
    assert work.source == "https://example.org/night-ferry"
    assert (work.series, work.series_position) == ("Crossings", 4)
    # The NCX names the first chapter; the second is titled by its own heading.
    assert [chapter.title for chapter in work.chapters] == ["Boarding", "Open Water"]
    assert plain(work.chapters[1].body_html) == "Nobody slept."


def test_a_right_to_left_epub_keeps_its_text_and_language():
    files = {
        "OEBPS/content.opf": opf(
            "<dc:title>גשם</dc:title><dc:language>he</dc:language><dc:creator>נועה</dc:creator>",
            item("t", "t.xhtml"),
            '<itemref idref="t"/>',
        ),
        "OEBPS/t.xhtml": page('<p dir="rtl">הגשם ירד כל הלילה.</p>'),
    }
    (work,) = read_bytes(make_epub(files), name="geshem.epub")
    assert (work.title, work.language, work.creators) == ("גשם", "he", ["נועה"])
    assert work.chapters[0].body_html == '<p dir="rtl">הגשם ירד כל הלילה.</p>'


def test_an_epub_is_found_by_its_content_whatever_its_name():
    data = make_epub(epub3_files())
    for name in ("x.zip", "book", "story.txt"):
        assert reader_for(FileSample(data, name)).name == "epub"
    (result,) = read_file(data, name="x.zip")
    assert result.works[0].title == "Barcos de papel"


def ao3_epub() -> bytes:
    folder = SAMPLES / "epub" / "ao3-lanterns"
    files = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in {"mimetype"}
        and not path.relative_to(folder).as_posix().startswith("META-INF/")
    }  # fmt: skip
    container = (folder / "META-INF" / "container.xml").read_text()
    return make_epub(files, container=container)


def test_an_ao3_epub_gives_the_same_work_as_the_ao3_html_download():
    data = ao3_epub()
    assert reader_for(FileSample(data, "The_Lantern_Keepers.zip")).name == "ao3-epub"
    (from_epub,) = read_bytes(data, name="The_Lantern_Keepers.epub")
    (from_html,) = read_bytes((SAMPLES / "ao3" / "lanterns.html").read_bytes(), name="x.html")
    assert from_epub.reader == "ao3-epub"
    for field in ("title", "creators", "tags", "language", "series", "series_position",
                  "published_at", "revised_at", "expected_chapters", "source", "summary_html",
                  "notes_html"):  # fmt: skip
        assert getattr(from_epub, field) == getattr(from_html, field), field
    assert plain(from_epub.end_notes_html) == plain(from_html.end_notes_html)
    assert len(from_epub.chapters) == 2
    for read, expected in zip(from_epub.chapters, from_html.chapters, strict=True):
        assert (read.title, read.summary_html, read.notes_html, read.end_notes_html) == (
            expected.title,
            expected.summary_html,
            expected.notes_html,
            expected.end_notes_html,
        )
    # Images inside the book become their alt text; Calibre's split text joins up again.
    first, second = from_epub.chapters
    assert "[Image: an old brass lamp]" in plain(first.body_html)
    assert "<img" not in first.body_html and "stolen cookies" not in first.body_html
    assert plain(second.body_html) == plain(from_html.chapters[1].body_html)


def test_an_epub_whose_fonts_are_obfuscated_is_not_drm():
    encryption = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
      xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
      <enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
      <enc:CipherData><enc:CipherReference URI="OEBPS/fonts/serif.otf"/></enc:CipherData>
      </enc:EncryptedData></encryption>"""
    data = make_epub(epub3_files(**{"META-INF/encryption.xml": encryption}))
    (work,) = read_bytes(data, name="fonts.epub")
    assert len(work.chapters) == 2


DRM = """<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
  xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>
  <enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
  <enc:CipherData><enc:CipherReference URI="OEBPS/text/one.xhtml"/></enc:CipherData>
  </enc:EncryptedData></encryption>"""
XXE_OPF = opf(
    "<dc:title>&secret;</dc:title>",
    item("t", "t.xhtml"),
    '<itemref idref="t"/>',
).replace(
    "<package",
    '<!DOCTYPE package [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<package',
    1,
)
BAD_EPUBS = {
    "corrupt": (make_epub(epub3_files())[:700], "a corrupt EPUB file"),
    "no container": (
        make_epub(epub3_files(), container=None),
        "not a complete EPUB: META-INF/container.xml is missing",
    ),
    "container without a package": (
        make_epub(epub3_files(), container=CONTAINER.replace("OEBPS/content.opf", "book.opf")),
        "the EPUB's package book.opf is missing from the file",
    ),
    "broken package": (
        make_epub(epub3_files(**{"OEBPS/content.opf": "<package><metadata>"})),
        "OEBPS/content.opf is not well-formed XML",
    ),
    "missing chapter": (
        make_epub({k: v for k, v in epub3_files().items() if k != "OEBPS/text/two.xhtml"}),
        "the EPUB lists OEBPS/text/two.xhtml, which is missing from the file",
    ),
    "drm": (
        make_epub(epub3_files(**{"META-INF/encryption.xml": DRM})),
        "the EPUB is locked with DRM",
    ),
    "empty spine": (
        make_epub({"OEBPS/content.opf": opf("<dc:title>Nothing</dc:title>", "", "")}),
        "the EPUB's spine is empty: it lists no chapters",
    ),
    "only a cover": (
        make_epub(
            epub3_files(
                **{
                    "OEBPS/content.opf": opf(
                        EPUB3_METADATA,
                        item("cover", "text/cover.xhtml") + item("title", "text/title.xhtml"),
                        '<itemref idref="cover"/><itemref idref="title"/>',
                    )
                }
            )
        ),
        "the EPUB has no story text",
    ),
    "external entity": (
        make_epub({"OEBPS/content.opf": XXE_OPF, "OEBPS/t.xhtml": page("")}),
        "the EPUB has no story text",
    ),
}


@pytest.mark.parametrize("case", BAD_EPUBS)
def test_a_broken_epub_gets_one_clear_reason(case):
    data, reason = BAD_EPUBS[case]
    with pytest.raises(ImportProblem, match=reason) as raised:
        read_bytes(data, name=f"{case}.epub")
    assert "\n" not in str(raised.value)
    assert "root:" not in str(raised.value)  # never a line of /etc/passwd


def test_an_external_entity_is_never_read():
    files = {"OEBPS/content.opf": XXE_OPF, "OEBPS/t.xhtml": page("<p>Plain words.</p>")}
    (work,) = read_bytes(make_epub(files), name="xxe.epub")
    assert work.title == "&secret;"  # left as it was written, never resolved
    assert plain(work.chapters[0].body_html) == "Plain words."


def test_an_epub_unpacking_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(epub_package, "MAX_UNPACKED_BYTES", 2_000)
    big = page("<p>" + "All work and no play. " * 200 + "</p>")
    data = make_epub(epub3_files(**{"OEBPS/text/two.xhtml": big}))
    with pytest.raises(ImportProblem, match="unpacks to more than 2,000 bytes"):
        read_bytes(data, name="big.epub")


def ao3_one_shot_epub(*, publisher: str) -> bytes:
    """AO3's one-shot download cut, as Calibre cuts it, into preface, text and afterword."""
    source = (SAMPLES / "ao3" / "salt.html").read_text()
    start = source.index('<div id="preface">')
    chapters = source.index('<div id="chapters"')
    afterword = source.index('<div id="afterword">')
    end = source.index("</body>")
    parts = [source[start:chapters], source[chapters:afterword], source[afterword:end]]
    files = {f"OEBPS/part{n}.xhtml": page(part, title="ملح البحر") for n, part in enumerate(parts)}
    files["OEBPS/content.opf"] = opf(
        f"<dc:title>ملح البحر</dc:title><dc:creator>layla_writes</dc:creator>{publisher}"
        "<dc:language>ar</dc:language>",
        "".join(item(f"p{n}", f"part{n}.xhtml") for n in range(3)),
        "".join(f'<itemref idref="p{n}"/>' for n in range(3)),
        version="2.0",
    )
    return make_epub(files)


def test_an_ao3_one_shot_epub_in_a_right_to_left_language():
    data = ao3_one_shot_epub(publisher="<dc:publisher>Archive of Our Own</dc:publisher>")
    assert reader_for(FileSample(data, "salt.epub")).name == "ao3-epub"
    (work,) = read_bytes(data, name="salt.epub")
    assert work.reader == "ao3-epub"
    assert (work.title, work.language, work.creators) == ("ملح البحر", "ar", ["layla_writes"])
    assert work.source == "https://archiveofourown.org/works/7654321"
    assert work.tags["warning"] == ["Creator Chose Not To Use Archive Warnings"]
    (chapter,) = work.chapters
    assert chapter.title == ""
    assert plain(chapter.body_html).startswith("كان البحر هادئًا")


def test_an_ao3_epub_is_known_by_its_preface_even_if_the_package_does_not_say():
    data = ao3_one_shot_epub(publisher="")
    assert reader_for(FileSample(data, "salt.epub")).name == "epub"
    (work,) = read_bytes(data, name="salt.epub")
    assert work.reader == "ao3-epub"
    assert work.tags["rating"] == ["Teen And Up Audiences"]
