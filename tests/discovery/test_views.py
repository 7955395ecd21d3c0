"""The work listings on the web: all works, a tag's works, a user's works, the search page."""

import re
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.core.cache import caches
from django.urls import reverse

from fanshelf.discovery import selectors
from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag
from fanshelf.works.models import Work
from tests.factories import work_tags as tags

pytestmark = pytest.mark.django_db

WORKS = "/works/"


def page(client, url=WORKS, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def titles(html):
    """The titles of the works listed, in order."""
    return re.findall(r'<h2 class="heading"><a href="/works/\d+/">([^<]*)</a>', html)


def links(html, css_class):
    """``{link text: query pairs}`` of the links with this class (visually hidden text too)."""
    found = {}
    pattern = rf'<a class="{css_class}" href="([^"]*)">(.*?)</a>'
    for href, text in re.findall(pattern, html, flags=re.S):
        text = " ".join(re.sub(r"<[^>]+>", "", unescape(text)).split())
        found[text] = sorted(parse_qsl(unescape(href).lstrip("?")))
    return found


def notes(html):
    match = re.search(r'<div class="notice listing-notes" role="status">(.*?)</div>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", unescape(match.group(1))) if match else []


@pytest.fixture
def shelf(make_work):
    """Four works of two fandoms, one restricted, one a draft."""
    make_work(title="Gala", tags=tags(relationship=["Kylux"], freeform=["Angst"]))
    make_work(
        title="Balcony",
        tags=tags(rating="Explicit", warning=["Major Character Death"], freeform=["Fluff"]),
        expected_chapters=None,
    )
    make_work(title="Potions", tags=tags(fandom=["Harry Potter"]), language="de")
    make_work(title="Secret", tags=tags(freeform=["Hidden Trope"]), restricted=True)
    make_work(title="Unfinished", tags=tags(freeform=["Draft Trope"]), state=Work.State.DRAFT)
    Work.objects.filter(title="Balcony").update(kudos_count=50, word_count=20000)
    Work.objects.filter(title="Potions").update(kudos_count=10)


# What is listed


def test_guests_see_posted_unrestricted_works_newest_first(client, shelf):
    html = page(client)
    assert titles(html) == ["Potions", "Balcony", "Gala"]
    assert "1 – 3 of 3 works" in html


def test_signed_in_readers_also_see_restricted_works_never_drafts(client, shelf, reader):
    client.force_login(reader)
    assert set(titles(page(client))) == {"Potions", "Balcony", "Gala", "Secret"}


def test_restricted_works_and_their_tags_never_reach_guests(client, shelf):
    html = page(client)
    assert "Secret" not in html
    assert "Hidden Trope" not in html
    assert "Draft Trope" not in html
    # Nor through a filter on the hidden tag, nor in the facet counts.
    html = page(client, tag="Hidden Trope")
    assert titles(html) == []
    assert "Hidden Trope (" not in html
    ratings = links(page(client), "facet-include")
    assert "Include Teen And Up Audiences (2)" in ratings


def test_filters_narrow_the_works(client, shelf):
    assert titles(page(client, tag="Angst")) == ["Gala"]
    assert titles(page(client, exclude_tag="Major Character Death")) == ["Potions", "Gala"]
    assert titles(page(client, rating="Explicit")) == ["Balcony"]
    assert titles(page(client, complete="wip")) == ["Balcony"]
    assert titles(page(client, words_from="10000")) == ["Balcony"]
    assert titles(page(client, language="de")) == ["Potions"]
    assert titles(page(client, tag="Star Wars, Fluff")) == ["Balcony"]
    assert titles(page(client, sort="kudos")) == ["Balcony", "Potions", "Gala"]
    assert titles(page(client, sort="title")) == ["Balcony", "Gala", "Potions"]


def test_the_sidebar_form_shows_the_filters_in_force(client, shelf):
    html = page(
        client,
        tag="Star Wars",
        rating="Explicit",
        exclude_tag=["Major Character Death", "Fluff"],
        complete="wip",
        language="de",
        words_to="5000",
        updated_from="2024-01-31",
        sort="kudos",
    )
    assert 'name="tag" value="Star Wars"' in html
    assert re.search(r'name="rating" value="Explicit" checked', html)
    assert not re.search(r'name="rating" value="Mature" checked', html)
    # The excluded warning ticks its box; the text field keeps the other tags.
    assert re.search(r'name="exclude_tag" value="Major Character Death" checked', html)
    assert 'name="exclude_tag" value="Fluff"' in html
    assert re.search(r'name="complete" value="wip" checked', html)
    assert '<option value="de" selected>' in html
    assert '<option value="kudos" selected>' in html
    assert 'name="words_to" min="0" step="1" inputmode="numeric" value="5000"' in html
    assert 'name="updated_from" value="2024-01-31"' in html


def test_the_sidebar_is_a_plain_form_with_labels_and_fieldsets(client, shelf):
    html = page(client)
    form = re.search(r'<form class="work-filters" method="get" action="/works/">.*?</form>',
                     html, re.S).group(0)  # fmt: skip
    ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', form)
    assert len(ids) > 30
    for field_id in ids:
        assert f'<label for="{field_id}"' in form, field_id
    legends = re.findall(r"<legend[^>]*>([^<]*)", form)
    for legend in ("Include", "Exclude", "Ratings", "Warnings", "Completion", "Word count"):
        assert legend in legends
    assert '<aside id="filters"' in html
    assert "<details open>" in html
    # The groups of checkboxes and the rarer options fold away until one is chosen.
    assert form.count('<details class="filter-group">') == 4
    assert '<details class="filter-more">' in form
    form = page(client, rating="Explicit", words_from="100")
    assert form.count('<details class="filter-group">') == 3
    assert form.count('<details class="filter-group" open>') == 1
    assert '<details class="filter-more" open>' in form


# Facets


def test_facets_count_the_tags_and_link_to_include_or_exclude(client, shelf):
    html = page(client, sort="kudos")
    include = links(html, "facet-include")
    assert include["Include Star Wars (2)"] == [("sort", "kudos"), ("tag", "Star Wars")]
    assert include["Include Explicit (1)"] == [("rating", "Explicit"), ("sort", "kudos")]
    assert include["Include Major Character Death (1)"] == [
        ("sort", "kudos"),
        ("warning", "Major Character Death"),
    ]
    exclude = links(html, "facet-action")
    assert exclude["exclude Fluff"] == [("exclude_tag", "Fluff"), ("sort", "kudos")]
    assert "<h3>Fandoms</h3>" in html
    assert "<h3>Additional tags</h3>" in html


def test_following_a_facet_link_narrows_the_listing(client, shelf):
    href = dict(links(page(client), "facet-include"))["Include Harry Potter (1)"]
    assert titles(page(client, **dict(href))) == ["Potions"]
    href = dict(links(page(client), "facet-action"))["exclude Harry Potter"]
    assert titles(page(client, **dict(href))) == ["Balcony", "Gala"]


def test_an_included_facet_offers_to_take_it_out(client, shelf):
    html = page(client, tag="Star Wars", rating="Explicit")
    assert '<span class="visually-hidden">Included: </span>Explicit' in html
    assert links(html, "facet-action")["remove Explicit"] == [("tag", "Star Wars")]
    # And the filters in use can each be taken out.
    assert "Including: <strong>Star Wars</strong>" in html
    assert 'href="?rating=Explicit">remove' in html


def test_facets_say_when_they_are_counted_from_a_sample(client, shelf, monkeypatch):
    assert "counted from the first" not in page(client)
    monkeypatch.setattr(selectors, "FACET_SAMPLE", 2)
    caches["pages"].clear()  # the guest's listing above was kept for the next guest
    assert "(counted from the first 2 works)" in page(client)


# Pages


def test_pages_keep_the_filters(client, make_work):
    for number in range(25):
        make_work(title=f"Work {number:02}", tags=tags(freeform=["Angst"]))
    html = page(client, tag="Angst", sort="title")
    assert "1 – 20 of 25 works" in html
    assert 'href="?tag=Angst&amp;sort=title&amp;page=2"' in html
    second = page(client, tag="Angst", sort="title", page="2")
    assert "21 – 25 of 25 works" in second
    assert titles(second) == [f"Work {n}" for n in range(20, 25)]
    assert 'rel="prev" href="?tag=Angst&amp;sort=title&amp;page=1"' in second


def test_listing_queries_do_not_grow_with_the_works(
    client, make_work, reader, django_assert_max_num_queries
):
    for number in range(20):
        make_work(
            title=f"Work {number}",
            tags=tags(character=[f"Character {number}"], freeform=["Angst"]),
            anonymous=number % 3 == 0,
        )
    # ids in order, works, creators, archived works' creators, tags; facets: the
    # counts, then their tags
    with django_assert_max_num_queries(7):
        assert len(titles(page(client))) == 20
    client.force_login(reader)
    # + session, user, unread notifications, whom the reader mutes, one look-up for
    # each tag named in the filters, and how many works the included tag has
    with django_assert_max_num_queries(15):
        html = page(client, tag="Angst", exclude_tag="Fluff", sort="kudos", words_from="1")
    assert len(titles(html)) == 20


# Bad input


def test_bad_input_is_explained_and_the_works_still_listed(client, shelf):
    html = page(client, words_from="lots", sort="sideways", page="-3", complete="maybe")
    assert titles(html) == ["Potions", "Balcony", "Gala"]
    assert sorted(notes(html)) == [
        "Ignored the negative page number.",
        "Ignored the smallest word count “lots”: not a whole number.",
        "Ignored the unknown completion filter “maybe”.",
        "Ignored the unknown sort order “sideways”.",
    ]
    # Links from this page leave the bad values (and their notes) behind.
    assert "lots" not in html.split("listing-notes", 1)[1].split("</div>", 1)[1]


def test_an_unknown_tag_finds_nothing_and_says_why(client, shelf):
    html = page(client, tag="No Such Tag")
    assert titles(html) == []
    assert notes(html) == ["There is no tag called “No Such Tag”, so no work has it."]
    assert "No works match these filters." in html
    assert 'href="/works/">Clear all filters' in html


def test_a_page_past_the_end_shows_the_last(client, shelf):
    html = page(client, page="99")
    assert titles(html) == ["Potions", "Balcony", "Gala"]
    assert "There are only 1 pages; this is the last." in notes(html)


def test_odd_values_never_break_the_page(client, shelf):
    for params in (
        {"words_from": "9" * 40},
        {"page": "9" * 40},
        {"tag": "x" * 1000},
        {"tag": ",,,"},
        {"language": "\x00"},
        {"updated_to": "2024-02-30"},
        {"exclude_tag": ["a"] * 50},
    ):
        assert client.get(WORKS, params).status_code == 200, params


# Every page, and the advanced search


def test_the_quick_search_box_is_on_every_page(client, shelf, author):
    work = Work.objects.get(title="Gala")
    urls = [
        "/",
        WORKS,
        reverse("discovery:search"),
        reverse("tags:index"),
        work.get_absolute_url(),
        reverse("users:works", args=["smolhux"]),
        reverse("login"),
        "/no/such/page/",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        form = re.search(r'<form class="quick-search" role="search"[^>]*>(.*?)</form>', html, re.S)
        assert form, url
        assert 'action="/works/"' in form.group(0) and 'method="get"' in form.group(0)
        assert '<label class="visually-hidden" for="quick-search">Search works</label>' in html
        assert 'name="q"' in form.group(1)
        assert '<a href="/works/">All works</a>' in html


def test_the_advanced_search_page_holds_the_whole_form_and_lists_at_works(client, shelf):
    html = page(client, reverse("discovery:search"), tag="Star Wars", sort="kudos")
    assert '<form class="work-filters" method="get" action="/works/">' in html
    assert 'name="tag" value="Star Wars"' in html
    assert '<option value="kudos" selected>' in html
    assert 'href="/works/search/">Clear all filters' in html
    assert 'class="facets"' not in html
    listing = page(client, tag="Star Wars", sort="kudos")
    assert 'href="/works/search/?tag=Star+Wars&amp;sort=kudos"' in listing


# A tag's works and a user's works


def test_a_tags_works_page_has_the_filters_and_facets(client, shelf, make_user):
    wrangler = make_user("wrangly", role="wrangler")
    wrangling.set_canonical(user=wrangler, tag=Tag.objects.get(name="Star Wars"))
    url = reverse("tags:works", args=["Star Wars"])
    html = page(client, url)
    assert titles(html) == ["Balcony", "Gala"]
    assert f'<form class="work-filters" method="get" action="{url}">' in html
    assert links(html, "facet-include")["Include Fluff (1)"] == [("tag", "Fluff")]
    html = page(client, url, exclude_tag="Fluff")
    assert titles(html) == ["Gala"]
    assert "1 work in “Star Wars”" in html


def test_a_users_works_page_has_the_filters_and_its_owner_sees_drafts(client, shelf, author):
    url = reverse("users:works", args=["smolhux"])
    html = page(client, url)
    assert titles(html) == ["Potions", "Balcony", "Gala"]
    assert f'<form class="work-filters" method="get" action="{url}">' in html
    assert titles(page(client, url, rating="Explicit")) == ["Balcony"]
    client.force_login(author)
    html = page(client, url)
    # Drafts have no date yet: they come after the posted works.
    assert titles(html) == ["Secret", "Potions", "Balcony", "Gala", "Unfinished"]
    assert titles(page(client, url, tag="Draft Trope")) == ["Unfinished"]


# Searching the text


@pytest.fixture
def story(make_work):
    return make_work(
        title="Starkiller",
        tags=tags(freeform=["Angst"]),
        chapters=[
            "<p>The base was cold.</p>",
            "<p>“Come find me,” Hux said, and the snow swallowed the rest.</p>",
        ],
        expected_chapters=None,
    )


def test_a_search_shows_the_matching_works_with_a_highlighted_snippet(client, shelf, story):
    html = page(client, q='"come find me"')
    assert titles(html) == ["Starkiller"]
    assert "<h1>Works matching “&quot;come find me&quot;”</h1>" in html
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert "<mark>" in snippet
    assert re.sub(r"<[^>]+>", "", snippet).lower().count("come find me") == 1
    chapter = story.chapters.get(position=2)
    assert f'href="/works/{story.pk}/chapters/{chapter.pk}/">Chapter 2</a>' in snippet
    # The best match is the default order with a search, and the form says so.
    assert '<option value="relevance" selected>' in html
    assert 'name="q" value="&quot;come find me&quot;"' in html


def test_a_search_within_a_filtered_listing_keeps_both(client, shelf, story):
    assert titles(page(client, q="snow", tag="Angst")) == ["Starkiller"]
    assert titles(page(client, q="snow", exclude_tag="Angst")) == []
    html = page(client, q="snow", tag="Angst")
    facet_links = links(html, "facet-action")
    assert facet_links["remove Angst"] == [("q", "snow")]
    assert facet_links["exclude Star Wars"] == [
        ("exclude_tag", "Star Wars"),
        ("q", "snow"),
        ("tag", "Angst"),
    ]


@pytest.mark.parametrize(
    "query",
    [
        '"come find',
        "NEAR(",
        "*",
        "snow*",
        '"',
        "-",
        "title:",
        "AND OR NOT",
        "x" * 2000,
        "'; DROP TABLE works_work; --",
        "\x00",
        "((((",
        "^",
        "snow NEAR/3 hux",
    ],  # fmt: skip
)
def test_malformed_searches_never_break_the_listing(client, shelf, story, query):
    response = client.get(WORKS, {"q": query})
    assert response.status_code == 200
    assert Work.objects.filter(title="Starkiller").exists()


def test_a_huge_search_is_cut_with_a_note(client, shelf, story):
    html = page(client, q="snow " * 200)
    assert "Only the first 500 characters of the search were used." in notes(html)
