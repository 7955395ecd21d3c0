"""The OPDS catalogue as an e-reader app walks it: every feed parsed and checked as Atom."""

import functools
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rnc2rng
from django.urls import resolve
from lxml import etree

from fanshelf.downloads import opds
from fanshelf.downloads.services import available_extensions
from fanshelf.feedback.services import give_kudos
from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag
from fanshelf.works.models import Work
from tests.factories import work_tags

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/terms/",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
    "thr": "http://purl.org/syndication/thread/1.0",
}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ACQUIRE = "http://opds-spec.org/acquisition"


@functools.cache
def atom_schema() -> etree.RelaxNG:
    """RFC 4287's RELAX NG schema, converted from its compact syntax."""
    compact = (Path(__file__).parent / "atom.rnc").read_text()
    # rnc2rng declares the empty namespace as a prefix (``xmlns:local=""``), which
    # XML 1.0 forbids; the schema names it with ns="" everywhere it matters.
    grammar = rnc2rng.dumps(rnc2rng.loads(compact)).replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(grammar.encode()))


def fetch(client, url, kind=ACQUISITION):
    """The feed at ``url``, after checking its content type, its Atom and its OPDS basics."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == kind
    root = etree.fromstring(response.content)
    schema = atom_schema()
    assert schema.validate(root), schema.error_log
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert text(root, "atom:author/atom:name") == "Fanshelf"
    for element in [root, *root.findall("atom:entry", NS)]:
        for required in ("atom:id", "atom:title", "atom:updated"):
            assert element.findtext(required, namespaces=NS).strip(), required
    for href in root.xpath("//atom:link/@href | //atom:id/text() | //atom:uri/text()",
                           namespaces=NS):  # fmt: skip
        assert urlsplit(href).scheme in ("http", "https") and urlsplit(href).netloc, href
    rels = {link.get("rel"): link.get("type") for link in root.findall("atom:link", NS)}
    assert rels["self"] == kind
    assert rels["start"] == NAVIGATION
    assert rels["search"] == "application/opensearchdescription+xml"
    return root


def feed_link(root, rel):
    found = root.find(f"atom:link[@rel='{rel}']", NS)
    return None if found is None else found.get("href")


def titles(root):
    return [text(entry, "atom:title") for entry in root.findall("atom:entry", NS)]


def entry_titled(root, title):
    (entry,) = [e for e in root.findall("atom:entry", NS) if text(e, "atom:title") == title]
    return entry


def text(element, path):
    return element.findtext(path, namespaces=NS)


@pytest.fixture
def wrangler(make_user):
    return make_user("wrangler", role="wrangler")


def make_canonical(wrangler, *names):
    for name in names:
        wrangling.set_canonical(user=wrangler, tag=Tag.objects.get(name=name))


def test_the_atom_schema_catches_what_the_feeds_must_not_do(client):
    """The schema the other tests validate against does refuse broken Atom."""
    good = etree.fromstring(client.get("/opds/").content)
    assert atom_schema().validate(good)
    for broken in ("atom:id", "atom:updated"):
        feed = etree.fromstring(client.get("/opds/").content)
        feed.remove(feed.find(broken, NS))
        assert not atom_schema().validate(feed), broken
    feed = etree.fromstring(client.get("/opds/").content)
    feed.find("atom:updated", NS).text = "26 November 2026"
    assert not atom_schema().validate(feed)


# The root


def test_root_is_a_navigation_feed_of_recent_popular_and_fandoms(client):
    root = fetch(client, "/opds/", NAVIGATION)
    assert titles(root) == ["Recent works", "Popular works", "By fandom"]
    links = [entry.find("atom:link", NS) for entry in root.findall("atom:entry", NS)]
    assert [(urlsplit(link.get("href")).path, link.get("type")) for link in links] == [
        ("/opds/recent/", ACQUISITION),
        ("/opds/popular/", ACQUISITION),
        ("/opds/fandoms/", NAVIGATION),
    ]
    assert [link.get("rel") for link in links] == [
        "http://opds-spec.org/sort/new",
        "http://opds-spec.org/sort/popular",
        "subsection",
    ]
    assert feed_link(root, "search") == "http://testserver/opds/search.xml"


def test_links_are_absolute_on_the_requested_host_and_ids_on_the_site_url(client, settings):
    settings.SITE_URL = "https://fanshelf.example"
    root = fetch(client, "/opds/", NAVIGATION)
    assert text(root, "atom:id") == "https://fanshelf.example/opds/"
    assert feed_link(root, "self") == "http://testserver/opds/"


# Acquisition entries


def test_a_work_entry_carries_its_metadata_and_a_link_per_download_format(client, make_work):
    work = make_work(
        title="Perfect?!",
        summary="<p>Hux is <em>perfect</em> &amp; knows it.</p>",
        language="en-GB",
        tags=work_tags(relationship=["Armitage Hux/Kylo Ren"], freeform=["One Shot"]),
    )
    entry = entry_titled(fetch(client, "/opds/recent/"), "Perfect?!")
    assert text(entry, "atom:id") == f"http://127.0.0.1:8000/works/{work.pk}/"
    author = entry.find("atom:author", NS)
    assert text(author, "atom:name") == "smolhux"
    assert text(author, "atom:uri") == "http://testserver/users/smolhux/works/"
    assert text(entry, "dc:language") == "en-gb"
    assert text(entry, "atom:published").endswith("Z")
    categories = [
        (category.get("scheme").rsplit("#")[1], category.get("term"))
        for category in entry.findall("atom:category", NS)
    ]
    assert categories == [
        ("rating", "Teen And Up Audiences"),
        ("warning", "No Archive Warnings Apply"),
        ("fandom", "Star Wars"),
        ("relationship", "Armitage Hux/Kylo Ren"),
        ("freeform", "One Shot"),
    ]
    summary = entry.find("atom:summary", NS)
    assert summary.get("type") == "text"
    assert summary.text.startswith("Hux is perfect & knows it.\n\nWords: 7 · Chapters: 1/1")
    links = [
        (link.get("rel"), link.get("type"), link.get("href"))
        for link in entry.findall("atom:link", NS)
    ]
    base = f"http://testserver/works/{work.pk}"
    assert links[0] == ("alternate", "text/html", f"{base}/")
    assert links[1:] == [
        (ACQUIRE, opds.DOWNLOADS[extension], f"{base}/download/perfect.{extension}")
        for extension in available_extensions()
    ]
    assert links[1][1] == "application/epub+zip"
    match = resolve(urlsplit(links[1][2]).path)
    assert match.view_name == "downloads:file"
    assert match.kwargs == {"work_id": work.pk, "slug": "perfect", "extension": "epub"}


def test_an_anonymous_work_is_credited_to_anonymous_only(client, make_work):
    make_work(title="Masked", anonymous=True, summary="<p>Who wrote this?</p>")
    response = client.get("/opds/recent/")
    entry = entry_titled(fetch(client, "/opds/recent/"), "Masked")
    (author,) = entry.findall("atom:author", NS)
    assert text(author, "atom:name") == "Anonymous"
    assert author.find("atom:uri", NS) is None
    assert b"smolhux" not in response.content


def test_titles_are_escaped_and_characters_xml_forbids_left_out(client, make_work):
    make_work(title="Bell\x07 and\x0b tab", summary="<p>Ring\x07</p>")
    make_work(title="Fish & <Chips>")
    assert titles(fetch(client, "/opds/recent/")) == ["Fish & <Chips>", "Bell and tab"]
    assert text(fetch(client, "/opds/search/?q=bell%07"), "atom:title") == "Search: bell"


# Listings


def test_recent_lists_the_newest_update_first(client, make_work, author):
    from fanshelf.works.services import ChapterText, add_chapter

    first = make_work(title="First", expected_chapters=None)
    make_work(title="Second")
    assert titles(fetch(client, "/opds/recent/")) == ["Second", "First"]
    add_chapter(user=author, work=first, chapter=ChapterText(body="<p>More.</p>", title=""))
    assert titles(fetch(client, "/opds/recent/")) == ["First", "Second"]


def test_popular_lists_the_most_kudos_first(client, make_work, make_user):
    quiet, loved = make_work(title="Quiet"), make_work(title="Loved")
    make_work(title="Newest")
    for reader in (make_user(), make_user()):
        give_kudos(work=loved, user=reader)
    give_kudos(work=quiet, user=make_user())
    assert titles(fetch(client, "/opds/popular/")) == ["Loved", "Quiet", "Newest"]


def test_fandoms_are_listed_busiest_first_and_lead_to_their_works(client, make_work, wrangler):
    make_work(title="Hogwarts", tags=work_tags(fandom=["Harry Potter"]))
    make_work(title="Kylux", tags=work_tags(fandom=["Star Wars"]))
    make_work(title="Crait", tags=work_tags(fandom=["Star Wars"]))
    make_work(title="Unwrangled", tags=work_tags(fandom=["My Own Fandom"]))
    make_canonical(wrangler, "Star Wars", "Harry Potter")

    root = fetch(client, "/opds/fandoms/", NAVIGATION)
    assert feed_link(root, "up") == "http://testserver/opds/"
    assert titles(root) == ["Star Wars", "Harry Potter"]
    star_wars = entry_titled(root, "Star Wars")
    assert text(star_wars, "atom:summary") == "2 works"
    link = star_wars.find("atom:link", NS)
    assert (link.get("rel"), link.get("type")) == ("subsection", ACQUISITION)
    assert link.get(f"{{{NS['thr']}}}count") == "2"

    works = fetch(client, link.get("href"))
    assert text(works, "atom:title") == "Star Wars"
    assert titles(works) == ["Crait", "Kylux"]
    assert feed_link(works, "up") == "http://testserver/opds/fandoms/"


def test_a_fandom_counts_the_works_of_its_synonyms(client, make_work, wrangler):
    make_work(title="Kylux", tags=work_tags(fandom=["Star Wars"]))
    make_work(title="Abbreviated", tags=work_tags(fandom=["SW"]))
    make_canonical(wrangler, "Star Wars")
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="SW"),
                           canonical=Tag.objects.get(name="Star Wars"))  # fmt: skip
    root = fetch(client, "/opds/fandoms/", NAVIGATION)
    assert text(entry_titled(root, "Star Wars"), "atom:summary") == "2 works"
    href = entry_titled(root, "Star Wars").find("atom:link", NS).get("href")
    assert sorted(titles(fetch(client, href))) == ["Abbreviated", "Kylux"]


def test_only_canonical_fandoms_have_a_feed(client, make_work, wrangler):
    make_work(tags=work_tags(fandom=["Star Wars"], character=["Rey"]))
    make_canonical(wrangler, "Rey")
    for tag_id in (Tag.objects.get(name="Star Wars").pk, Tag.objects.get(name="Rey").pk, 99999):
        assert client.get(f"/opds/fandoms/{tag_id}/").status_code == 404


# Paging


def test_acquisition_feeds_page_with_first_previous_next_and_last(client, make_work, monkeypatch):
    monkeypatch.setattr(opds, "WORKS_PER_PAGE", 2)
    for number in range(5):
        make_work(title=f"Work {number}")
    first = fetch(client, "/opds/recent/")
    assert titles(first) == ["Work 4", "Work 3"]
    assert feed_link(first, "previous") is None
    assert feed_link(first, "first") == feed_link(first, "self") == "http://testserver/opds/recent/"
    assert feed_link(first, "last") == "http://testserver/opds/recent/?page=3"
    assert text(first, "os:totalResults") == "5"
    assert text(first, "os:itemsPerPage") == "2"

    second = fetch(client, feed_link(first, "next"))
    assert titles(second) == ["Work 2", "Work 1"]
    assert text(second, "os:startIndex") == "3"
    assert feed_link(second, "previous") == "http://testserver/opds/recent/"
    assert text(second, "atom:id").endswith("/opds/recent/?page=2")

    last = fetch(client, feed_link(second, "next"))
    assert titles(last) == ["Work 0"]
    assert feed_link(last, "next") is None
    assert feed_link(last, "previous") == "http://testserver/opds/recent/?page=2"
    # A page past the end, or one that is not a number, still gives a feed.
    assert titles(fetch(client, "/opds/recent/?page=40")) == ["Work 0"]
    assert titles(fetch(client, "/opds/recent/?page=lots")) == ["Work 4", "Work 3"]


def test_the_fandoms_page_too(client, make_work, wrangler, monkeypatch):
    monkeypatch.setattr(opds, "FANDOMS_PER_PAGE", 2)
    names = ["Alpha", "Beta", "Gamma"]
    for name in names:
        make_work(title=name, tags=work_tags(fandom=[name]))
    make_canonical(wrangler, *names)
    first = fetch(client, "/opds/fandoms/", NAVIGATION)
    assert titles(first) == ["Alpha", "Beta"]
    second = fetch(client, feed_link(first, "next"), NAVIGATION)
    assert titles(second) == ["Gamma"]
    assert feed_link(second, "previous") == "http://testserver/opds/fandoms/"


# Who sees what


def test_a_guest_never_sees_a_restricted_work_but_a_logged_in_reader_does(
    client, make_work, reader, wrangler
):
    make_work(title="Open", tags=work_tags(fandom=["Star Wars"]))
    make_work(title="Members only", restricted=True, tags=work_tags(fandom=["Star Wars"]),
              chapters=["<p>Only for members: the secret garden.</p>"])  # fmt: skip
    make_canonical(wrangler, "Star Wars")
    star_wars = Tag.objects.get(name="Star Wars")
    urls = ["/opds/recent/", "/opds/popular/", f"/opds/fandoms/{star_wars.pk}/"]

    for url in urls:
        assert titles(fetch(client, url)) == ["Open"], url
    assert "Members only" not in titles(fetch(client, "/opds/search/?q=secret+garden"))
    fandoms = fetch(client, "/opds/fandoms/", NAVIGATION)
    assert text(entry_titled(fandoms, "Star Wars"), "atom:summary") == "1 work"

    client.force_login(reader)
    for url in urls:
        assert sorted(titles(fetch(client, url))) == ["Members only", "Open"], url
    assert titles(fetch(client, "/opds/search/?q=secret+garden")) == ["Members only"]
    fandoms = fetch(client, "/opds/fandoms/", NAVIGATION)
    assert text(entry_titled(fandoms, "Star Wars"), "atom:summary") == "2 works"


def test_drafts_are_never_listed_not_even_to_their_creator(client, make_work, author):
    make_work(title="Posted")
    make_work(title="Draft", state=Work.State.DRAFT, chapters=["<p>Unfinished garden.</p>"])
    client.force_login(author)
    assert titles(fetch(client, "/opds/recent/")) == ["Posted"]
    assert titles(fetch(client, "/opds/search/?q=garden")) == []


# Search


def test_the_opensearch_description_points_at_the_search_feed(client):
    response = client.get("/opds/search.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{NS['os']}}}OpenSearchDescription"
    assert 0 < len(text(root, "os:ShortName")) <= 16
    assert text(root, "os:Description")
    (url,) = root.findall("os:Url", NS)
    assert url.get("type") == ACQUISITION
    assert url.get("template") == "http://testserver/opds/search/?q={searchTerms}"


def test_search_finds_a_work_by_a_phrase_of_its_text(client, make_work, monkeypatch):
    monkeypatch.setattr(opds, "WORKS_PER_PAGE", 1)
    make_work(title="Gala", chapters=["<p>“If you want me,” Hux said, “come find me.”</p>"])
    make_work(title="Again", chapters=["<p>Come and find me, he said: come find me.</p>"])
    make_work(title="Other", chapters=["<p>Find me, come.</p>"])
    root = fetch(client, '/opds/search/?q="come find me"')
    assert text(root, "atom:title") == 'Search: "come find me"'
    assert text(root, "os:totalResults") == "2"
    found = titles(root)
    next_page = feed_link(root, "next")
    assert "q=%22come+find+me%22" in next_page and "page=2" in next_page
    found += titles(fetch(client, next_page))
    assert sorted(found) == ["Again", "Gala"]


def test_an_empty_search_is_an_empty_feed_that_says_why(client, make_work):
    make_work()
    root = fetch(client, "/opds/search/?q=+")
    assert titles(root) == []
    assert text(root, "atom:subtitle") == "Type something to search for."


# Cost


def test_an_acquisition_feed_costs_the_same_few_queries_for_any_number_of_works(
    client, make_work, make_user, wrangler, django_assert_max_num_queries
):
    for number in range(20):
        make_work(
            make_user() if number % 2 else None,
            title=f"Work {number}",
            tags=work_tags(character=[f"Character {number}"], freeform=["Angst"]),
            anonymous=number % 3 == 0,
        )
    make_canonical(wrangler, "Star Wars")
    # ids in order, then the works, their creators (archived works' too) and their tags
    with django_assert_max_num_queries(5):
        assert len(titles(fetch(client, "/opds/recent/"))) == 20
    # + the fandom, the tag the filter names, the archive's size and the fandom's works
    fandom = Tag.objects.get(name="Star Wars")
    with django_assert_max_num_queries(9):
        assert len(titles(fetch(client, f"/opds/fandoms/{fandom.pk}/"))) == 20
    # one count over every fandom, kept for the next visit
    with django_assert_max_num_queries(1):
        fetch(client, "/opds/fandoms/", NAVIGATION)
    with django_assert_max_num_queries(0):
        fetch(client, "/opds/fandoms/", NAVIGATION)
