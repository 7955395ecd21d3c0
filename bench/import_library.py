"""A folder of generated works in every format ``fanshelf import`` reads, for the benchmark.

``write_library(folder, works=N)`` writes N works, each a different text (prose from
the synthetic corpus's vocabulary, ``fanshelf.core.benchmarks.vocabulary``), as:
plain text with a ``Label: value`` header, Markdown, generic HTML, Fanshelf's HTML
download, Fanshelf's JSON export, EPUB (written by Fanshelf's own download code),
DOCX (a minimal WordprocessingML package) and tumblr API JSON (20 posts a file, legacy
text posts and NPF posts in turn). Lengths are log-normal (median 1,500 words, 100 to
30,000; tumblr posts median 700); works over 4,000 words have chapters of about
3,000 words (text, Markdown and tumblr posts keep one). Needs Django set up (the EPUB
and HTML downloads render templates).
"""

import json
import math
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape, unescape
from pathlib import Path

# Share of works in each format (the tumblr share is in posts, 20 to a file).
SHARES = {
    "txt": 0.15,
    "md": 0.10,
    "html": 0.10,
    "download-html": 0.10,
    "json": 0.15,
    "epub": 0.10,
    "docx": 0.10,
    "tumblr": 0.20,
}
POSTS_PER_FILE = 20
FANDOMS = [f"{name} (TV)" for name in ("Pact Velvet", "Jade Hearts", "Circus Meridian")] + [
    "Star Wars Sequel Trilogy",
    "Harbour Lights",
    "The Glass Orchard",
]
FREEFORMS = ["Fluff", "Angst", "Hurt/Comfort", "Slow Burn", "Alternate Universe", "Found Family"]
RATINGS = ["General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated"]
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


@dataclass
class Story:
    number: int
    title: str
    creator: str
    summary: str  # HTML
    fandom: str
    rating: str
    characters: list[str]
    freeforms: list[str]
    published: date
    chapters: list[tuple[str, str]] = field(default_factory=list)  # (title, HTML body)

    @property
    def relationship(self) -> str:
        return "/".join(self.characters[:2])

    def tags(self) -> dict[str, list[str]]:
        return {
            "rating": [self.rating],
            "warning": ["No Archive Warnings Apply"],
            "fandom": [self.fandom],
            "relationship": [self.relationship],
            "character": list(self.characters),
            "freeform": list(self.freeforms),
        }

    def paragraphs(self) -> list[str]:
        """Every chapter's paragraphs as plain text."""
        return [unescape(p) for _, body in self.chapters for p in PARAGRAPH.findall(body)]


def plan_formats(works: int, rng: random.Random) -> list[str]:
    """One format per work, in the shares above, shuffled."""
    kinds = [kind for kind, share in SHARES.items() for _ in range(round(works * share))]
    kinds = (kinds + ["txt"] * works)[:works]
    rng.shuffle(kinds)
    return kinds


