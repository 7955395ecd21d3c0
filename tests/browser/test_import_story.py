"""An author brings a tumblr-era story home: upload, preview, a suggested tag, posted.

The seed work was first posted on tumblr ("I wrote this on tumblr but modified it for
here"); its author saved it as a text file and imports it. Screenshots land in
``test-output/browser/import-*.png``.
"""

import pytest
from playwright.sync_api import expect

from fanshelf.tags.models import Tag
from tests.browser.test_posting_and_reading import log_in

pytestmark = pytest.mark.browser

FILE_NAME = "come-find-me.txt"
TITLE = "Come Find Me"
END_NOTE = "I wrote this on tumblr but modified it for here."


@pytest.fixture
def wrangled_star_wars(archive):
    """Canonical tags the archive's wranglers made long ago, for the suggestions."""
    sequels = Tag.objects.create(name="Star Wars Sequel Trilogy", type="fandom", canonical=True)
    for name in ("Kylo Ren", "Armitage Hux", "Brendol Hux"):
        Tag.objects.create(name=name, type="character", canonical=True).parents.add(sequels)
    return sequels


def test_an_author_brings_a_tumblr_era_story_home(
    new_page, author, seed_text, wrangled_star_wars, screenshot, assert_accessible
):
    # Given I am logged in and kept my tumblr story as a text file
    page = new_page()
    log_in(page, "smolhux", "correct horse battery")

    # When I choose "Import a work"
    page.get_by_role("link", name="Import a work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a work")

    # And I upload the file, naming its fandom since the file does not
    page.get_by_label("Files *", exact=True).set_input_files(
        {"name": FILE_NAME, "mimeType": "text/plain", "buffer": seed_text.encode("utf-8")}
    )
    page.get_by_label("Fandoms for files that name none").fill("Star Wars Sequel Trilogy")
    page.get_by_label("Rating for files that give none").select_option("Teen And Up Audiences")
    page.get_by_label("Fandoms for files that name none").press("Escape")
    assert_accessible(page)
    screenshot(page, "import-01-upload-form")
    page.get_by_role("button", name="Preview the import").click()

    # Then I see what Fanshelf read: one work, with my end note and the tags to be posted
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview your import")
    work = page.locator(".import-work")
    expect(work).to_have_count(1)
    expect(work.locator(".end-notes")).to_contain_text(END_NOTE)
    expect(work.locator(".work-meta")).to_contain_text("Star Wars Sequel Trilogy")
    expect(work.locator(".work-meta")).to_contain_text("Teen And Up Audiences")
    expect(work.locator(".import-source")).to_have_text(FILE_NAME)
    # And it will be imported unless I untick it
    expect(work.get_by_role("checkbox", name="Import")).to_be_checked()
    # And the characters my text names are suggested, none ticked
    suggestions = work.get_by_role("group", name="Suggested tags")
    expect(suggestions.get_by_role("checkbox", name="Kylo Ren")).not_to_be_checked()
    expect(suggestions.get_by_role("checkbox", name="Brendol Hux")).to_be_visible()

    # When I give it its title, tick Kylo Ren, ask to show where it was first posted
    work.get_by_label("Title", exact=True).fill(TITLE)
    suggestions.get_by_role("checkbox", name="Kylo Ren").check()
    page.get_by_label("Show readers where these works were first posted").check()
    assert_accessible(page)
    screenshot(page, "import-02-preview")
    page.get_by_role("button", name="Post", exact=True).click()

    # Then I am told one work was imported, with a link to it
    expect(page.get_by_role("heading", level=1)).to_have_text("Your import")
    expect(page.get_by_role("heading", name="One work imported")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "import-03-result")
    page.get_by_role("link", name=TITLE).click()

    # And the work page says where it was first posted, with my tags and my end note
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".work-source")).to_have_text(
        f"Originally posted elsewhere; imported from “{FILE_NAME}”."
    )
    meta = page.locator(".work-meta")
    expect(meta).to_contain_text("Kylo Ren")
    expect(meta).to_contain_text("Star Wars Sequel Trilogy")
    expect(page.locator(".end-notes")).to_contain_text(END_NOTE)
    expect(page.locator(".chapter-text")).to_contain_text("Kylo had always seen Hux as perfect.")
    assert_accessible(page)
    screenshot(page, "import-04-work-page")
