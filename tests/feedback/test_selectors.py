"""Threads and kudos lines as each viewer sees them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from fanshelf.feedback import selectors, services
from fanshelf.feedback.models import Comment
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, add_chapter

pytestmark = pytest.mark.django_db
GUEST = AnonymousUser()


def shape(comments) -> list:
    """Each comment as (text or "[deleted]", its shown replies)."""
    return [
        (c.text or "[deleted]", shape(c.shown_replies))
        if c.shown_replies
        else c.text or "[deleted]"
        for c in comments
    ]


def thread(work, viewer=GUEST, **kwargs):
    return selectors.comment_threads(work=work, viewer=viewer, **kwargs).object_list


def test_thread_is_in_order_with_replies_nested(work, reader, make_user, guest, no_rate_limits):
    other = make_user()
    first = services.post_comment(work=work, user=reader, body="First")
    second = services.post_comment(work=work, user=other, body="Second")
    services.post_comment(work=work, parent=first, body="Reply to first", **guest)
    services.post_comment(work=work, parent=second, user=reader, body="Reply to second")
    services.post_comment(work=work, parent=first, user=other, body="Another reply")

    assert shape(thread(work)) == [
        ("First", ["Reply to first", "Another reply"]),
        ("Second", ["Reply to second"]),
    ]


def test_replies_past_the_fifth_level_sit_beside_their_parent(work, reader, no_rate_limits):
    comment = services.post_comment(work=work, user=reader, body="0")
    chain = [comment]
    for level in range(1, 7):
        chain.append(
            services.post_comment(work=work, parent=chain[-1], user=reader, body=str(level))
        )

    assert shape(thread(work)) == [("0", [("1", [("2", [("3", ["4", "5", "6"])])])])]
    level3 = thread(work)[0].shown_replies[0].shown_replies[0].shown_replies[0]
    four, five, six = level3.shown_replies
    assert four.in_reply_to is None
    assert five.in_reply_to.pk == chain[4].pk and six.in_reply_to.pk == chain[5].pk


def test_held_comments_show_only_to_the_creator_and_their_writer(
    make_work, author, reader, make_user
):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    services.post_comment(work=work, user=author, body="Welcome")
    services.post_comment(work=work, user=reader, body="Waiting")

    assert shape(thread(work, author)) == ["Welcome", "Waiting"]
    assert shape(thread(work, reader)) == ["Welcome", "Waiting"]
    assert shape(thread(work, make_user())) == ["Welcome"]
    assert shape(thread(work)) == ["Welcome"]


def test_deleted_comments_show_as_placeholders_only_above_replies(work, author, reader, guest):
    kept = services.post_comment(work=work, user=reader, body="Kept")
    services.post_comment(work=work, parent=kept, body="Reply", **guest)
    services.delete_comment(comment=kept, user=reader)

    assert shape(thread(work)) == [("[deleted]", ["Reply"])]


def test_placeholder_above_only_held_replies_is_not_shown_to_readers(
    make_work, author, reader, make_user
):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    top = services.post_comment(work=work, user=author, body="Top")
    services.post_comment(work=work, parent=top, user=reader, body="Held reply")
    services.delete_comment(comment=top, user=author)

    assert shape(thread(work)) == []
    assert shape(thread(work, author)) == [("[deleted]", ["Held reply"])]


def test_chapter_pages_show_their_own_comments(work, author, reader, no_rate_limits):
    chapter1 = work.chapters.get()
    chapter2 = add_chapter(user=author, work=work, chapter=ChapterText(body="Part two."))
    services.post_comment(work=work, user=reader, body="On the whole work")
    services.post_comment(work=work, chapter=chapter1, user=reader, body="On chapter 1")
    services.post_comment(work=work, chapter=chapter2, user=reader, body="On chapter 2")

    assert shape(thread(work, chapter=chapter2)) == ["On chapter 2"]
    # Comments on the work as a whole are shown with its first chapter.
    assert shape(thread(work, chapter=chapter1)) == ["On the whole work", "On chapter 1"]
    assert len(thread(work)) == 3
    assert selectors.visible_comment_count(work=work, chapter=chapter2) == 1


def test_creators_of_anonymous_works_comment_anonymously(make_work, author, reader):
    work = make_work(anonymous=True)
    services.post_comment(work=work, user=author, body="Thanks!")
    services.post_comment(work=work, user=reader, body="Who are you?")

    names = [(c.display_name, c.by_creator) for c in thread(work)]

    assert names == [("Anonymous Creator", True), ("reader", False)]


def test_threads_are_paged_and_a_comment_knows_its_page(work, reader, no_rate_limits):
    comments = [
        services.post_comment(work=work, user=reader, body=f"Comment {n}")
        for n in range(selectors.THREADS_PER_PAGE + 2)
    ]
    reply = services.post_comment(work=work, parent=comments[-1], user=reader, body="Reply")

    page2 = selectors.comment_threads(work=work, viewer=GUEST, page=2)
    assert page2.paginator.num_pages == 2
    assert shape(page2.object_list) == [f"Comment {selectors.THREADS_PER_PAGE}", (
        f"Comment {selectors.THREADS_PER_PAGE + 1}", ["Reply"])]  # fmt: skip
    assert selectors.thread_page_of(comments[0]) == 1
    assert selectors.thread_page_of(reply) == 2
    # A page that does not exist shows the last one rather than failing.
    assert selectors.comment_threads(work=work, viewer=GUEST, page="x").number == 1
    assert selectors.comment_threads(work=work, viewer=GUEST, page=99).number == 2


def test_a_page_of_threads_costs_the_same_few_queries_however_long(
    work, reader, make_user, guest, django_assert_num_queries, no_rate_limits
):
    people = [make_user() for _ in range(5)]
    for person in people:
        top = services.post_comment(work=work, user=person, body=f"By {person.username}")
        reply = services.post_comment(work=work, parent=top, body="Guest reply", **guest)
        services.post_comment(work=work, parent=reply, user=reader, body=f"Re {person.pk}")
    work = Work.objects.prefetch_related("creatorships__pseud").get(pk=work.pk)
    work.creatorships.all()

    with django_assert_num_queries(3):
        comments = thread(work)
        names = [c.display_name for c in comments]
        names += [r.display_name for c in comments for r in c.shown_replies]

    assert len(names) == 10


def test_kudos_line_names_users_and_counts_guests(work, make_user):
    for name in ("alice", "demo-reader"):
        services.give_kudos(work=work, user=make_user(name))
    for number in range(12):
        services.give_kudos(work=work, guest_key=f"{number:064d}")
    work.refresh_from_db()

    summary = selectors.kudos_summary(work)

    assert summary.names == ["demo-reader", "alice"]
    assert summary.guests == 12 and summary.total == 14
    assert (
        selectors.kudos_sentence(summary)
        == "demo-reader, alice and 12 guests left kudos on this work!"
    )


def test_kudos_line_shortens_long_lists_of_names(work, make_user):
    for name in ("ann", "bea", "cat"):
        services.give_kudos(work=work, user=make_user(name))
    services.give_kudos(work=work, guest_key="g" * 64)
    work.refresh_from_db()

    summary = selectors.kudos_summary(work, names_shown=2)

    assert (
        selectors.kudos_sentence(summary)
        == "cat, bea, 1 more user and 1 guest left kudos on this work!"
    )
    assert selectors.kudos_sentence(selectors.kudos_summary(Work(pk=0))) == ""


def test_has_left_kudos_knows_users_and_guests(work, reader):
    key = services.guest_kudos_key(client_ip="203.0.113.5", session_key="abc")
    services.give_kudos(work=work, user=reader)
    services.give_kudos(work=work, guest_key=key)

    assert selectors.has_left_kudos(work=work, user=reader)
    assert selectors.has_left_kudos(work=work, user=GUEST, guest_key=key)
    assert not selectors.has_left_kudos(work=work, user=GUEST, guest_key="other")
    assert not selectors.has_left_kudos(work=work, user=GUEST)


def test_held_comments_list_is_the_creators_own(make_work, author, reader, make_user):
    moderated = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    someone_else = make_user()
    theirs = make_work(someone_else, title="Theirs", comment_policy=Work.CommentPolicy.MODERATED)
    services.post_comment(work=moderated, user=reader, body="For the author")
    services.post_comment(work=theirs, user=reader, body="For someone else")

    assert [c.text for c in selectors.held_comments(user=author)] == ["For the author"]
    assert [c.text for c in selectors.held_comments(user=someone_else)] == ["For someone else"]
    assert Comment.objects.filter(state=Comment.State.HELD).count() == 2