def make_story(number: int, kind: str, rng: random.Random, prose) -> Story:
    from fanshelf.core.benchmarks.vocabulary import FIRST_NAMES, LAST_NAMES

    names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(3)]
    median = 700 if kind == "tumblr" else 1500
    words = int(min(max(rng.lognormvariate(math.log(median), 1.0), 100), 30_000))
    parts = 1 if words < 4000 or kind in ("txt", "md", "tumblr") else min(words // 3000, 20)
    story = Story(
        number=number,
        # Distinct titles: tumblr posts of one title are chained into one work.
        title=f"{prose.title(rng)} {number}",
        creator=f"{rng.choice(FIRST_NAMES).lower()}-{rng.choice(LAST_NAMES).lower()}",
        summary=prose.summary(rng, [name.split()[0] for name in names]),
        fandom=rng.choice(FANDOMS),
        rating=rng.choice(RATINGS),
        characters=names[:2],
        freeforms=rng.sample(FREEFORMS, 2),
        published=date(2016, 1, 1) + timedelta(days=rng.randrange(3000)),
    )
    firsts = [name.split()[0] for name in names]
    for part in range(1, parts + 1):
        heading = f"Part {part}" if parts > 1 else ""
        story.chapters.append((heading, prose.chapter_html(rng, words // parts, firsts)))
    return story


def write_library(folder: Path, *, works: int, seed: int = 2026) -> dict[str, int]:
    """Write ``works`` works into ``folder`` (a subfolder per format); files per format."""
    from fanshelf.core.benchmarks.vocabulary import ProseWriter

    rng = random.Random(seed)
    prose = ProseWriter()
    files: dict[str, int] = {}
    posts: list[Story] = []
    for number, kind in enumerate(plan_formats(works, rng), 1):
        story = make_story(number, kind, rng, prose)
        shelf = folder / kind
        shelf.mkdir(parents=True, exist_ok=True)
        if kind == "tumblr":
            posts.append(story)
            if len(posts) == POSTS_PER_FILE:
                write_tumblr(shelf / f"posts-{number:06d}.json", posts)
                files[kind] = files.get(kind, 0) + 1
                posts = []
            continue
        WRITERS[kind](shelf, story)
        files[kind] = files.get(kind, 0) + 1
    if posts:
        write_tumblr(folder / "tumblr" / "posts-last.json", posts)
        files["tumblr"] = files.get("tumblr", 0) + 1
    return files


def write_txt(shelf: Path, story: Story) -> None:
    summary = unescape(PARAGRAPH.sub(r"\1", story.summary))
    header = (
        f"Title: {story.title}\nAuthor: {story.creator}\nFandom: {story.fandom}\n"
        f"Rating: {story.rating}\nRelationship: {story.relationship}\n"
        f"Characters: {', '.join(story.characters)}\nTags: {', '.join(story.freeforms)}\n"
        f"Summary: {summary}\n\n"
    )
    text = header + "\n\n".join(story.paragraphs()) + "\n"
    (shelf / f"work-{story.number:06d}.txt").write_text(text, encoding="utf-8")


def write_md(shelf: Path, story: Story) -> None:
    body = "\n\n".join(paragraph.replace("*", "") for paragraph in story.paragraphs())
    text = f"# {story.title}\n\n{body}\n"
    (shelf / f"work-{story.number:06d}.md").write_text(text, encoding="utf-8")


def write_html(shelf: Path, story: Story) -> None:
    chapters = "".join(
        (f"<h2>{escape(title)}</h2>" if title else "") + body for title, body in story.chapters
    )
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(story.title)}</title>"
        f'<meta name="author" content="{escape(story.creator)}"></head>'
        f"<body><h1>{escape(story.title)}</h1>{chapters}</body></html>"
    )
    (shelf / f"work-{story.number:06d}.html").write_text(page, encoding="utf-8")


def write_json(shelf: Path, story: Story) -> None:
    document = {
        "format": "fanshelf-work",
        "format_version": 1,
        "title": story.title,
        "creators": [{"pseud": story.creator}],
        "summary": story.summary,
        "language": "en",
        "tags": story.tags(),
        "published_at": f"{story.published.isoformat()}T12:00:00+00:00",
        "chapters": [
            {"title": title, "body_html": body, "position": position}
            for position, (title, body) in enumerate(story.chapters, 1)
        ],
    }
    (shelf / f"work-{story.number:06d}.json").write_text(json.dumps(document), encoding="utf-8")


def book(story: Story):
    """The downloads code's Book for a story that is not in any archive."""
    from fanshelf.downloads.book import Book, BookChapter
    from fanshelf.tags.models import Tag

    chapters = [
        BookChapter(
            number=number,
            heading=f"Chapter {number}: {title}" if title else f"Chapter {number}",
            title=title,
            summary="",
            notes="",
            body=body,
            end_notes="",
            word_count=len(PARAGRAPH.sub(" ", body).split()),
        )
        for number, (title, body) in enumerate(story.chapters, 1)
    ]
    url = f"https://archive.example/works/{story.number}"
    return Book(
        work_id=story.number,
        title=story.title,
        creators=[story.creator],
        language="en",
        tags={key: value for key, value in story.tags().items() if value},
        tag_labels={tag_type.value: str(tag_type.label) for tag_type in Tag.Type},
        summary=story.summary,
        notes="",
        end_notes="",
        series=None,
        published=story.published.isoformat(),
        updated="",
        complete=True,
        words=sum(chapter.word_count for chapter in chapters),
        chapters_display=f"{len(chapters)}/{len(chapters)}",
        url=url,
        kudos_url=url + "#kudos",
        comments_url=url + "#comments",
        chapters=chapters,
    )


def write_epub(shelf: Path, story: Story) -> None:
    from fanshelf.downloads import formats

    (shelf / f"work-{story.number:06d}.epub").write_bytes(formats.render(book(story), "epub"))


def write_download_html(shelf: Path, story: Story) -> None:
    from fanshelf.downloads import formats

    (shelf / f"work-{story.number:06d}.html").write_bytes(formats.render(book(story), "html"))


OOXML = "http://schemas.openxmlformats.org"
PACKAGE_TYPE = "application/vnd.openxmlformats-package"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
DOCX_TYPES = (
    f'{XML_DECLARATION}<Types xmlns="{OOXML}/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{PACKAGE_TYPE}.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{WORD_TYPE}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{WORD_TYPE}.styles+xml"/>'
    f'<Override PartName="/docProps/core.xml" ContentType="{PACKAGE_TYPE}.core-properties+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    f'{XML_DECLARATION}<Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Target="word/document.xml" '
    f'Type="{OOXML}/officeDocument/2006/relationships/officeDocument"/>'
    f'<Relationship Id="rId2" Target="docProps/core.xml" '
    f'Type="{OOXML}/package/2006/relationships/metadata/core-properties"/>'
    "</Relationships>"
)
DOCX_DOCUMENT_RELS = (
    f'{XML_DECLARATION}<Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Target="styles.xml" '
    f'Type="{OOXML}/officeDocument/2006/relationships/styles"/>'
    "</Relationships>"
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}">'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
    "</w:styles>"
)


def _docx_paragraph(text: str, style: str = "") -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def write_docx(shelf: Path, story: Story) -> None:
    parts = [_docx_paragraph(story.title, "Title")]
    for title, body in story.chapters:
        if title:
            parts.append(_docx_paragraph(title, "Heading1"))
        parts += [_docx_paragraph(unescape(p)) for p in PARAGRAPH.findall(body)]
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}"><w:body>{"".join(parts)}</w:body></w:document>'
    )
    core = (
        f"{XML_DECLARATION}<cp:coreProperties "
        f'xmlns:cp="{OOXML}/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(story.title)}</dc:title>"
        f"<dc:creator>{escape(story.creator)}</dc:creator></cp:coreProperties>"
    )
    path = shelf / f"work-{story.number:06d}.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", DOCX_TYPES)
        package.writestr("_rels/.rels", DOCX_RELS)
        package.writestr("word/_rels/document.xml.rels", DOCX_DOCUMENT_RELS)
        package.writestr("word/document.xml", document)
        package.writestr("word/styles.xml", DOCX_STYLES)
        package.writestr("docProps/core.xml", core)


