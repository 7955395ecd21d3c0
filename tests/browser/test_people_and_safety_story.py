"""People and safety: a writer's profile, a reader who dislikes spoilers, a report acted on.

The stories of issue 8: a writer makes a second pseud with an icon and fills in her
profile; a reader hides warnings and additional tags and skips the adult content
notice, while a guest still sees it; a reader reports a work and a moderator hides it,
resolves the report and finds it all in the log. Screenshots land in
``test-output/browser/people-*.png``, ``spoilers-*.png`` and ``moderation-*.png``.
"""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.test_posting_and_reading import log_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"

PSEUD = "General Hux"
PSEUD_DESCRIPTION = "<p>Where I post the <em>angsty</em> ones.</p>"
ICON_ALT = "A ginger cat in a tiny black greatcoat"
ABOUT = "Kylux since 2015. Come say hi on tumblr!"

WARNED_TITLE = "The Long Night"
WARNING = "Major Character Death"
FREEFORM = "Angst With A Happy Ending"
EXPLICIT_TITLE = "After the Gala"
EXPLICIT_TEXT = "The gala was over, and neither of them wanted to leave."

REPORTED_TITLE = "Come Find Me"
REPORT_DETAILS = "Rated Teen, but chapter one is explicit."
HIDE_MESSAGE = "Hidden until the rating matches chapter one; change it and write to us."
RESOLUTION = "Work hidden; the creator was asked to fix the rating."


def tags(*, rating="Teen And Up Audiences", warning="No Archive Warnings Apply", freeform=()):
    return {
        "rating": rating,
        "warning": [warning],
        "category": ["M/M"],
        "fandom": ["Star Wars Sequel Trilogy"],
        "relationship": ["Armitage Hux/Kylo Ren"],
        "character": ["Kylo Ren", "Armitage Hux"],
        "freeform": list(freeform),
    }


@pytest.fixture
def icon_file(tmp_path):
    """A small PNG, as a writer would upload for her pseud's icon."""
    path = tmp_path / "ginger-cat.png"
    Image.new("RGB", (64, 64), (214, 110, 40)).save(path, format="PNG")
    return path


def test_a_writer_makes_a_second_pseud_with_an_icon_and_fills_in_her_profile(
    new_page, author, icon_file, settings, screenshot, assert_accessible
):
    # Given I am logged in as smolhux on the list of my pseuds
    writer = new_page()
    log_in(writer, "smolhux", PASSWORD)
    writer.goto("/users/smolhux/pseuds/")

    # When I make a second pseud with a description and an icon
    writer.get_by_role("link", name="Make a new pseud").click()
    expect(writer.get_by_role("heading", level=1)).to_have_text("New pseud")
    writer.get_by_label("Name *", exact=True).fill(PSEUD)
    writer.get_by_label("Description", exact=True).fill(PSEUD_DESCRIPTION)
    writer.get_by_label("Icon", exact=True).set_input_files(icon_file)
    writer.get_by_label("Icon description (alt text)").fill(ICON_ALT)
    assert_accessible(writer)
    screenshot(writer, "people-01-new-pseud")
    writer.get_by_role("button", name="Save pseud").click()

    # Then it is listed with its icon and description, next to my default pseud
    expect(writer.get_by_role("status")).to_have_text(f"Pseud “{PSEUD}” saved.")
    pseud = writer.locator("li.pseud", has=writer.get_by_role("heading", name=PSEUD))
    expect(pseud.get_by_role("img", name=ICON_ALT)).to_be_visible()
    expect(pseud.locator(".userstuff em")).to_have_text("angsty")
    expect(writer.locator("li.pseud")).to_have_count(2)
    # And the icon was kept among the uploaded media
    assert list((settings.MEDIA_ROOT / "icons").glob("*.png")), "the icon file was not saved"

    # When I edit my profile: a few words about me and my tumblr
    writer.goto("/users/smolhux/")
    writer.get_by_role("link", name="Edit your profile").click()
    expect(writer.get_by_role("heading", level=1)).to_have_text("Edit your profile")
    writer.get_by_label("About you").fill(ABOUT)
    links = writer.get_by_role("group", name="Links to you elsewhere")
    links.get_by_label("Site").first.select_option("tumblr")
    links.get_by_label("Your name there, or the address").first.fill("@smol-hux")
    assert_accessible(writer)
    screenshot(writer, "people-02-edit-profile")
    writer.get_by_role("button", name="Save profile").click()
    expect(writer.get_by_role("status")).to_have_text("Your profile is saved.")

    # Then a guest opening my profile sees my icon, my words and a link to my tumblr
    guest = new_page()
    guest.goto("/users/smolhux/")
    expect(guest.get_by_role("heading", level=1)).to_have_text("smolhux")
    icon = guest.get_by_role("img", name=ICON_ALT)
    expect(icon).to_be_visible()
    expect(icon).to_have_attribute("src", re.compile(r"/media/icons/.+\.png$"))
    # And the image arrived, re-encoded to the 100×100 square the form promised
    assert icon.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]") == [
        True,
        100,
        100,
    ], "the icon did not load"
    expect(guest.get_by_role("region", name="About")).to_contain_text(ABOUT)
    tumblr = guest.get_by_role("region", name="Elsewhere").get_by_role("link", name="@smol-hux")
    expect(tumblr).to_have_attribute("href", "https://smol-hux.tumblr.com/")
    expect(guest.get_by_role("link", name=PSEUD)).to_be_visible()
    # And nothing there lets a guest edit it
    expect(guest.get_by_role("link", name="Edit your profile")).to_have_count(0)
    assert_accessible(guest)
    screenshot(guest, "people-03-profile-seen-by-a-guest")


