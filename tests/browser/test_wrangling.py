"""A wrangler merges "Kylux" into a canonical tag, and a reader then finds the work under it.

Told the way AO3's cucumber features tell it: what each fan does, then what they
should see. Screenshots land in ``test-output/browser/``.
"""

import re

import pytest
from playwright.sync_api import expect

from fanshelf.tags.models import Tag

pytestmark = pytest.mark.browser

SHIP = "Armitage Hux/Kylo Ren"
PASSWORD = "sorting tags all night"


def log_in(page, username, password):
    page.goto("/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=f"Log out {username}")).to_be_visible()


def test_a_wrangler_merges_a_synonym_and_a_reader_then_finds_the_work_under_the_canonical_tag(
    new_page, assert_accessible, screenshot, make_user, make_work
):
    # Given an author posted a work tagged "Kylux", a tag nobody has wrangled yet
    make_work(
        title="Perfect",
        summary="<p>Kylo had always seen Hux as perfect.</p>",
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "relationship": ["Kylux"],
            "freeform": ["One Shot"],
        },
    )
    # And the archive already has the canonical relationship tag
    Tag.objects.create(name=SHIP, type=Tag.Type.RELATIONSHIP, canonical=True)
    # And I am a tag wrangler
    make_user("wrangly", role="wrangler", password=PASSWORD)

    # When I log in and open the wrangling page
    wrangler = new_page()
    log_in(wrangler, "wrangly", PASSWORD)
    wrangler.get_by_role("navigation", name="Site").get_by_role("link", name="Wrangling").click()
    expect(wrangler.get_by_role("heading", level=1)).to_have_text("Unwrangled tags")

    # Then I find "Kylux" among the unwrangled tags, a relationship used once
    row = wrangler.get_by_role("row").filter(
        has=wrangler.get_by_role("link", name="Kylux", exact=True)
    )
    expect(row.get_by_role("cell")).to_have_text(["Relationship", "—", "1"])
    assert_accessible(wrangler)
    screenshot(wrangler, "wrangling-01-unwrangled-tags")

    # When I open it and say it is a synonym of the canonical relationship
    row.get_by_role("link", name="Kylux").click()
    expect(wrangler.get_by_role("heading", level=1)).to_have_text("Wrangle “Kylux”")
    expect(wrangler.get_by_text("This tag has not been wrangled yet.")).to_be_visible()
    assert_accessible(wrangler)
    wrangler.get_by_label("Synonym of").fill(SHIP)
    screenshot(wrangler, "wrangling-02-wrangle-kylux")
    wrangler.get_by_role("button", name="Make a synonym").click()

    # Then I see what it will do before anything changes: one work moves
    expect(wrangler.get_by_role("heading", level=1)).to_have_text(
        f"Make “Kylux” a synonym of “{SHIP}”?"
    )
    expect(wrangler.get_by_text("This will move 1 work.")).to_be_visible()
    assert_accessible(wrangler)
    screenshot(wrangler, "wrangling-03-consequence")

    # When I confirm
    wrangler.get_by_role("button", name="Confirm").click()

    # Then the tag page of "Kylux" says it is now a synonym of the canonical tag
    expect(wrangler.get_by_role("status")).to_have_text(f"“Kylux” is now a synonym of “{SHIP}”.")
    expect(wrangler.get_by_role("heading", level=1)).to_have_text("Kylux")
    expect(wrangler.locator(".tag-status")).to_contain_text(f"A synonym of {SHIP}")
    assert_accessible(wrangler)
    screenshot(wrangler, "wrangling-04-synonym-tag-page")

    # And the wrangling log shows who did it
    wrangler.get_by_role("link", name="Wrangle this tag").click()
    wrangler.get_by_role("link", name="Wrangling log").click()
    change = wrangler.get_by_role("row").filter(has_text="made a synonym")
    expect(change).to_contain_text("wrangly")
    expect(change).to_contain_text(f"Kylux — made a synonym of {SHIP}")
    expect(change.get_by_role("button", name=re.compile("^Revert"))).to_be_visible()
    assert_accessible(wrangler)
    screenshot(wrangler, "wrangling-05-log")

    # When a guest reading in dark mode looks for the relationship by name
    reader = new_page(color_scheme="dark")
    reader.goto("/")
    reader.get_by_role("navigation", name="Site").get_by_role("link", name="Tags").click()
    reader.get_by_label("Tag name").fill("hux/kylo")
    reader.get_by_role("button", name="Find").click()
    reader.get_by_role("link", name=SHIP).click()

    # Then its tag page lists "Kylux" among its synonyms
    expect(reader.get_by_role("heading", level=1)).to_have_text(SHIP)
    synonyms = reader.get_by_role("region", name="Synonyms")
    expect(synonyms.get_by_role("link")).to_have_text(["Kylux"])
    assert_accessible(reader)

    # And its works page has the work tagged "Kylux"
    reader.get_by_role("link", name=f"Works found under “{SHIP}”").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(f"1 work in “{SHIP}”")
    blurb = reader.locator(".blurb").filter(has=reader.get_by_role("link", name="Perfect"))
    expect(blurb).to_contain_text("by smolhux")
    expect(blurb.get_by_role("link", name="Kylux")).to_be_visible()
    assert_accessible(reader)
    screenshot(reader, "wrangling-06-canonical-works-dark-mode")

    # And the work opens from there
    blurb.get_by_role("link", name="Perfect").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Perfect")
