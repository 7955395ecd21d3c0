"""DOCX files written here with zipfile and minimal WordprocessingML (no python-docx)."""

import io
import zipfile
from xml.sax.saxutils import escape

import pytest

from fanshelf.imports.readers import FileSample, ImportProblem, read_bytes, reader_for
from fanshelf.imports.sources import read_file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
</w:styles>"""


def run(text, *, italic=False):
    properties = "<w:rPr><w:i/></w:rPr>" if italic else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(*runs, style=""):
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    content = "".join(item if item.startswith("<w:r>") else run(item) for item in runs)
    return f"<w:p>{properties}{content}</w:p>"


def table(rows):
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


def core_properties(title="", creator="", language=""):
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties
 xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>{escape(title)}</dc:title><dc:creator>{escape(creator)}</dc:creator>
<dc:language>{escape(language)}</dc:language>
</cp:coreProperties>"""


def make_docx(*blocks, title=None, creator="", language="", extra=None):
    """A .docx file's bytes: the blocks as the body, the title and creator as its
    properties (none when ``title`` is None)."""
    document = f'<w:document xmlns:w="{W}"><w:body>{"".join(blocks)}</w:body></w:document>'
    files = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/styles.xml": STYLES,
        "word/document.xml": document,
        **(
            {"docProps/core.xml": core_properties(title, creator, language)}
            if title is not None
            else {}
        ),
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def the_gala():
    return make_docx(
        paragraph("The Gala", style="Title"),
        paragraph("A gala, a father, and what Kylo never said."),
        paragraph("Chapter One: The Father", style="Heading1"),
        paragraph("Kylo had always seen Hux as ", run("perfect", italic=True), "."),
        table([["Guest", "Table"], ["Brendol Hux", "7"]]),
        paragraph("Chapter 2", style="Heading1"),
        paragraph("“Come find me, and I will remind you.”"),
        title="The Gala",
        creator="smol-hux",
        language="EN-GB",
    )


def test_a_document_with_a_title_and_two_chapters_becomes_one_work():
    (work,) = read_bytes(the_gala(), name="the-gala.docx")
    assert work.reader == "docx"
    assert work.title == "The Gala"
    assert not work.title_is_placeholder
    assert work.creators == ["smol-hux"]
    assert work.language == "en-GB"
    assert work.notes_html == "<p>A gala, a father, and what Kylo never said.</p>"
    assert [chapter.title for chapter in work.chapters] == ["The Father", ""]
    assert work.expected_chapters == 2
    first, second = (chapter.body_html for chapter in work.chapters)
    assert "<p>Kylo had always seen Hux as <em>perfect</em>.</p>" in first
    assert "<table>" in first and "<td><p>Brendol Hux</p></td>" in first
    assert "The Gala" not in first and "Chapter" not in first
    assert second == "<p>“Come find me, and I will remind you.”</p>"


def test_docx_is_found_from_its_content_not_its_name():
    assert reader_for(FileSample(the_gala(), "upload.bin")).name == "docx"


def test_without_properties_the_first_heading_is_the_title():
    data = make_docx(
        paragraph("Snow on Hoth", style="Heading1"),
        paragraph("It snowed for three days."),
    )
    (work,) = read_bytes(data, name="snow.docx")
    assert work.title == "Snow on Hoth"
    assert work.creators == []
    assert work.language == "en"
    assert [chapter.body_html for chapter in work.chapters] == ["<p>It snowed for three days.</p>"]


def test_a_document_without_a_title_gets_a_placeholder():
    (work,) = read_bytes(make_docx(paragraph("Just words.")), name="draft 3.docx")
    assert work.title == "Untitled (draft 3)"
    assert work.title_is_placeholder


def test_part_and_prologue_headings_start_chapters():
    data = make_docx(
        paragraph("Prologue", style="Heading1"),
        paragraph("Before."),
        paragraph("Part II - The Return", style="Heading2"),
        paragraph("After."),
        paragraph("A heading inside the story", style="Heading2"),
        paragraph("Still after."),
        title="Returns",
    )
    (work,) = read_bytes(data, name="returns.docx")
    assert [chapter.title for chapter in work.chapters] == ["Prologue", "The Return"]
    assert "<h2>A heading inside the story</h2>" in work.chapters[1].body_html


def test_pictures_are_dropped_and_their_alt_text_kept():
    picture = (
        '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/'
        'drawingml/2006/wordprocessingDrawing"><wp:docPr id="1" name="Picture 1" '
        'descr="a starship over snow"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
        'drawingml/2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/'
        'drawingml/2006/picture"><pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships" r:embed="rId9"/></pic:blipFill></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Target="media/image1.png" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/image"/></Relationships>'
    )
    data = make_docx(
        paragraph("Before the picture."),
        f"<w:p>{picture}</w:p>",
        extra={"word/_rels/document.xml.rels": rels, "word/media/image1.png": b"\x89PNG"},
    )
    (work,) = read_bytes(data, name="picture.docx")
    body = work.chapters[0].body_html
    assert "<img" not in body
    assert "[Image: a starship over snow]" in body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04" + b"\x00" * 40, "a corrupt DOCX document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an old Word document"),
    ],
)
def test_a_broken_docx_gives_one_clear_problem(data, reason):
    with pytest.raises(ImportProblem, match=reason):
        read_bytes(data, name="broken.docx")


def test_a_docx_whose_document_is_not_xml_is_corrupt():
    data = make_docx(extra={"word/document.xml": "this is not xml <<<"})
    with pytest.raises(ImportProblem, match="a corrupt DOCX document"):
        read_bytes(data, name="broken.docx")
    (result,) = read_file(data, name="broken.docx")
    assert result.problem.startswith("a corrupt DOCX document")
    assert result.works == []


def test_an_empty_document_has_no_story_text():
    with pytest.raises(ImportProblem, match="no story text"):
        read_bytes(make_docx(paragraph(""), title="Nothing"), name="empty.docx")


def test_a_docx_that_unpacks_to_a_bomb_is_refused_before_it_is_read():
    document = f'<w:document xmlns:w="{W}"><w:body>{" " * (9 * 1024 * 1024)}</w:body></w:document>'
    data = make_docx(extra={"word/document.xml": document})
    with pytest.raises(ImportProblem, match=r"word/document\.xml unpacks to more than .* zip bomb"):
        read_bytes(data, name="bomb.docx")
