"""A reader narrows the archive to a fandom, leaves out a warning, sorts by kudos and
shares the link; then finds a work by a line of its text.

Told the way AO3's cucumber features tell it: what the fan does, then what they
should see. Screenshots land in ``test-output/browser/``.
"""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from fanshelf.works.models import Work

pytestmark = pytest.mark.browser


def tags(fandom, relationship, warning="No Archive Warnings Apply"):
    return {
        "rating": "Teen And Up Audiences",
        "warning": [warning],
        "fandom": [fandom],
        "relationship": [relationship],
    }


@pytest.fixture
def shelf(make_work):
    """Four Star Wars works (one with a character death) and a Harry Potter one."""
    shelf = {
        "Perfect": (tags("Star Wars", "Kylux"), 30),
        "Gala": (tags("Star Wars", "Kylux"), 10),
        "Balcony": (tags("Star Wars", "Kylux", warning="Major Character Death"), 50),
        "Trench": (tags("Star Wars", "Finn/Poe Dameron"), 40),
        "Potions": (tags("Harry Potter", "Draco/Harry"), 99),
    }
    for title, (work_tags, kudos) in shelf.items():
        work = make_work(title=title, tags=work_tags)
        Work.objects.filter(pk=work.pk).update(kudos_count=kudos)


def listed(page):
    return page.locator(".blurb h2 > a")


def query(page):
    return sorted(parse_qsl(urlsplit(page.url).query))


def test_a_reader_narrows_the_archive_to_a_fandom_excludes_a_warning_sorts_by_kudos_and_shares_the_link(  # noqa: E501
    new_page, assert_accessible, screenshot, shelf
):
    # When I open the archive and follow "All works"
    reader = new_page()
    reader.goto("/")
    reader.get_by_role("navigation", name="Site").get_by_role("link", name="All works").click()

    # Then I see every work, newest first, and how many there are
    expect(reader.get_by_role("heading", level=1)).to_have_text("Works")
    expect(reader.get_by_text("1 – 5 of 5 works")).to_be_visible()
    expect(listed(reader)).to_have_count(5)

    # When I include the fandom, exclude Major Character Death and sort by kudos
    filters = reader.get_by_role("complementary", name="Sort and filter")
    include = filters.get_by_role("group", name="Include")
    # (the tag field suggests tags of any type as I type)
    include.get_by_label("Tags", exact=True).press_sequentially("star w")
    include.get_by_role("option", name="Star Wars").click()
    expect(include.get_by_label("Tags", exact=True)).to_have_value("Star Wars, ")
    exclude = filters.get_by_role("group", name="Exclude")
    exclude.locator("summary", has_text="Warnings").click()
    exclude.get_by_role("checkbox", name="Major Character Death").check()
    filters.get_by_label("Sort by").select_option(label="Kudos")
    filters.get_by_role("button", name="Sort and filter").first.click()

    # Then only the Star Wars works without the warning are left, most kudos first
    expect(listed(reader)).to_have_text(["Trench", "Perfect", "Gala"])
    expect(reader.get_by_text("1 – 3 of 3 works")).to_be_visible()
    # And the form still shows what I chose
    expect(include.get_by_label("Tags", exact=True)).to_have_value("Star Wars")
    expect(exclude.get_by_role("checkbox", name="Major Character Death")).to_be_checked()

    # And the facets count the relationships of these works
    facets = filters.get_by_role("region", name="Tags in these works")
    expect(facets.get_by_role("link", name="Include Kylux (2)")).to_be_visible()
    expect(facets.get_by_role("link", name="Include Finn/Poe Dameron (1)")).to_be_visible()
    expect(facets).not_to_contain_text("Draco/Harry")

    # When I follow the facet to include Kylux
    facets.get_by_role("link", name="Include Kylux (2)").click()

    # Then the list narrows to the Kylux works, still by kudos
    expect(listed(reader)).to_have_text(["Perfect", "Gala"])
    expect(reader.get_by_role("list", name="Filters in use")).to_contain_text("Including: Kylux")

    # And the address holds every filter, so it can be shared
    assert query(reader) == [
        ("exclude_tag", "Major Character Death"),
        ("sort", "kudos"),
        ("tag", "Kylux"),
        ("tag", "Star Wars"),
    ]
    assert_accessible(reader)
    screenshot(reader, "finding-01-filtered-listing")
    shared_link = reader.url

    # When a friend opens the link on a narrow phone screen
    friend = new_page(color_scheme="dark")
    friend.set_viewport_size({"width": 390, "height": 844})
    friend.goto(shared_link)

    # Then they see the same works in the same order, and the same filters ticked
    expect(listed(friend)).to_have_text(["Perfect", "Gala"])
    friend_filters = friend.get_by_role("complementary", name="Sort and filter")
    expect(
        friend_filters.get_by_role("group", name="Exclude").get_by_role(
            "checkbox", name="Major Character Death"
        )
    ).to_be_checked()
    # And the sidebar sits under the list, where it can be folded away
    works_box = friend.locator(".blurbs").bounding_box()
    sidebar_box = friend_filters.bounding_box()
    assert sidebar_box["y"] >= works_box["y"] + works_box["height"]
    assert_accessible(friend)
    screenshot(friend, "finding-02-shared-link-on-a-phone")
    friend.get_by_text("Sort and filter", exact=True).first.click()
    expect(friend_filters.get_by_label("Sort by")).to_be_hidden()

    # When they take one filter out again
    friend.get_by_role("list", name="Filters in use").get_by_role(
        "link", name="remove Major Character Death"
    ).click()

    # Then the work with the warning is back, first by its kudos
    expect(listed(friend)).to_have_text(["Balcony", "Perfect", "Gala"])