def _tumblr_post(story: Story) -> dict:
    post_id = 700_000_000_000 + story.number
    common = {
        "id": post_id,
        "id_string": str(post_id),
        "blog_name": story.creator,
        "post_url": f"https://{story.creator}.tumblr.com/post/{post_id}",
        "timestamp": int((story.published - date(1970, 1, 1)).total_seconds()),
        "date": f"{story.published.isoformat()} 12:00:00 GMT",
        "tags": [story.fandom, *story.characters, *story.freeforms],
        "reblog_key": "abc123",
    }
    if story.number % 2:
        body = "".join(body for _, body in story.chapters)
        return {**common, "type": "text", "title": story.title, "body": body}
    blocks = [{"type": "text", "subtype": "heading1", "text": story.title}]
    blocks += [{"type": "text", "text": paragraph} for paragraph in story.paragraphs()]
    return {**common, "type": "blocks", "content": blocks, "layout": [], "trail": []}


def write_tumblr(path: Path, stories: list[Story]) -> None:
    answer = {
        "meta": {"status": 200, "msg": "OK"},
        "response": {"posts": [_tumblr_post(story) for story in stories]},
    }
    path.write_text(json.dumps(answer), encoding="utf-8")


WRITERS = {
    "txt": write_txt,
    "md": write_md,
    "html": write_html,
    "download-html": write_download_html,
    "json": write_json,
    "epub": write_epub,
    "docx": write_docx,
}
