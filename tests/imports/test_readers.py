import json

import pytest

from fanshelf.imports.readers import (
    FileSample,
    ImportProblem,
    read_bytes,
    reader_for,
    split_end_notes,
    split_header,
)


def test_seed_becomes_paragraphs_with_its_tumblr_note_as_end_notes(seed_text):
    (work,) = read_bytes(seed_text.encode(), name="000_761434c73575d7c8.txt")
    body = work.chapters[0].body_html
    assert work.title_is_placeholder
    assert work.title == "Untitled (000_761434c73575d7c8)"
    assert work.end_notes_html.startswith("<p>I wrote this on tumblr but modified it for here.")
    assert "@smol-hux" in work.end_notes_html
    assert "Notes:" not in body
    assert "I wrote this on tumblr" not in body
    assert body.count("<p>") >= 20
    assert body.startswith("<p>Kylo had always seen Hux as perfect.")
    assert body.rstrip().endswith("“Come find me, and I will remind you.”</p>")


def test_header_blocks_go_to_their_fields():
    source = (
        "Title: The Gala\n"
        "Fandom: Star Wars, Star Wars Sequel Trilogy\n"
        "Rating: Teen And Up Audiences\n"
        "Summary: A gala,\n  a father.\n"
        "\n"
        "Notes: Written for a prompt.\n"
        "\n"
        "Kylo had always seen Hux as perfect.\n"
        "\n"
        "He never told him.\n"
        "\n"
        "Notes:\n"
        "Tell me what you think!\n"
    )
    (work,) = read_bytes(source.encode(), name="gala.txt")
    assert work.title == "The Gala"
    assert not work.title_is_placeholder
    assert work.tags["fandom"] == ["Star Wars", "Star Wars Sequel Trilogy"]
    assert work.tags["rating"] == ["Teen And Up Audiences"]
    assert "a father." in work.summary_html
    assert work.notes_html == "<p>Written for a prompt.</p>"
    assert work.end_notes_html == "<p>Tell me what you think!</p>"
    assert work.chapters[0].body_html.count("<p>") == 2


def test_a_story_that_mentions_notes_keeps_them():
    source = "Notes: the lab book.\n\nShe wrote in her notes: nothing.\n\nThe end."
    header, body = split_header(source)
    assert header == {"notes": "the lab book."}
    assert split_end_notes(body) == (body, "")


def test_markdown_title_heading_and_html_detection():
    (work,) = read_bytes(b"# The Balcony\n\n*Soft* words.\n", name="balcony.md")
    assert work.title == "The Balcony"
    assert "<em>Soft</em>" in work.chapters[0].body_html
    assert reader_for(FileSample(b"<!DOCTYPE html><html></html>", "x.txt")).name == "html"
    assert reader_for(FileSample(b"# heading", "x.txt")).name == "text"


def test_html_file_title_and_sanitised_body():
    source = (
        "<!DOCTYPE html><html lang='fr'><head><title>Le Gala</title></head><body>"
        "<h1>Le Gala</h1><p>Bonjour <b>Hux</b>.</p><script>alert(1)</script></body></html>"
    )
    (work,) = read_bytes(source.encode(), name="gala.html")
    assert work.title == "Le Gala"
    assert work.language == "fr"
    assert work.chapters[0].body_html == "<p>Bonjour <b>Hux</b>.</p>"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (bytes(range(256)) * 3, "unknown text encoding"),
        (b"{not json", "broken JSON"),
        (json.dumps({"format": "other"}).encode(), "neither a Fanshelf work export"),
        (json.dumps({"format": "fanshelf-work", "title": "x"}).encode(), "missing or bad field"),
        (b"Title: Only a title\n", "no story text"),
        (b"x" * (8 * 1024 * 1024 + 1), "too long"),
    ],
)
def test_bad_files_say_why(data, reason):
    """Each bad file gets one reason; bytes in no encoding are refused, not imported
    as mojibake."""
    with pytest.raises(ImportProblem, match=reason):
        read_bytes(data, name="bad.txt")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_text_in_other_encodings_is_detected(encoding):
    story = (
        "Il était une fois, dans un café de Paris, une jeune femme qui écrivait des "
        "histoires. Elle s'appelait Hélène et rêvait de voyages. « Où vas-tu ? » "
        "demanda-t-il. Elle sourit, sans répondre."
    )
    (work,) = read_bytes(story.encode(encoding), name="cafe.txt")
    assert "Hélène et rêvait" in work.chapters[0].body_html


def test_html_declaring_its_charset_is_read_in_it():
    page = '<html><head><meta charset="windows-1251"><title>Зима</title></head>'
    page += "<body><p>Снег шёл всю ночь.</p></body></html>"
    (work,) = read_bytes(page.encode("cp1251"), name="zima.html")
    assert work.title == "Зима"
    assert "Снег шёл всю ночь." in work.chapters[0].body_html


def test_imported_work_survives_json_and_keys_ignore_the_source():
    (work,) = read_bytes(b"Title: Gala\n\nKylo waited.\n", name="a.txt")
    again = type(work).from_dict(work.as_dict())
    assert again == work
    again.source = "b.txt"
    assert again.key() == work.key()
    again.chapters[0].body_html += "<p>More.</p>"
    assert again.key() != work.key()


@pytest.mark.parametrize("name", ["book.epub", "letter.docx", "stories.zip"])
def test_a_zip_format_file_that_is_not_a_zip_is_refused_not_read_as_text(name):
    with pytest.raises(ImportProblem, match="not a zip inside"):
        read_bytes(b"Once upon a time, a broken download.", name=name)
