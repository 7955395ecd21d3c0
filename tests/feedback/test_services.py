"""Comments and kudos as readers, guests and creators leave them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanshelf.feedback import services, signals
from fanshelf.feedback.models import Comment, Kudos
from fanshelf.works.models import Chapter, Work
from fanshelf.works.services import ChapterText, add_chapter, delete_chapter

pytestmark = pytest.mark.django_db


def counts(work):
    stored = Work.objects.get(pk=work.pk)
    return stored.comment_count, stored.kudos_count


def messages_of(error_info) -> str:
    error = error_info.value
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@pytest.fixture
def heard():
    """What the feedback signals said, in order."""
    said = []

    def comment_posted(sender, comment, **kwargs):
        said.append(("comment", comment.pk))

    def kudos_given(sender, kudos, **kwargs):
        said.append(("kudos", kudos.pk))

    signals.comment_posted.connect(comment_posted)
    signals.kudos_given.connect(kudos_given)
    yield said
    signals.comment_posted.disconnect(comment_posted)
    signals.kudos_given.disconnect(kudos_given)


# Posting


def test_reader_comment_is_visible_counted_and_announced(work, reader, heard):
    comment = services.post_comment(work=work, user=reader, body="Tell me more!")

    assert comment.state == Comment.State.VISIBLE
    assert comment.pseud == reader.default_pseud
    assert comment.depth == 0 and comment.parent is None
    assert counts(work) == (1, 0)
    assert heard == [("comment", comment.pk)]


def test_typed_text_becomes_paragraphs_and_html_is_sanitised(work, reader):
    comment = services.post_comment(
        work=work,
        user=reader,
        body="I <em>loved</em> it <3\nso much\n\nMore!<script>alert(1)</script>",
    )

    assert comment.body == "<p>I <em>loved</em> it &lt;3<br>\nso much</p>\n<p>More!</p>"
    assert comment.text.startswith("I <em>loved</em>")


def test_a_long_comment_on_one_line_stays_one_paragraph(work, reader):
    body = " ".join(f"word{n}" for n in range(150))  # 1,000 characters, no line break

    comment = services.post_comment(work=work, user=reader, body=body)

    assert comment.body.count("<p>") == 1


def test_guest_comments_on_an_open_work_with_name_and_email(work, guest):
    comment = services.post_comment(work=work, body="Perfect.", **guest)

    assert comment.user is None and comment.pseud is None
    assert comment.author_name == "Anon Fan"
    assert comment.guest_email == "anon@example.org"
    assert counts(work) == (1, 0)


def test_guest_must_give_a_name_and_a_real_email(work):
    with pytest.raises(ValidationError) as error:
        services.post_comment(work=work, body="Hi", guest_name=" ", guest_email="not-an-email")

    assert set(error.value.message_dict) == {"guest_name", "guest_email"}
    assert "not an email address" in error.value.message_dict["guest_email"][0]
    assert counts(work) == (0, 0)


def test_registered_only_work_refuses_guests_but_takes_users(make_work, reader, guest):
    work = make_work(comment_policy=Work.CommentPolicy.REGISTERED)

    with pytest.raises(PermissionDenied, match="Only registered users"):
        services.post_comment(work=work, body="Hi", **guest)
    services.post_comment(work=work, user=reader, body="Hi")

    assert counts(work) == (1, 0)


def test_disabled_comments_refuse_everyone(make_work, author, reader, guest):
    work = make_work(comment_policy=Work.CommentPolicy.DISABLED)

    for who in ({"user": reader}, {"user": author}, guest):
        with pytest.raises(PermissionDenied, match="turned comments off"):
            services.post_comment(work=work, body="Hi", **who)
    assert Comment.objects.count() == 0


def test_moderated_comment_waits_for_the_creator(make_work, author, reader, guest, heard):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)

    held = services.post_comment(work=work, user=reader, body="Please continue!")
    by_guest = services.post_comment(work=work, body="Me too", **guest)

    assert held.state == by_guest.state == Comment.State.HELD
    assert counts(work) == (0, 0)
    assert heard == []

    services.approve_comment(comment=held, user=author)
    services.approve_comment(comment=held, user=author)  # twice: no change

    held.refresh_from_db()
    assert held.state == Comment.State.VISIBLE
    assert counts(work) == (1, 0)
    assert heard == [("comment", held.pk)]


def test_creators_own_comment_on_a_moderated_work_is_not_held(make_work, author):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)

    comment = services.post_comment(work=work, user=author, body="Thanks for reading!")

    assert comment.state == Comment.State.VISIBLE


def test_only_the_creator_can_approve(make_work, reader, make_user):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    held = services.post_comment(work=work, user=reader, body="Hi")

    for who in (reader, make_user()):
        with pytest.raises(PermissionDenied, match="Only the work's creators"):
            services.approve_comment(comment=held, user=who)
    assert counts(work) == (0, 0)


def test_users_choose_which_pseud_to_comment_as(work, reader, second_pseud, author):
    comment = services.post_comment(work=work, user=reader, pseud="Hux-Stan", body="Hi")
    assert comment.pseud == second_pseud

    with pytest.raises(ValidationError, match="no pseud called"):
        services.post_comment(work=work, user=reader, pseud="nobody", body="Again")
    with pytest.raises(ValidationError, match="your own pseuds"):
        services.post_comment(work=work, user=author, pseud=second_pseud, body="Sneaky")


def test_client_address_is_stored_only_as_a_hash(work, reader):
    comment = services.post_comment(work=work, user=reader, body="Hi", client_ip="203.0.113.9")

    assert comment.client_hash and "203.0.113.9" not in comment.client_hash
    assert comment.client_hash == services.client_hash("203.0.113.9")


# Chapters and replies


def test_comment_on_a_chapter_and_replies_follow_its_chapter(work, author, reader, guest):
    chapter2 = add_chapter(user=author, work=work, chapter=ChapterText(body="Part two."))

    comment = services.post_comment(work=work, chapter=chapter2, user=reader, body="Oh no!")
    reply = services.post_comment(work=work, parent=comment, body="Right?", **guest)

    assert comment.chapter == reply.chapter == chapter2
    assert reply.root == comment and reply.depth == 1


def test_comments_on_a_deleted_chapter_stay_on_the_work(work, author, reader):
    chapter2 = add_chapter(user=author, work=work, chapter=ChapterText(body="Part two."))
    comment = services.post_comment(work=work, chapter=chapter2, user=reader, body="Oh no!")

    delete_chapter(user=author, chapter=chapter2)

    comment.refresh_from_db()
    assert comment.chapter is None
    assert counts(work) == (1, 0)


def test_chapter_must_be_a_posted_chapter_of_the_work(work, make_work, author, reader):
    other = make_work(title="Other")
    draft = add_chapter(
        user=author, work=work, chapter=ChapterText(body="Soon."), state=Chapter.State.DRAFT
    )

    for chapter in (other.chapters.get(), draft):
        with pytest.raises(ValidationError, match="no such chapter"):
            services.post_comment(work=work, chapter=chapter, user=reader, body="Hi")


def test_replies_nest_five_deep_then_flatten(work, reader, make_user):
    people = [reader] + [make_user() for _ in range(6)]
    comment = services.post_comment(work=work, user=people[0], body="Level 0")
    chain = [comment]
    for number, person in enumerate(people[1:], 1):
        chain.append(
            services.post_comment(work=work, parent=chain[-1], user=person, body=f"Reply {number}")
        )

    assert [c.depth for c in chain] == [0, 1, 2, 3, 4, 4, 4]
    # A flattened reply still answers the comment it was written to.
    assert chain[5].parent == chain[4] and chain[6].parent == chain[5]
    assert {c.root_id for c in chain[1:]} == {comment.pk}
    assert counts(work) == (7, 0)


def test_reply_to_a_deleted_or_held_or_foreign_comment_is_refused(
    make_work, work, author, reader, guest
):
    deleted = services.post_comment(work=work, user=reader, body="Oops")
    services.post_comment(work=work, parent=deleted, body="Reply", **guest)
    services.delete_comment(comment=deleted, user=reader)
    moderated = make_work(title="Moderated", comment_policy=Work.CommentPolicy.MODERATED)
    held = services.post_comment(work=moderated, user=reader, body="Waiting")

    with pytest.raises(ValidationError, match="was deleted"):
        services.post_comment(work=work, parent=deleted, user=author, body="Hi")
    with pytest.raises(ValidationError, match="awaiting the creator"):
        services.post_comment(work=moderated, parent=held, user=author, body="Hi")
    with pytest.raises(ValidationError, match="does not exist"):
        services.post_comment(work=moderated, parent=deleted, user=author, body="Hi")


# Bad input


@pytest.mark.parametrize("body", ["", "   \n\n  ", "<script>alert(1)</script>", "<p></p>"])
def test_empty_comment_is_refused_with_a_clear_message(work, reader, body):
    with pytest.raises(ValidationError) as error:
        services.post_comment(work=work, user=reader, body=body)

    assert error.value.message_dict == {"body": ["Please write something in your comment."]}
    assert counts(work) == (0, 0)


def test_comment_may_have_10000_characters_but_not_10001(work, reader, no_rate_limits):
    services.post_comment(work=work, user=reader, body="a" * 9_999 + " ")

    with pytest.raises(ValidationError) as error:
        services.post_comment(work=work, user=reader, body="b" * 10_001)

    assert "at most 10,000 characters" in error.value.message_dict["body"][0]
    assert "yours has 10,001" in error.value.message_dict["body"][0]
    assert counts(work) == (1, 0)


def test_no_feedback_on_drafts_hidden_or_restricted_works_for_guests(make_work, reader, guest):
    draft = make_work(title="Draft", state=Work.State.DRAFT)
    hidden = make_work(title="Hidden")
    Work.objects.filter(pk=hidden.pk).update(state=Work.State.HIDDEN)
    hidden.refresh_from_db()
    restricted = make_work(title="Restricted", restricted=True)

    for work in (draft, hidden):
        with pytest.raises(PermissionDenied):
            services.post_comment(work=work, user=reader, body="Hi")
        with pytest.raises(PermissionDenied):
            services.give_kudos(work=work, user=reader)
    with pytest.raises(PermissionDenied, match="does not exist, or you cannot see it"):
        services.post_comment(work=restricted, body="Hi", **guest)
    with pytest.raises(PermissionDenied):
        services.give_kudos(work=restricted, guest_key="a" * 64)

    services.post_comment(work=restricted, user=reader, body="Users may")
    assert services.give_kudos(work=restricted, user=reader)
    assert counts(restricted) == (1, 1)


def test_a_deleted_work_takes_no_feedback(work, reader):
    stale = Work.objects.get(pk=work.pk)
    work.delete()

    with pytest.raises(PermissionDenied, match="does not exist"):
        services.post_comment(work=stale, user=reader, body="Hi")


def test_the_same_comment_twice_in_one_place_counts_once(work, reader):
    services.post_comment(work=work, user=reader, body="Great!")

    with pytest.raises(ValidationError, match="already posted this comment here"):
        services.post_comment(work=work, user=reader, body="Great!")
    assert counts(work) == (1, 0)


# Rate limits and spam


def test_fourth_comment_in_a_short_time_is_refused_politely(work, reader):
    for number in range(3):
        services.post_comment(work=work, user=reader, body=f"Comment {number}")

    with pytest.raises(services.RateLimited) as error:
        services.post_comment(work=work, user=reader, body="One more")

    assert "wait a few minutes" in messages_of(error)
    assert counts(work) == (3, 0)


def test_rate_limit_counts_a_guest_address_too(work, make_user):
    for number in range(3):
        services.post_comment(
            work=work, user=make_user(), body=f"Hi {number}", client_ip="198.51.100.7"
        )

    with pytest.raises(services.RateLimited):
        services.post_comment(
            work=work,
            body="Hi",
            guest_name="Anon",
            guest_email="anon@example.org",
            client_ip="198.51.100.7",
        )


def test_rate_limits_can_be_turned_off(work, reader, no_rate_limits):
    for number in range(10):
        services.post_comment(work=work, user=reader, body=f"Comment {number}")

    assert counts(work) == (10, 0)


def test_comment_with_many_links_is_refused_as_spam(work, guest):
    body = " ".join(f"https://cheap-pills.example/{n}" for n in range(4))

    with pytest.raises(ValidationError, match="looks like spam: it has more than 3 links"):
        services.post_comment(work=work, body=body, **guest)
    assert counts(work) == (0, 0)


def test_repeated_text_is_refused_as_spam(work, reader):
    with pytest.raises(ValidationError, match="repeats the same words"):
        services.post_comment(work=work, user=reader, body="buy now " * 30)


def test_the_same_long_comment_on_another_work_is_refused_as_spam(make_work, reader):
    body = "Visit my profile for more stories like this one, you will love them!"
    services.post_comment(work=make_work(title="One"), user=reader, body=body)

    with pytest.raises(ValidationError, match="already posted the same comment today"):
        services.post_comment(work=make_work(title="Two"), user=reader, body=body)


def test_short_comments_may_repeat_across_chapters(work, author, reader):
    chapter2 = add_chapter(user=author, work=work, chapter=ChapterText(body="Part two."))

    services.post_comment(work=work, user=reader, body="<3")
    services.post_comment(work=work, chapter=chapter2, user=reader, body="<3")

    assert counts(work) == (2, 0)


def test_the_spam_check_is_a_setting(work, reader, settings):
    settings.SPAM_CHECK = "tests.feedback.test_services.refuse_pineapples"

    with pytest.raises(ValidationError, match="looks like spam: pineapple"):
        services.post_comment(work=work, user=reader, body="Pineapple pizza is great")
    services.post_comment(work=work, user=reader, body="Perfect.")


def refuse_pineapples(comment_text, *, user, guest_email):
    return "pineapple" if "pineapple" in comment_text.lower() else None


# Editing and deleting


def test_edit_changes_the_text_and_marks_it_edited(work, reader):
    comment = services.post_comment(work=work, user=reader, body="Teh best")

    same = services.edit_comment(comment=comment, user=reader, body="Teh best")
    assert same.edited_at is None

    edited = services.edit_comment(comment=comment, user=reader, body="The best")
    assert edited.edited_at is not None
    assert edited.body == "<p>The best</p>"
    assert counts(work) == (1, 0)


def test_only_the_writer_can_edit(work, author, reader, guest):
    comment = services.post_comment(work=work, user=reader, body="Mine")
    by_guest = services.post_comment(work=work, body="Guest", **guest)

    with pytest.raises(PermissionDenied, match="Only the person who wrote"):
        services.edit_comment(comment=comment, user=author, body="Changed")
    with pytest.raises(PermissionDenied):
        services.edit_comment(comment=by_guest, user=None, body="Changed")
    with pytest.raises(ValidationError, match="Please write something"):
        services.edit_comment(comment=comment, user=reader, body="  ")


def test_deleted_comment_with_replies_stays_as_a_placeholder(work, reader, guest):
    comment = services.post_comment(work=work, user=reader, body="Secret opinion")
    services.post_comment(work=work, parent=comment, body="Reply", **guest)

    services.delete_comment(comment=comment, user=reader)
    services.delete_comment(comment=comment, user=reader)  # again: a no-op

    comment.refresh_from_db()
    assert comment.state == Comment.State.DELETED
    assert comment.text == comment.body == ""
    assert counts(work) == (1, 0)
    with pytest.raises(ValidationError, match="was deleted"):
        services.edit_comment(comment=comment, user=reader, body="Back")


def test_deleted_comment_without_replies_disappears_with_empty_placeholders(work, reader, guest):
    top = services.post_comment(work=work, user=reader, body="Top")
    reply = services.post_comment(work=work, parent=top, body="Reply", **guest)
    services.delete_comment(comment=top, user=reader)

    services.delete_comment(comment=reply, user=work.creatorships.get().pseud.user)

    assert not Comment.objects.filter(work=work).exists()
    assert counts(work) == (0, 0)


def test_creator_can_delete_comments_on_their_work_and_others_cannot(
    work, author, reader, make_user, guest
):
    comment = services.post_comment(work=work, user=reader, body="Rude")
    by_guest = services.post_comment(work=work, body="Ruder", **guest)

    with pytest.raises(PermissionDenied, match="Only the person who wrote"):
        services.delete_comment(comment=comment, user=make_user())
    with pytest.raises(PermissionDenied):
        services.delete_comment(comment=by_guest, user=None)
    services.delete_comment(comment=comment, user=author)
    services.delete_comment(comment=by_guest, user=author)

    assert counts(work) == (0, 0)


def test_deleting_a_held_comment_leaves_the_count_alone(make_work, author, reader):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    services.post_comment(work=work, user=author, body="Welcome")
    held = services.post_comment(work=work, user=reader, body="Spoilers")

    services.delete_comment(comment=held, user=author)

    assert counts(work) == (1, 0)


def test_comment_count_stays_exact_through_everything(make_work, author, reader, guest):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    first = services.post_comment(work=work, user=author, body="Hello")
    held = services.post_comment(work=work, user=reader, body="Held")
    services.approve_comment(comment=held, user=author)
    reply = services.post_comment(work=work, parent=first, user=author, body="Reply")
    services.delete_comment(comment=first, user=author)  # placeholder
    services.edit_comment(comment=reply, user=author, body="Edited reply")

    visible = Comment.objects.filter(work=work, state=Comment.State.VISIBLE).count()
    assert counts(work) == (visible, 0) == (2, 0)


# Kudos


def test_kudos_from_a_user_count_once(work, reader, heard):
    assert services.give_kudos(work=work, user=reader) is True
    assert services.give_kudos(work=work, user=reader) is False

    assert counts(work) == (0, 1)
    assert heard == [("kudos", Kudos.objects.get().pk)]


def test_guests_are_told_apart_by_address_and_session(work):
    one = services.guest_kudos_key(client_ip="203.0.113.1", session_key="s1")
    two = services.guest_kudos_key(client_ip="203.0.113.1", session_key="s2")

    assert services.give_kudos(work=work, guest_key=one)
    assert not services.give_kudos(work=work, guest_key=one)
    assert services.give_kudos(work=work, guest_key=two)

    assert counts(work) == (0, 2)
    assert "203.0.113.1" not in one and len(one) == 64


def test_creators_cannot_leave_kudos_on_their_own_work(work, author):
    with pytest.raises(PermissionDenied, match="can't leave kudos on your own work"):
        services.give_kudos(work=work, user=author)

    assert counts(work) == (0, 0)


def test_kudos_need_a_user_or_a_guest_key(work):
    with pytest.raises(ValidationError, match="user or a guest"):
        services.give_kudos(work=work)


def test_kudos_are_rate_limited(make_work, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "kudos": "2/3600"}
    works = [make_work(title=f"Work {n}") for n in range(3)]

    services.give_kudos(work=works[0], user=reader)
    services.give_kudos(work=works[1], user=reader)
    with pytest.raises(services.RateLimited, match="a lot of kudos"):
        services.give_kudos(work=works[2], user=reader)
    # Kudos already left are still a polite no-op.
    assert services.give_kudos(work=works[0], user=reader) is False


def test_deleting_an_account_takes_its_kudos_off_the_count(work, reader, make_user):
    services.give_kudos(work=work, user=reader)
    services.give_kudos(work=work, user=make_user())

    reader.delete()

    assert counts(work) == (0, 1) == (0, Kudos.objects.filter(work=work).count())
