"""tumblr's API JSON (legacy and NPF posts), its blog export, and chains of parts."""

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fanshelf.imports.readers import FileSample, ImportProblem, read_bytes, reader_for
from fanshelf.imports.readers.text import split_end_notes
from fanshelf.imports.readers.tumblr import TumblrPost, chain_posts, make_post, parse_part
from fanshelf.imports.readers.tumblr_api import inline_html
from fanshelf.imports.readers.tumblr_export import READER as EXPORT_READER
from fanshelf.imports.readers.tumblr_export import written_date
from fanshelf.imports.services import import_work
from fanshelf.imports.sources import plan, read_file, read_source
from fanshelf.tags.models import Tag
from fanshelf.text.prose import split_flattened_prose

EXPORT = Path(__file__).parent / "samples" / "tumblr" / "export"
FIRST_PART_URL = "https://lamplight-writes.tumblr.com/post/700000000000000101/the-stars-between-us"


def legacy_post(number=1, **fields):
    post = {
        "type": "text",
        "blog_name": "smol-hux",
        "id": number,
        "id_string": str(number),
        "post_url": f"https://smol-hux.tumblr.com/post/{number}/the-gala",
        "slug": "the-gala",
        "date": "2016-01-02 03:04:05 GMT",
        "timestamp": 1451703845,
        "format": "html",
        "reblog_key": "Ab12Cd34",
        "tags": ["kylux"],
        "summary": "The Gala",
        "title": "The Gala",
        "body": "<p>Kylo had always seen Hux as perfect.</p>",
    }
    return {**post, **fields}


def npf_post(content, number=2, **fields):
    post = {
        "object_type": "post",
        "type": "blocks",
        "original_type": "regular",
        "blog_name": "smol-hux",
        "blog": {"name": "smol-hux", "uuid": "t:abc"},
        "id": number,
        "id_string": str(number),
        "post_url": f"https://smol-hux.tumblr.com/post/{number}",
        "timestamp": 1452308645,
        "date": "2016-01-09 03:04:05 GMT",
        "tags": [],
        "content": content,
        "layout": [],
        "trail": [],
    }
    return {**post, **fields}


def text_block(text, subtype=None, **fields):
    block = {"type": "text", "text": text, **fields}
    return {**block, "subtype": subtype} if subtype else block


def api_answer(*posts):
    return {"meta": {"status": 200, "msg": "OK"}, "response": {"posts": list(posts)}}


def read_json(data, name="posts.json"):
    return read_bytes(json.dumps(data).encode(), name=name)


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def export_posts() -> dict[str, bytes]:
    """The sample export's posts folder as it is inside tumblr's posts.zip."""
    folder = EXPORT / "posts"
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*.html")
    }


# The API's JSON