def test_a_reader_who_dislikes_spoilers_hides_warnings_and_tags_and_skips_the_adult_notice(
    new_page, make_work, reader, screenshot, assert_accessible
):
    warned = make_work(
        title=WARNED_TITLE,
        tags=tags(warning=WARNING, freeform=[FREEFORM]),
        summary="<p>Nobody survives the night. Or do they?</p>",
    )
    explicit = make_work(
        title=EXPLICIT_TITLE,
        tags=tags(rating="Explicit"),
        chapters=[f"<p>{EXPLICIT_TEXT}</p>"],
    )

    # Given I am logged in and open my preferences
    fan = new_page()
    log_in(fan, "reader", PASSWORD)
    fan.get_by_role("link", name="Preferences").click()
    expect(fan.get_by_role("heading", level=1)).to_have_text("Preferences")

    # When I hide warnings and additional tags and turn off the adult content notice
    fan.get_by_label("Hide archive warnings").check()
    fan.get_by_label("Hide additional tags").check()
    notice_setting = fan.get_by_label("Ask before showing Mature and Explicit works")
    expect(notice_setting).to_be_checked()
    notice_setting.uncheck()
    assert_accessible(fan)
    screenshot(fan, "spoilers-01-preferences")
    fan.get_by_role("button", name="Save preferences").click()

    # Then they are saved
    expect(fan.get_by_role("status")).to_have_text("Your preferences were saved.")
    expect(fan.get_by_label("Hide archive warnings")).to_be_checked()
    expect(fan.get_by_label("Hide additional tags")).to_be_checked()
    expect(fan.get_by_label("Ask before showing Mature and Explicit works")).not_to_be_checked()

    # When I browse the works, the warning and the additional tag are out of sight
    fan.goto("/works/")
    blurb = fan.locator(f"#work-{warned.pk}")
    expect(blurb.get_by_role("link", name=WARNED_TITLE)).to_be_visible()
    warning = blurb.locator(".tag-warning", has_text=WARNING)
    freeform = blurb.locator(".tag-freeform", has_text=FREEFORM)
    expect(warning).to_have_count(1)
    expect(freeform).to_have_count(1)
    assert not warning.is_visible(), "the warning shows before I asked to see it"
    assert not freeform.is_visible(), "the additional tag shows before I asked to see it"
    # And the buttons that reveal them name only the kind of tag
    show_warnings = blurb.locator("summary", has_text="Show warnings")
    expect(show_warnings).to_have_text("Show warnings")
    assert_accessible(fan)
    screenshot(fan, "spoilers-02-listing-with-hidden-warnings")

    # When I choose "Show warnings", I see the warning, and still not the additional tag
    show_warnings.click()
    expect(warning).to_be_visible()
    assert not freeform.is_visible()
    blurb.locator("summary", has_text="Show additional tags").click()
    expect(freeform).to_be_visible()

    # And an Explicit work opens straight on its text, with no notice for me
    fan.goto(explicit.get_absolute_url())
    expect(fan.locator(".chapter-text")).to_contain_text(EXPLICIT_TEXT)
    expect(fan.get_by_role("link", name="Yes, continue")).to_have_count(0)

    # Given a guest opens the same Explicit work
    guest = new_page()
    guest.goto(explicit.get_absolute_url())
    # Then they are warned first, and the text is not on the page
    expect(guest.get_by_role("heading", level=1)).to_have_text(EXPLICIT_TITLE)
    expect(guest.locator(".adult-notice")).to_contain_text("This work could have adult content.")
    expect(guest.get_by_text(EXPLICIT_TEXT)).to_have_count(0)
    assert_accessible(guest)
    screenshot(guest, "spoilers-03-adult-content-notice")
    # And after "Yes, continue" they read it
    guest.get_by_role("link", name="Yes, continue").click()
    expect(guest.locator(".chapter-text")).to_contain_text(EXPLICIT_TEXT)
    # And the guest sees the warnings as everyone does: the preference was mine alone
    guest.goto("/works/")
    expect(guest.locator(f"#work-{warned.pk} .tag-warning", has_text=WARNING)).to_be_visible()


