"""Who hears of what: new chapters, new works, comments, replies and kudos."""

from fanshelf.feedback.models import Comment
from fanshelf.feedback.services import give_kudos, post_comment
from fanshelf.feedback.signals import comment_posted
from fanshelf.notifications.models import Notification, Subscription
from fanshelf.notifications.services import subscribe
from fanshelf.works.models import Chapter, Work
from fanshelf.works.services import ChapterText, add_chapter, publish_work
from fanshelf.works.services import post_chapter as post_draft_chapter


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_work_subscriber_hears_of_chapter_two(follower, work, post_chapter):
    chapter = post_chapter(work)
    notification = Notification.objects.get(recipient=follower)
    assert notification.kind == Notification.Kind.NEW_CHAPTER
    assert notification.chapter == chapter and notification.work == work
    assert notification.url == chapter.get_absolute_url()
    assert notification.text == "New chapter of Perfect: Chapter 2"
    assert notification.read_at is None


def test_draft_chapter_is_heard_of_when_posted(follower, work, author, post_chapter):
    draft = post_chapter(work, state=Chapter.State.DRAFT)
    assert not Notification.objects.exists()
    post_draft_chapter(user=author, chapter=draft)
    assert Notification.objects.get(recipient=follower).chapter == draft


def test_chapters_of_a_draft_work_notify_nobody(reader, author, make_work):
    draft = make_work(state=Work.State.DRAFT)
    # Only its creator can see a draft, so nobody else can follow it; even a
    # subscription made behind the services' back hears nothing.
    Subscription.objects.create(user=reader, work=draft)
    add_chapter(user=author, work=draft, chapter=ChapterText(body="Two."))
    assert not Notification.objects.exists()


def test_creators_do_not_hear_of_their_own_chapters(author, make_user, work, post_chapter):
    co_reader = make_user()
    subscribe(user=co_reader, work=work)
    post_chapter(work)
    assert kinds(author) == []
    assert kinds(co_reader) == ["new_chapter"]


def test_user_and_series_subscribers_hear_of_a_new_work_once(reader, author, make_user, make_work):
    first = make_work(title="Part one", series="Kylux Verse")
    series_fan = make_user()
    subscribe(user=reader, creator=author)
    subscribe(user=reader, series=first.series)
    subscribe(user=series_fan, series=first.series)
    second = make_work(title="Part two", series="Kylux Verse")
    both = Notification.objects.get(recipient=reader)
    assert both.work == second and both.kind == "new_work"
    assert both.text == "smolhux posted a new work: Part two"
    assert Notification.objects.get(recipient=series_fan).text == (
        "A new work in the series Kylux Verse: Part two"
    )


def test_anonymous_work_never_reveals_its_creator(reader, author, make_user, make_work, mailoutbox):
    first = make_work(title="Part one", series="Secret Verse")
    series_fan = make_user()
    subscribe(user=reader, creator=author)
    subscribe(user=series_fan, series=first.series)
    make_work(title="Hidden name", anonymous=True, series="Secret Verse")
    # The author's follower hears nothing: that would say who wrote it.
    assert kinds(reader) == []
    series_note = Notification.objects.get(recipient=series_fan)
    assert "smolhux" not in series_note.text
    assert all("smolhux" not in message.body for message in mailoutbox)


def test_draft_work_notifies_nobody_until_posted(reader, author, make_work):
    subscribe(user=reader, creator=author)
    draft = make_work(state=Work.State.DRAFT, title="Not yet")
    assert kinds(reader) == []
    publish_work(user=author, work=draft)
    assert kinds(reader) == ["new_work"]


def test_restricted_work_notifies_registered_followers(reader, author, make_work):
    subscribe(user=reader, creator=author)
    make_work(title="Members only", restricted=True)
    assert kinds(reader) == ["new_work"]


def test_comment_notifies_the_creators_not_the_commenter(reader, author, work):
    comment = post_comment(work=work, user=reader, body="I loved it!!! More please.")
    notification = Notification.objects.get(recipient=author)
    assert notification.kind == "comment"
    assert notification.comment_id == comment.pk
    assert notification.url == comment.get_absolute_url()
    assert (
        notification.text == "reader commented on your work Perfect: “I loved it!!! More please.”"
    )
    assert kinds(reader) == []


def test_reply_notifies_the_parent_writer_and_creator(reader, author, make_user, work):
    question = post_comment(work=work, user=reader, body="Will there be more?")
    Notification.objects.all().delete()
    answer = post_comment(work=work, parent=question, user=author, body="Yes! Chapter 2 soon.")
    reply = Notification.objects.get(recipient=reader)
    assert reply.kind == "reply" and reply.comment_id == answer.pk
    assert reply.text.startswith("smolhux replied to your comment on Perfect")
    # The author wrote the reply: nothing for them.
    assert kinds(author) == []
    other = make_user("other")
    post_comment(work=work, parent=answer, user=other, body="Same question here.")
    # The author hears once (as the parent's writer), not twice.
    assert kinds(author) == ["reply"]


def test_guest_comment_notifies_the_creator(author, work):
    post_comment(work=work, guest_name="Anon fan", guest_email="fan@example.org", body="Wow.")
    assert Notification.objects.get(recipient=author).text.startswith("Anon fan commented")


def test_anonymous_creator_reply_does_not_name_them(reader, author, make_work):
    secret = make_work(anonymous=True)
    question = post_comment(work=secret, user=reader, body="Who wrote this?")
    post_comment(work=secret, parent=question, user=author, body="Not telling.")
    reply = Notification.objects.get(recipient=reader)
    assert "smolhux" not in reply.text
    assert reply.text.startswith("The anonymous creator replied")


def test_held_comment_notifies_nobody_until_it_is_visible(reader, author, work):
    held = Comment.objects.create(work=work, user=reader, body="<p>Hi</p>", state="held")
    comment_posted.send(sender=Comment, comment=held)
    assert not Notification.objects.exists()


def test_kudos_notify_the_creators(reader, author, work):
    give_kudos(work=work, user=reader)
    give_kudos(work=work, guest_key="a" * 64)
    texts = sorted(Notification.objects.filter(recipient=author).values_list("text", flat=True))
    assert texts == ["A guest left kudos on Perfect", "reader left kudos on Perfect"]
    assert set(kinds(author)) == {"kudos"}
