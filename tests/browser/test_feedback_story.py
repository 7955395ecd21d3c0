"""A reader answers "Tell me what you think!!!": kudos, a comment, a subscription.

The story of the feedback issue: a reader leaves kudos and a comment and subscribes;
the author replies and posts chapter 2; the reader sees both in the inbox and the
email about the new chapter is sent. Screenshots land in ``test-output/browser/``.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_posting_and_reading import log_in

pytestmark = pytest.mark.browser

TITLE = "Come Find Me"
COMMENT = "Tell me more!!! I need to know what happens at the gala."
REPLY = "Thank you so much! Chapter two is nearly done."
CHAPTER_TWO = "The gala began at eight, and Hux was late on purpose."


@pytest.fixture
def posted_work(make_work, author):
    return make_work(
        title=TITLE,
        chapters=["<p>Kylo had always seen Hux as perfect.</p>"],
        expected_chapters=None,
    )


def test_a_reader_leaves_kudos_and_a_comment_subscribes_and_hears_of_the_reply_and_chapter_two(
    new_page, posted_work, author, reader, mailoutbox, screenshot, assert_accessible
):
    work_url = posted_work.get_absolute_url()

    # Given I am logged in as a reader on the work's page
    fan = new_page()
    log_in(fan, "reader", "correct horse battery")
    fan.goto(work_url)

    # When I leave kudos
    fan.get_by_role("button", name="Kudos ♥").click()
    # Then I am thanked and my name is in the kudos list
    expect(fan.locator(".kudos-left")).to_have_text("You left kudos on this work. Thank you!")
    expect(fan.locator(".kudos-list")).to_contain_text("reader")
    # And pressing it again is not possible: the button is gone
    expect(fan.get_by_role("button", name="Kudos ♥")).to_have_count(0)
    # And the work's stats count it
    expect(fan.locator(".stats")).to_contain_text(re.compile(r"Kudos:\s*1"))

    # When I write a comment and subscribe to the work
    fan.get_by_label("Comment", exact=True).fill(COMMENT)
    fan.get_by_role("button", name="Comment", exact=True).click()
    expect(fan.locator(".thread")).to_contain_text(COMMENT)
    fan.get_by_role("button", name="Subscribe").click()
    expect(fan.get_by_role("button", name="Unsubscribe")).to_be_visible()
    assert_accessible(fan)
    screenshot(fan, "feedback-01-reader-left-kudos-and-a-comment")

    # Given the author logs in on another computer
    writer = new_page()
    log_in(writer, "smolhux", "correct horse battery")
    writer.goto(work_url)
    # Then they see the comment and reply to it
    expect(writer.locator(".thread")).to_contain_text(COMMENT)
    writer.locator(".thread").get_by_role("link", name="Reply").first.click()
    writer.get_by_label("Comment", exact=True).fill(REPLY)
    writer.get_by_role("button", name="Reply").click()
    expect(writer.locator(".thread.replies")).to_contain_text(REPLY)

    # And they post chapter 2
    writer.goto(work_url)
    writer.get_by_role("link", name="Add chapter").click()
    writer.get_by_label("Text format").select_option("plain")
    writer.get_by_label("Work text").fill(CHAPTER_TWO)
    writer.get_by_role("button", name="Post chapter").click()
    expect(writer.get_by_role("status")).to_have_text("The chapter was added.")

    # When I come back, my inbox has news
    fan.goto("/")
    expect(fan.locator(".inbox-link .unread-count")).to_have_text("(2)")
    fan.locator(".inbox-link").click()
    inbox = fan.locator("main")
    expect(inbox).to_contain_text(REPLY[:20])
    expect(inbox).to_contain_text("chapter")
    assert_accessible(fan)
    screenshot(fan, "feedback-02-inbox-with-the-reply-and-the-new-chapter")

    # And an email told me about the new chapter
    to_reader = [message for message in mailoutbox if message.to == [reader.email]]
    assert to_reader, f"no email to the reader; sent: {[m.subject for m in mailoutbox]}"
    assert any(TITLE in message.body and "chapter" in message.body for message in to_reader)
    # And the author heard of my comment (and nobody of their own actions)
    assert any(message.to == [author.email] for message in mailoutbox)
