"""Notification emails: one each when few, a digest when many, never the same one twice."""

import pytest
from django.core import mail

from fanshelf.feedback.services import give_kudos
from fanshelf.notifications import emails
from fanshelf.notifications.models import Notification
from fanshelf.notifications.services import set_email_enabled, subscribe
from fanshelf.notifications.tasks import email_notifications


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://fanshelf.example"
    settings.FANSHELF_EMAIL_DIGEST_AFTER = 3


def test_follower_is_emailed_about_chapter_two(follower, work, post_chapter, mailoutbox):
    chapter = post_chapter(work)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["reader@example.org"]
    assert message.subject == "[Fanshelf] New chapter of Perfect: Chapter 2"
    assert f"https://fanshelf.example{chapter.get_absolute_url()}" in message.body
    assert "https://fanshelf.example/inbox/" in message.body
    assert Notification.objects.get(recipient=follower).emailed_at is not None


def test_many_waiting_notifications_go_out_as_one_digest(
    settings, follower, work, post_chapter, mailoutbox
):
    set_email_enabled(user=follower, enabled=False)
    for _ in range(4):
        post_chapter(work)
    assert mailoutbox == []
    set_email_enabled(user=follower, enabled=True)
    email_notifications.enqueue([follower.pk])
    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert digest.subject == "4 new notifications on Fanshelf"
    for number in (2, 3, 4, 5):
        assert f"New chapter of Perfect: Chapter {number}" in digest.body
    # Newest first.
    assert digest.body.index("Chapter 5") < digest.body.index("Chapter 2")
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_digest_threshold_is_a_setting(settings, follower, work, post_chapter, mailoutbox):
    settings.FANSHELF_EMAIL_DIGEST_AFTER = 1
    set_email_enabled(user=follower, enabled=False)
    post_chapter(work)
    post_chapter(work)
    set_email_enabled(user=follower, enabled=True)
    email_notifications.enqueue([follower.pk])
    assert [m.subject for m in mailoutbox] == ["2 new notifications on Fanshelf"]


def test_nothing_is_sent_twice(follower, work, post_chapter, mailoutbox):
    post_chapter(work)
    email_notifications.enqueue([follower.pk])
    assert emails.send_pending(user_id=follower.pk) == 0
    assert len(mailoutbox) == 1


def test_notifications_read_on_the_site_are_not_emailed(follower, work, post_chapter, mailoutbox):
    set_email_enabled(user=follower, enabled=False)
    post_chapter(work)
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    set_email_enabled(user=follower, enabled=True)
    assert emails.send_pending(user_id=follower.pk) == 0
    assert mailoutbox == []


def test_no_email_when_turned_off_or_without_an_address(
    follower, make_user, work, post_chapter, mailoutbox
):
    no_address = make_user("noaddress")
    no_address.email = ""
    no_address.save()
    subscribe(user=no_address, work=work)
    set_email_enabled(user=follower, enabled=False)
    post_chapter(work)
    assert mailoutbox == []
    # Both still have the notification in their inbox.
    assert Notification.objects.filter(recipient__in=[follower, no_address]).count() == 2


def test_kudos_wait_quietly_for_a_digest(reader, author, make_user, work, mailoutbox):
    give_kudos(work=work, user=reader)
    assert mailoutbox == []
    for _ in range(3):
        give_kudos(work=work, user=make_user())
    # The fourth kudos makes more than three waiting: one digest of all four.
    assert [m.subject for m in mailoutbox] == ["4 new notifications on Fanshelf"]
    assert mailoutbox[0].to == ["smolhux@example.org"]


def test_a_failed_send_is_tried_again_later(monkeypatch, follower, work, post_chapter, mailoutbox):
    set_email_enabled(user=follower, enabled=False)
    post_chapter(work)
    set_email_enabled(user=follower, enabled=True)

    def refuse(self, messages):
        raise ConnectionRefusedError("smtp is down")

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", refuse)
    with pytest.raises(ConnectionRefusedError):
        emails.send_pending(user_id=follower.pk)
    assert Notification.objects.get(recipient=follower).emailed_at is None
    monkeypatch.undo()
    assert emails.send_pending(user_id=follower.pk) == 1
    assert len(mailoutbox) == 1


def test_subject_has_no_line_breaks(follower, work, author, mailoutbox):
    Notification.objects.create(
        recipient=follower, kind="new_work", text="A\nmultiline\r\ntitle " + "x" * 300, url="/"
    )
    emails.send_pending(user_id=follower.pk)
    (message,) = mailoutbox
    assert "\n" not in message.subject and len(message.subject) <= emails.SUBJECT_LENGTH
