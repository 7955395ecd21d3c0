"""A fan signs up, posts a two-chapter work through the form, and a guest reads it.

Each test is one story, told the way AO3's cucumber features tell them: what the fan
does, then what they should see. Screenshots land in ``test-output/browser/``.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TITLE = "The Lighthouse Keeper's Ledger"
FIRST_PARAGRAPH = "Mara counted the ships the way other people counted sheep."
SECOND_PARAGRAPH = "On the ninth night a ship came in that was not in the ledger at all."
CHAPTER_TWO = "The stranger asked for a room, and paid in coins nobody had minted yet."
END_NOTES = "Thank you for reading! Comments are always welcome."
# As the work page lists them: by type, then by name.
TAGS_IN_AO3_ORDER = [
    "Teen And Up Audiences",
    "No Archive Warnings Apply",
    "F/F",
    "Original Work",
    "Mara/The Stranger",
    "Mara",
    "The Stranger",
    "Lighthouses",
    "Slow Burn",
    "Time Travel",
]


def sign_up(page, username):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password *", exact=True).fill("a lamp in the window")
    page.get_by_label("Password again").fill("a lamp in the window")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to the archive, {username}!")


def log_in(page, username, password):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=f"Log out {username}")).to_be_visible()


def fill_in_the_tags(page):
    page.get_by_label("Rating").select_option("Teen And Up Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("F/F", exact=True).check()
    page.get_by_label("Fandoms").fill("Original Work")
    page.get_by_label("Relationships").fill("Mara/The Stranger")
    page.get_by_label("Characters").fill("Mara, The Stranger")
    page.get_by_label("Additional tags").fill("Lighthouses, Time Travel, Slow Burn")


def test_a_new_author_posts_a_two_chapter_work_and_a_guest_reads_it(
    new_page, assert_accessible, screenshot
):
    # Given I am a new fan and I sign up
    author = new_page()
    author.goto("/signup/")
    assert_accessible(author)
    sign_up(author, "lamplighter")

    # When I open the posting form
    author.get_by_role("link", name="Post a work").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Post a new work")
    assert_accessible(author)

    # And I fill in every tag, the preface and a plain-text first chapter
    fill_in_the_tags(author)
    author.get_by_label("Work title").fill(TITLE)
    expect(author.get_by_label("Creator/Pseud")).to_have_value("lamplighter")
    author.get_by_label("Summary").fill("A keeper, a ledger, and a ship that should not exist.")
    author.get_by_label("Beginning notes").fill("Written for the lighthouse exchange.")
    author.get_by_label("Expected number of chapters").fill("")
    author.get_by_label("Chapter title").fill("The Ninth Night")
    author.get_by_label("Text format").select_option("plain")
    author.get_by_label("Work text").fill(f"{FIRST_PARAGRAPH}\n\n{SECOND_PARAGRAPH}")
    author.get_by_label("End notes").fill(END_NOTES)

    # And I press Preview
    author.get_by_role("button", name="Preview").click()

    # Then I see my two paragraphs as they will be posted
    preview = author.get_by_role("region", name="Preview")
    expect(preview.locator(".chapter-text p")).to_have_text([FIRST_PARAGRAPH, SECOND_PARAGRAPH])
    expect(preview.get_by_role("heading", name=TITLE)).to_be_visible()
    # And the form still holds everything I typed
    expect(author.get_by_label("Work title")).to_have_value(TITLE)
    expect(author.get_by_label("Fandoms")).to_have_value("Original Work")
    expect(author.get_by_label("Additional tags")).to_have_value(
        "Lighthouses, Time Travel, Slow Burn"
    )
    expect(author.get_by_label("No Archive Warnings Apply")).to_be_checked()
    expect(author.get_by_label("F/F", exact=True)).to_be_checked()
    expect(author.get_by_label("Rating")).to_have_value("Teen And Up Audiences")
    expect(author.get_by_label("Text format")).to_have_value("plain")
    expect(author.get_by_label("Expected number of chapters")).to_have_value("")
    expect(author.get_by_label("Work text")).to_have_value(
        f"{FIRST_PARAGRAPH}\n\n{SECOND_PARAGRAPH}"
    )
    screenshot(author, "01-posting-form-preview")

    # When I post the work
    author.get_by_role("button", name="Post", exact=True).click()

    # Then I see it posted, with its tags and one chapter of an unknown number
    expect(author.get_by_role("status")).to_have_text("Your work was posted.")
    expect(author.get_by_role("heading", level=1)).to_have_text(TITLE)
    meta = author.locator(".work-meta")
    expect(meta.get_by_role("listitem")).to_have_text(TAGS_IN_AO3_ORDER)
    expect(meta).to_contain_text("Chapters:1/?")
    expect(author.locator(".chapter-text p")).to_have_text([FIRST_PARAGRAPH, SECOND_PARAGRAPH])
    work_url = author.url

    # When I add a second chapter
    author.get_by_role("link", name="Add chapter").click()
    expect(author.get_by_role("heading", level=1)).to_have_text(f"Add a chapter to “{TITLE}”")
    assert_accessible(author)
    author.get_by_label("Chapter title").fill("Coins")
    author.get_by_label("Text format").select_option("plain")
    author.get_by_label("Work text").fill(CHAPTER_TWO)
    author.get_by_role("button", name="Post chapter").click()

    # Then the work has two chapters
    expect(author.get_by_role("status")).to_have_text("The chapter was added.")
    expect(author.locator(".work-meta")).to_contain_text("Chapters:2/?")
    expect(author.locator(".chapter-text")).to_have_text(CHAPTER_TWO)

    # When I log out
    author.get_by_role("button", name="Log out lamplighter").click()
    expect(author.get_by_role("link", name="Log in")).to_be_visible()

    # Then a guest finds the work among the recent works
    guest = new_page()
    guest.goto("/")
    blurb = guest.get_by_role("listitem").filter(
        has=guest.get_by_role("heading", name=re.compile(TITLE))
    )
    expect(blurb).to_contain_text("by lamplighter")
    expect(blurb.locator(".fandoms")).to_have_text("Original Work")
    # with its other tags in AO3's order: rating, warnings, categories, then the rest
    expect(blurb.get_by_role("list", name="Tags").get_by_role("listitem")).to_have_text(
        [tag for tag in TAGS_IN_AO3_ORDER if tag != "Original Work"]
    )
    expect(blurb).to_contain_text("2/?")
    assert_accessible(guest)
    screenshot(guest, "02-home-as-guest")

    # And reads the first chapter
    blurb.get_by_role("link", name=TITLE).click()
    assert guest.url == work_url
    expect(
        guest.get_by_role("heading", name="Chapter 1: The Ninth Night", exact=True)
    ).to_be_visible()
    expect(guest.locator(".chapter-text p")).to_have_text([FIRST_PARAGRAPH, SECOND_PARAGRAPH])
    expect(guest.get_by_text("Written for the lighthouse exchange.")).to_be_visible()
    expect(guest.get_by_role("link", name="Add chapter")).to_have_count(0)
    assert_accessible(guest)
    screenshot(guest, "03-chapter-1-as-guest")

    # And follows "Next chapter" to the second
    guest.get_by_role("link", name="Next chapter →").first.click()
    expect(guest.get_by_role("heading", name="Chapter 2: Coins", exact=True)).to_be_visible()
    expect(guest.locator(".chapter-text")).to_have_text(CHAPTER_TWO)
    expect(guest.get_by_text(END_NOTES)).to_be_visible()

    # And opens the entire work: both chapters and the end notes
    guest.get_by_role("link", name="Entire work").click()
    expect(guest.locator(".chapter h2")).to_have_text(
        ["Chapter 1: The Ninth Night", "Chapter 2: Coins"]
    )
    expect(guest.locator(".chapter-text")).to_have_count(2)
    expect(guest.locator(".chapter-text").last).to_have_text(CHAPTER_TWO)
    expect(guest.locator(".afterword")).to_contain_text(END_NOTES)
    assert_accessible(guest)
    screenshot(guest, "04-entire-work-as-guest")

    # And a guest reading in dark mode gets readable contrast too
    night_reader = new_page(color_scheme="dark")
    night_reader.goto(guest.url)
    expect(night_reader.locator(".chapter-text")).to_have_count(2)
    assert_accessible(night_reader)
    screenshot(night_reader, "05-entire-work-dark-mode")


def test_bad_input_keeps_what_the_author_typed(new_page, assert_accessible, screenshot, make_user):
    # Given I am logged in
    make_user("forgetful", password="a lamp in the window")
    page = new_page()
    log_in(page, "forgetful", "a lamp in the window")

    # When I post a work but forget its fandom
    page.get_by_role("link", name="Post a work").click()
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Work title").fill(TITLE)
    page.get_by_label("Work text").fill(f"{FIRST_PARAGRAPH}\n\n{SECOND_PARAGRAPH}")
    page.get_by_role("button", name="Post", exact=True).click()

    # Then I am told what to fix, at the top and beside the field that needs it
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a new work")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("nothing you typed was lost")
    fandom_field = page.locator(".field").filter(has=page.get_by_label("Fandoms"))
    expect(fandom_field.locator(".error")).to_have_text("Please add at least one fandom.")
    expect(page.get_by_label("Fandoms")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Fandoms")).to_have_accessible_description(
        "Separate tags with commas. Please add at least one fandom."
    )
    assert_accessible(page)
    screenshot(page, "06-posting-form-errors")

    # And the message at the top takes me to the field
    summary.get_by_role("link", name="Fandoms: Please add at least one fandom.").click()
    expect(page.get_by_label("Fandoms")).to_be_focused()

    # And nothing I typed was lost
    expect(page.get_by_label("Work title")).to_have_value(TITLE)
    expect(page.get_by_label("Work text")).to_have_value(f"{FIRST_PARAGRAPH}\n\n{SECOND_PARAGRAPH}")
    expect(page.get_by_label("Rating")).to_have_value("General Audiences")
    expect(page.get_by_label("No Archive Warnings Apply")).to_be_checked()

    # And when I add the fandom, the work posts
    page.get_by_label("Fandoms").fill("Original Work")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Your work was posted.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