def test_the_advanced_search_page_is_accessible_and_lists_its_results(
    new_page, assert_accessible, screenshot, shelf
):
    # When I open the advanced search from the site navigation
    reader = new_page()
    reader.goto("/")
    reader.get_by_role("navigation", name="Site").get_by_role(
        "link", name="Advanced search"
    ).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Search works")
    assert_accessible(reader)
    screenshot(reader, "finding-03-advanced-search")

    # And ask for works in progress or complete ones with one rating, at least no words
    reader.get_by_role("group", name="Ratings").get_by_role(
        "checkbox", name="Teen And Up Audiences"
    ).check()
    reader.get_by_label("Crossovers").select_option(label="Exclude crossovers")
    reader.get_by_role("spinbutton", name="From").fill("1")
    reader.get_by_role("button", name="Search").last.click()

    # Then the listing at /works/ shows them, with the search in its address
    expect(reader).to_have_url(re.compile(r"/works/\?"))
    assert ("rating", "Teen And Up Audiences") in query(reader)
    assert ("crossover", "exclude") in query(reader)
    expect(listed(reader)).to_have_count(5)


def test_a_reader_finds_a_work_by_a_line_of_its_text_with_the_quick_search(
    new_page, assert_accessible, screenshot, shelf, make_work
):
    # Given a two-chapter work with a line a reader remembers
    make_work(
        title="Starkiller",
        tags=tags("Star Wars", "Kylux"),
        chapters=[
            "<p>The base was cold, and the lights were going out one by one.</p>",
            "<p>“Come find me,” Hux said, and the snow swallowed the rest of it.</p>",
        ],
        expected_chapters=None,
    )

    # When I type the line, in quotes, into the search box at the top of any page
    reader = new_page()
    reader.goto("/tags/")
    search = reader.get_by_role("search")
    search.get_by_label("Search works").fill('"come find me"')
    search.get_by_role("button", name="Search").click()

    # Then the work is found, with the line highlighted from its second chapter
    expect(reader.get_by_role("heading", level=1)).to_have_text('Works matching “"come find me"”')
    expect(listed(reader)).to_have_text(["Starkiller"])
    snippet = reader.locator(".blurb .snippet")
    expect(snippet.locator("mark").first).to_be_visible()
    expect(snippet).to_contain_text("Hux said")
    expect(snippet.get_by_role("link", name="Chapter 2")).to_be_visible()
    assert ("q", '"come find me"') in query(reader)
    assert_accessible(reader)
    screenshot(reader, "finding-04-quick-search-snippet")

    # When I follow the chapter link
    snippet.get_by_role("link", name="Chapter 2").click()

    # Then I land on the chapter with the line
    expect(reader.get_by_text("Come find me", exact=False)).to_be_visible()