def test_a_reader_reports_a_work_and_a_moderator_hides_it_and_resolves_the_report(
    new_page, make_work, make_user, reader, screenshot, assert_accessible
):
    work = make_work(title=REPORTED_TITLE, chapters=["<p>Kylo had always seen Hux as perfect.</p>"])
    make_user("modmara", role="moderator")
    work_url = work.get_absolute_url()

    # Given I am a reader on a work whose rating is wrong
    fan = new_page()
    log_in(fan, "reader", PASSWORD)
    fan.goto(work_url)

    # When I report it
    fan.get_by_role("region", name="Moderation").get_by_role(
        "link", name="Report", exact=True
    ).click()
    expect(fan.get_by_role("heading", level=1)).to_have_text("Report")
    expect(fan.locator("main")).to_contain_text(REPORTED_TITLE)
    fan.get_by_label("Reason").select_option(label="Wrong rating, warnings or tags")
    fan.get_by_label("Details").fill(REPORT_DETAILS)
    assert_accessible(fan)
    screenshot(fan, "moderation-01-report-form")
    fan.get_by_role("button", name="Send the report").click()
    # Then I am thanked
    expect(fan.get_by_role("heading", level=1)).to_have_text("Thank you for your report")

    # Given a moderator logs in
    mod = new_page()
    log_in(mod, "modmara", PASSWORD)
    # When she opens the report queue from the menu, which counts the open report
    mod.get_by_role("link", name=re.compile(r"^Reports\s*\(1\)")).click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Report queue")
    row = mod.locator(".report-queue tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(REPORTED_TITLE)
    expect(row).to_contain_text("Wrong rating, warnings or tags")
    expect(row).to_contain_text("reader")
    assert_accessible(mod)
    screenshot(mod, "moderation-02-queue")

    # And opens the report and assigns it to herself
    row.locator("td").first.get_by_role("link").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Report \d+$"))
    report_url = mod.url
    expect(mod.locator(".report-details")).to_have_text(REPORT_DETAILS)
    mod.get_by_role("button", name="Assign to me").click()
    expect(mod.get_by_role("status")).to_have_text("The report is assigned to you.")
    expect(mod.locator(".report-meta")).to_contain_text("Assigned — modmara")
    assert_accessible(mod)
    screenshot(mod, "moderation-03-report-assigned")

    # And hides the work with a message to its creator
    mod.get_by_role("link", name="Hide or unhide the work").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text(f"Moderate “{REPORTED_TITLE}”")
    mod.get_by_label("Message to the user or creators").fill(HIDE_MESSAGE)
    assert_accessible(mod)
    screenshot(mod, "moderation-04-hide-the-work")
    mod.get_by_role("button", name="Hide the work").click()
    # Then she is back on the report, which lists what she did
    expect(mod.get_by_role("status")).to_have_text("The work is hidden.")
    assert mod.url == report_url
    expect(mod.locator("ul.moderation-log")).to_contain_text("Hid a work")

    # When she resolves the report with a note
    mod.get_by_label("Resolution note").fill(RESOLUTION)
    mod.get_by_role("button", name="Resolve", exact=True).click()
    # Then the queue of unresolved reports is empty
    expect(mod.get_by_role("status")).to_have_text("The report was resolved.")
    expect(mod.get_by_role("heading", level=1)).to_have_text("Report queue")
    expect(mod.locator("main")).to_contain_text("No reports here.")
    # And the report keeps her note
    mod.goto(report_url)
    expect(mod.locator(".report-meta")).to_contain_text(RESOLUTION)
    expect(mod.locator(".report-meta")).to_contain_text("Resolved")

    # And the reader who reported it can no longer open the work
    response = fan.goto(work_url)
    assert response.status == 404, f"the hidden work answered {response.status} to a reader"
    expect(fan.get_by_text("Kylo had always seen Hux as perfect.")).to_have_count(0)

    # And its creator sees that a moderator hid it, and why
    writer = new_page()
    log_in(writer, "smolhux", PASSWORD)
    response = writer.goto(work_url)
    assert response.status == 200
    expect(writer.locator(".hidden-notice")).to_have_text(f"Hidden by a moderator: {HIDE_MESSAGE}")
    assert_accessible(writer)
    screenshot(writer, "moderation-05-creator-sees-the-hidden-notice")

    # And the moderation log lists the assignment, the hiding and the resolution
    mod.get_by_role("link", name="Moderation log").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Moderation log")
    log = mod.locator("table.moderation-log tbody")
    for action in ("Assigned a report", "Hid a work", "Resolved a report"):
        expect(log.locator("tr", has_text=action)).to_have_count(1)
    expect(log.locator("tr", has_text="Hid a work")).to_contain_text(HIDE_MESSAGE)
    expect(log.locator("tr", has_text="Resolved a report")).to_contain_text(RESOLUTION)
    expect(log).to_contain_text("modmara")
    assert_accessible(mod)
    screenshot(mod, "moderation-06-log")