def test_a_legacy_text_post_becomes_a_work():
    post = legacy_post(
        body="<p>Kylo had always seen Hux as <i>perfect</i>.</p><script>alert(1)</script>",
        tags=["kylux", "#star wars", "my writing", "💕"],
    )
    (work,) = read_json(api_answer(post))
    assert work.reader == "tumblr-api"
    assert work.title == "The Gala"
    assert work.creators == ["smol-hux"]
    assert work.source == "https://smol-hux.tumblr.com/post/1/the-gala"
    assert work.tags == {"freeform": ["kylux", "star wars", "my writing"]}
    assert work.published_at == datetime(2016, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert work.expected_chapters == 1
    (chapter,) = work.chapters
    assert chapter.body_html == "<p>Kylo had always seen Hux as <i>perfect</i>.</p>"
    assert chapter.published_at == work.published_at


def test_an_npf_post_is_rendered_with_its_blocks_and_formatting():
    content = [
        text_block("The Gala", "heading1"),
        text_block(
            "Kylo had always seen Hux as perfect, he read.",
            formatting=[
                {"start": 0, "end": 4, "type": "bold"},
                {"start": 28, "end": 35, "type": "italic"},
                {"start": 37, "end": 39, "type": "strikethrough"},
                {"start": 40, "end": 44, "type": "small"},
                {"start": 5, "end": 8, "type": "color", "hex": "#ff492f"},
            ],
        ),
        text_block(
            "A link and a mention of @smol-hux.",
            formatting=[
                {
                    "start": 2,
                    "end": 6,
                    "type": "link",
                    "url": "https://href.li/?https://example.org/a",
                },
                {
                    "start": 24,
                    "end": 33,
                    "type": "mention",
                    "blog": {"url": "https://smol-hux.tumblr.com/"},
                },
            ],
        ),
        text_block("Scene two", "heading2"),
        text_block("Proud of Armitage?", "quote"),
        text_block("First quoted line", "indented"),
        text_block("Second quoted line", "indented"),
        text_block("kylo: hi", "chat"),
        text_block("the gala", "unordered-list-item"),
        text_block("the father", "unordered-list-item", indent_level=1),
        text_block("the end", "ordered-list-item"),
        text_block(""),
    ]
    (work,) = read_json(npf_post(content, tags=["kylux"]))
    assert work.title == "The Gala"
    assert not work.title_is_placeholder
    assert work.published_at == datetime(2016, 1, 9, 3, 4, 5, tzinfo=UTC)
    assert work.chapters[0].body_html == (
        "<p><strong>Kylo</strong> had always seen Hux as <em>perfect</em>, "
        "<s>he</s> <small>read</small>.</p>"
        '<p>A <a href="https://example.org/a" rel="nofollow">link</a> and a mention of '
        '<a href="https://smol-hux.tumblr.com/" rel="nofollow">@smol-hux</a>.</p>'
        "<h3>Scene two</h3>"
        "<blockquote><p>Proud of Armitage?</p></blockquote>"
        "<blockquote><p>First quoted line</p><p>Second quoted line</p></blockquote>"
        "<p>kylo: hi</p>"
        "<ul><li>the gala<ul><li>the father</li></ul></li></ul><ol><li>the end</li></ol>"
    )


def test_overlapping_formats_nest_as_tumblrs_spec_shows_and_count_code_points():
    spec = {
        "text": "supercalifragilisticexpialidocious",
        "formatting": [
            {"start": 0, "end": 20, "type": "bold"},
            {"start": 9, "end": 34, "type": "italic"},
        ],
    }
    assert inline_html(spec) == (
        "<strong>supercali<em>fragilistic</em></strong><em>expialidocious</em>"
    )
    emoji = {"text": "🌳 a <tree>\nagain", "formatting": [{"start": 2, "end": 10, "type": "bold"}]}
    assert inline_html(emoji) == "🌳 <strong>a &lt;tree&gt;</strong><br>again"


def test_pictures_video_and_audio_become_alt_text_or_links_and_are_never_fetched():
    content = [
        text_block("Kylo looked out over the snow."),
        {
            "type": "image",
            "media": [{"url": "https://64.media.tumblr.com/a.jpg"}],
            "alt_text": "snow",
        },
        {"type": "image", "media": [{"url": "https://64.media.tumblr.com/b.jpg"}]},
        {"type": "link", "url": "https://archiveofourown.org/works/1", "title": "On AO3"},
        {"type": "video", "url": "https://example.org/clip.mp4", "title": "The gala"},
        {"type": "audio", "media": {"url": "https://example.org/song.mp3"}, "title": "Song"},
    ]
    (work,) = read_json(npf_post(content))
    body = work.chapters[0].body_html
    assert "<img" not in body and "<video" not in body and "<audio" not in body
    assert "[Image: snow]" in body
    assert '<a href="https://64.media.tumblr.com/b.jpg" rel="nofollow">[Image]</a>' in body
    assert '<a href="https://archiveofourown.org/works/1" rel="nofollow">On AO3</a>' in body
    assert '<a href="https://example.org/clip.mp4" rel="nofollow">[Video: The gala]</a>' in body
    assert '<a href="https://example.org/song.mp3" rel="nofollow">[Audio: Song]</a>' in body


def test_of_a_reblog_only_what_the_blog_added_counts():
    npf_reblog = npf_post(
        [text_block("My own continuation of the story.")],
        number=3,
        parent_post_url="https://someone.tumblr.com/post/9",
        trail=[{"blog": {"name": "someone"}, "content": [text_block("Someone else's story.")]}],
    )
    legacy_reblog = legacy_post(
        4,
        title="",
        reblogged_from_id="9",
        body="<p><a class='tumblr_blog'>x</a>:</p><blockquote>Theirs.</blockquote><p>Mine.</p>",
        reblog={
            "comment": "<p>Mine, and only mine.</p>",
            "tree_html": "<blockquote>Theirs.</blockquote>",
        },
    )
    bare_reblog = npf_post([], number=5, parent_post_url="https://someone.tumblr.com/post/9")
    works = read_json([npf_reblog, legacy_reblog, bare_reblog])
    bodies = sorted(work.chapters[0].body_html for work in works)
    assert bodies == ["<p>Mine, and only mine.</p>", "<p>My own continuation of the story.</p>"]


def test_posts_that_are_not_stories_are_passed_over():
    posts = [
        legacy_post(1, type="photo", caption="<p>a sunset</p>"),
        legacy_post(2, type="quote", text="A quote", source="someone"),
        legacy_post(3, type="answer", question="fic when?", answer="<p>soon!</p>"),
        npf_post(
            [text_block("fic when?"), text_block("Soon, I promise, the gala is coming.")],
            number=4,
            layout=[{"type": "ask", "blocks": [0]}],
        ),
        npf_post(
            [{"type": "image", "media": [{"url": "https://x.test/a.jpg"}]}, text_block("sunset!!")],
            number=5,
        ),
        legacy_post(6, title="The Only Story"),
    ]
    (work,) = read_json(api_answer(*posts))
    assert work.title == "The Only Story"


@pytest.mark.parametrize(
    "shape",
    [
        lambda post: api_answer(post),
        lambda post: {"posts": [post]},
        lambda post: [post],
        lambda post: post,
        lambda post: {"response": [post]},
    ],
)
def test_every_shape_of_tumblr_json_is_read(shape):
    (work,) = read_json(shape(legacy_post()))
    assert work.title == "The Gala"


def test_an_untitled_post_gets_a_placeholder_from_its_first_words():
    post = legacy_post(
        title="", body="<p>Kylo had always seen Hux as perfect. He never told him.</p>"
    )
    (work,) = read_json([post])
    assert work.title == "Kylo had always seen Hux as perfect. He…"
    assert work.title_is_placeholder


def test_the_seed_as_a_tumblr_post_keeps_its_end_note_and_tags(seed_text):
    story, notes = split_end_notes(seed_text)
    paragraphs = split_flattened_prose(story) + [f"Notes: {notes}"]
    post = legacy_post(
        title="Perfect",
        body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
        tags=["kylux", "star wars", "my writing", "fanfic"],
    )
    (work,) = read_json(api_answer(post))
    assert work.tags == {"freeform": ["kylux", "star wars", "my writing", "fanfic"]}
    assert work.end_notes_html.startswith("<p>I wrote this on tumblr but modified it for here.")
    assert "@smol-hux" in work.end_notes_html
    body = work.chapters[0].body_html
    assert body.startswith("<p>Kylo had always seen Hux as perfect.")
    assert body.rstrip().endswith("“Come find me, and I will remind you.”</p>")
    assert "I wrote this on tumblr" not in body
    assert body.count("<p>") >= 20


@pytest.mark.django_db
def test_imported_tumblr_tags_are_matched_to_canonical_tags(author):
    star_wars = Tag.objects.create(name="Star Wars Sequel Trilogy", type="fandom", canonical=True)
    Tag.objects.create(name="star wars", type="fandom", synonym_of=star_wars)
    ship = Tag.objects.create(name="Armitage Hux/Kylo Ren", type="relationship", canonical=True)
    Tag.objects.create(name="kylux", type="relationship", synonym_of=ship)
    post = legacy_post(tags=["kylux", "star wars", "my writing"])
    (imported,) = read_json(api_answer(post))
    work, created = import_work(imported, user=author)
    assert created
    names = {(tag.type, tag.name) for tag in work.tags.all()}
    assert {
        ("fandom", "Star Wars Sequel Trilogy"),
        ("relationship", "Armitage Hux/Kylo Ren"),
        ("freeform", "my writing"),
    } <= names
    assert ("fandom", "No Fandom") not in names


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"response": {"posts": [{"blog_name": "smol-hux", "type": "text", ', "broken JSON"),
        (
            json.dumps(api_answer(legacy_post(type="photo"))).encode(),
            "no text posts in this tumblr file",
        ),
        (json.dumps([npf_post([text_block("")])]).encode(), "no text posts in this tumblr file"),
    ],
)
def test_bad_tumblr_json_says_why(data, reason):
    with pytest.raises(ImportProblem, match=reason):
        read_bytes(data, name="posts.json")
    (result,) = read_file(data, name="posts.json")
    assert reason in result.problem


def test_a_fanshelf_export_is_not_taken_for_tumblr_posts():
    export = {"format": "fanshelf-work", "title": "x", "chapters": [{"body_html": '"post_url": 1'}]}
    assert reader_for(FileSample(json.dumps(export).encode(), "work.json")).name == "fanshelf-json"
    assert (
        reader_for(FileSample(json.dumps([legacy_post()]).encode(), "x.json")).name == "tumblr-api"
    )


# Chains of parts


@pytest.mark.parametrize(
    ("title", "base", "number", "total", "subtitle"),
    [
        ("The Gala (part 2)", "The Gala", 2, None, ""),
        ("The Gala pt. 3", "The Gala", 3, None, ""),
        ("The Gala pt 3", "The Gala", 3, None, ""),
        ("The Gala - Part IV", "The Gala", 4, None, ""),
        ("The Gala, chapter 2", "The Gala", 2, None, ""),
        ("The Gala [2/5]", "The Gala", 2, 5, ""),
        ("[2/5] The Gala", "The Gala", 2, 5, ""),
        ("The Gala (Part Two of 3): The Father", "The Gala", 2, 3, "The Father"),
    ],
)
def test_part_markers_in_titles(title, base, number, total, subtitle):
    part = parse_part(title)
    assert (part.base, part.number, part.total, part.subtitle) == (base, number, total, subtitle)


@pytest.mark.parametrize("title", ["The Gala", "Departure", "Rain, Part of Me", "Part Ivy"])
def test_titles_without_a_part(title):
    assert parse_part(title) is None


def test_parts_posted_separately_become_chapters_in_part_order():
    posts = [  # newest first, as the API gives them
        legacy_post(13, title="The Gala [3/3]", date="2016-01-20 00:00:00 GMT", tags=["fog"]),
        legacy_post(12, title="The Gala [2/3]", date="2016-01-10 00:00:00 GMT", tags=["Kylux"]),
        legacy_post(20, title="Unrelated", date="2016-01-15 00:00:00 GMT"),
        legacy_post(
            11, title="The Gala [1/3]", date="2016-01-01 00:00:00 GMT", tags=["kylux", "angst"]
        ),
    ]
    gala, unrelated = read_json(api_answer(*posts))
    assert unrelated.title == "Unrelated"
    assert gala.title == "The Gala"
    assert gala.expected_chapters == 3
    assert gala.source == "https://smol-hux.tumblr.com/post/11/the-gala"
    assert gala.tags == {"freeform": ["kylux", "angst", "fog"]}
    assert gala.published_at == datetime(2016, 1, 1, tzinfo=UTC)
    assert gala.revised_at == datetime(2016, 1, 20, tzinfo=UTC)
    assert [chapter.published_at.day for chapter in gala.chapters] == [1, 10, 20]


def post(title, body="<p>Words.</p>", day=1, **fields):
    made = make_post(
        title=title,
        body_html=body,
        published_at=datetime(2016, 1, day, tzinfo=UTC),
        blog_name="smol-hux",
        **fields,
    )
    assert isinstance(made, TumblrPost)
    return made


def test_chaining_is_by_part_number_then_date_and_a_first_line_can_name_the_part():
    posts = [
        post("", body="<p>The Gala (part 3)</p><p>Third.</p>", day=9),
        post("The Gala", body="<p>First.</p>", day=5),
        post("the gala!", body="<p>Also first, later.</p>", day=6),
        post("The Gala, chapter 2: The Father", body="<p>Second.</p>", day=2),
    ]
    (work,) = chain_posts(posts, reader="tumblr-api")
    assert work.title == "The Gala"
    assert [chapter.body_html for chapter in work.chapters] == [
        "<p>First.</p>",
        "<p>Also first, later.</p>",
        "<p>Second.</p>",
        "<p>Third.</p>",
    ]
    assert [chapter.title for chapter in work.chapters] == ["", "", "The Father", ""]
    assert work.expected_chapters is None
    assert work.published_at == datetime(2016, 1, 5, tzinfo=UTC)


def test_a_lone_later_part_and_untitled_posts_stay_works_of_their_own():
    posts = [
        post("The Gala (part 3)"),
        post("", body="<p>Kylo waited.</p>"),
        post("", body="<p>Kylo waited.</p>"),
    ]
    works = chain_posts(posts, reader="tumblr-api")
    assert [work.title for work in works] == ["The Gala (part 3)", "Kylo waited.", "Kylo waited."]
    assert works[0].expected_chapters == 1


def test_a_first_part_alone_expects_the_rest():
    (work,) = chain_posts([post("The Gala [1/4]")], reader="tumblr-api")
    assert (work.title, work.expected_chapters) == ("The Gala", 4)


# The blog export


def check_export_results(results, *, container: str):
    (result,) = results
    assert result.problem == ""
    assert result.name == f"{container}/700000000000000101.html"
    (work,) = result.works
    assert work.reader == "tumblr-export"
    assert work.title == "The Stars Between Us"
    assert work.creators == ["lamplight-writes"]
    assert work.source == FIRST_PART_URL
    assert work.tags == {"freeform": ["original fiction", "my writing", "lighthouse au", "fog"]}
    assert work.published_at == datetime(2017, 3, 3, 21, 15, tzinfo=UTC)
    first, second = work.chapters
    assert first.body_html.startswith("<p>The lighthouse keeper counted the ships every night, ")
    assert "<i>one by one</i>" in first.body_html
    assert first.end_notes_html.startswith("<p>written for a prompt on <a href=")
    assert "Notes:" not in first.body_html and "permalink" not in first.body_html
    assert second.published_at == datetime(2017, 3, 10, 8, 2, tzinfo=UTC)
    assert "[Image: a lighthouse in fog]" in second.body_html
    assert "<img" not in second.body_html
    assert "someone else" not in first.body_html + second.body_html


def test_an_export_folder_becomes_works_with_photo_posts_and_reblogs_left_out():
    (source,) = plan([EXPORT])
    check_export_results(list(read_source(source)), container=f"{EXPORT}/posts/html")


def test_an_export_zip_with_its_inner_posts_zip_is_read_end_to_end():
    data = zip_of(
        {
            "posts.zip": zip_of(export_posts()),
            "media/700000000000000102.jpg": b"\xff\xd8\xff\xe0fakejpeg",
        }
    )
    results = list(read_file(data, name="lamplight.zip"))
    check_export_results(results, container="lamplight.zip/posts.zip/html")
    assert sum(result.size for result in results) > 0


def test_stories_beside_an_export_in_the_same_zip_are_read_too():
    data = zip_of(
        {
            "posts.zip": zip_of(export_posts()),
            "media/700000000000000102.jpg": b"\xff\xd8\xff\xe0fakejpeg",
            "ao3/gala.txt": "Title: The Gala\n\nKylo had always seen Hux as perfect.\n",
        }
    )
    results = list(read_file(data, name="everything.zip"))
    titles = {work.title: result.name for result in results for work in result.works}
    assert titles["The Gala"] == "everything.zip/ao3/gala.txt"
    assert "The Stars Between Us" in titles
    assert not [result.problem for result in results if result.problem]


def test_the_unpacked_posts_zip_is_an_export_too():
    results = list(read_file(zip_of(export_posts()), name="posts.zip"))
    check_export_results(results, container="posts.zip/html")


@pytest.mark.parametrize(
    "files",
    [
        {"posts.zip": zip_of({"posts_index.html": "<html><body></body></html>"})},
        {
            "posts_index.html": "<html></html>",
            "html/1.html": (EXPORT / "posts/html/700000000000000103.html").read_text(),
        },
    ],
)
def test_an_export_without_text_posts_says_so(files):
    (result,) = read_file(zip_of(files), name="export.zip")
    assert result.problem == "no text posts in this tumblr export"
    assert result.works == []


def test_a_post_page_that_cannot_be_read_is_one_problem_and_the_rest_is_read():
    pages = export_posts()
    pages["html/700000000000000099.html"] = b""
    pages["../html/700000000000000098.html"] = b"<p>out of the archive</p>"
    results = list(read_file(zip_of({"posts.zip": zip_of(pages)}), name="export.zip"))
    problems = {result.name: result.problem for result in results if result.problem}
    assert problems == {
        "export.zip/posts.zip/html/700000000000000099.html": "the file is empty",
        "export.zip/posts.zip/../html/700000000000000098.html": (
            "an unsafe name inside the zip (it points outside the archive)"
        ),
    }
    (work,) = [work for result in results for work in result.works]
    assert work.title == "The Stars Between Us"


def test_a_broken_inner_posts_zip_is_one_problem():
    (result,) = read_file(zip_of({"posts.zip": b"PK\x03\x04broken"}), name="export.zip")
    assert result.name == "export.zip/posts.zip"
    assert result.problem.startswith("a corrupt zip file")


def test_ordinary_folders_are_not_taken_for_an_export():
    files = {
        "story.txt": b"Words.",
        "html/notes.html": b"<p>x</p>",
        "posts.zip": zip_of({"a.txt": "x"}),
    }
    assert not EXPORT_READER.sniff(files)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (" March 3rd, 2017 9:15pm ", datetime(2017, 3, 3, 21, 15, tzinfo=UTC)),
        ("December 12th, 2019 12:03am", datetime(2019, 12, 12, 0, 3, tzinfo=UTC)),
        ("Jan 1, 2016", datetime(2016, 1, 1, tzinfo=UTC)),
        ("2016-01-02 03:04:05 GMT", datetime(2016, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("someday", None),
    ],
)
def test_export_dates(written, expected):
    assert written_date(written) == expected


def test_a_bomb_inside_the_inner_posts_zip_is_refused_unread():
    pages = export_posts()
    pages["html/700000000000000097.html"] = b" " * (9 * 1024 * 1024)
    results = list(read_file(zip_of({"posts.zip": zip_of(pages)}), name="export.zip"))
    (bomb,) = [result for result in results if result.problem]
    assert bomb.name == "export.zip/posts.zip/html/700000000000000097.html"
    assert "(a zip bomb?)" in bomb.problem
