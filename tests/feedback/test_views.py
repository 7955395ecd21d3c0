"""Kudos and comments in the browser's terms: pages, forms, redirects and messages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from fanshelf.feedback import services
from fanshelf.feedback.models import Comment, Kudos
from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, add_chapter

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode()


def messages_in(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def new_comment_url(work) -> str:
    return reverse("feedback:new_comment", args=[work.pk])


# The work page


def test_work_page_shows_kudos_button_form_and_thread(client, work, reader, guest):
    comment = services.post_comment(work=work, user=reader, body="So good!")
    services.post_comment(work=work, parent=comment, body="Agreed", **guest)

    page = page_text(client.get(work.get_absolute_url()))

    assert reverse("feedback:kudos", args=[work.pk]) in page
    assert 'name="guest_name"' in page and 'name="guest_email"' in page
    assert "2 comments" in page
    assert "<p>So good!</p>" in page and "<p>Agreed</p>" in page
    assert reverse("feedback:reply", args=[comment.pk]) in page
    # A guest can reply but not edit or delete.
    assert reverse("feedback:edit", args=[comment.pk]) not in page
    assert reverse("feedback:delete", args=[comment.pk]) not in page


def test_writer_sees_edit_and_delete_and_creator_sees_delete(client, work, author, reader):
    comment = services.post_comment(work=work, user=reader, body="Mine")
    edit_url = reverse("feedback:edit", args=[comment.pk])
    delete_url = reverse("feedback:delete", args=[comment.pk])

    client.force_login(reader)
    page = page_text(client.get(work.get_absolute_url()))
    assert edit_url in page and delete_url in page

    client.force_login(author)
    page = page_text(client.get(work.get_absolute_url()))
    assert edit_url not in page and delete_url in page
    # Creators do not get a kudos button on their own work.
    assert reverse("feedback:kudos", args=[work.pk]) not in page


def test_users_with_several_pseuds_choose_one(client, work, reader, second_pseud):
    client.force_login(reader)

    page = page_text(client.get(work.get_absolute_url()))

    assert 'name="pseud"' in page and ">hux-stan</option>" in page
    assert 'name="guest_name"' not in page


@pytest.mark.parametrize(
    ("policy", "note"),
    [
        ("disabled", "The creator has turned comments off on this work."),
        ("registered", "Only registered users can comment on this work."),
    ],
)
def test_closed_comments_explain_the_policy(client, make_work, policy, note):
    work = make_work(comment_policy=policy)

    page = page_text(client.get(work.get_absolute_url()))

    assert note in page
    assert 'name="body"' not in page


def test_moderated_work_says_comments_wait_for_approval(client, make_work):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)

    page = page_text(client.get(work.get_absolute_url()))

    assert "moderated" in page and 'name="body"' in page


def test_work_page_query_count_does_not_grow_with_comments(
    client, work, reader, make_user, guest, django_assert_max_num_queries, no_rate_limits
):
    def load() -> str:
        return page_text(client.get(work.get_absolute_url()))

    client.force_login(reader)
    load()  # session and first-use queries out of the way
    with django_assert_max_num_queries(40) as few:
        load()
    for number in range(12):
        person = make_user()
        top = services.post_comment(work=work, user=person, body=f"Top {number}")
        services.post_comment(work=work, parent=top, body=f"Guest {number}", **guest)
        services.post_comment(work=work, parent=top, user=reader, body=f"Re {number}")
        services.give_kudos(work=work, user=person)

    # Comments and kudos cost at most a handful of queries more, whatever their number.
    with django_assert_max_num_queries(len(few.captured_queries) + 5):
        page = load()
    assert page.count('<li class="comment') == 36


# Kudos


def test_guest_leaves_kudos_once_and_is_thanked(client, work):
    url = reverse("feedback:kudos", args=[work.pk])

    response = client.post(url, {"next": work.get_absolute_url()}, follow=True)
    assert messages_in(response) == ["Thank you for leaving kudos!"]
    assert "You left kudos on this work." in page_text(response)
    assert "1 guest left kudos on this work!" in page_text(response)

    again = client.post(url, follow=True)
    assert messages_in(again) == ["You have already left kudos here. :)"]
    assert Work.objects.get(pk=work.pk).kudos_count == 1
    key = Kudos.objects.get().guest_key
    assert key and "127.0.0.1" not in key


def test_user_kudos_names_them_on_the_work(client, work, reader):
    client.force_login(reader)

    response = client.post(reverse("feedback:kudos", args=[work.pk]), follow=True)

    page = page_text(response)
    assert '<a href="/users/reader/works/">reader</a> left kudos on this work!' in page


def test_creator_kudos_on_own_work_gets_a_clear_message(client, work, author):
    client.force_login(author)

    response = client.post(reverse("feedback:kudos", args=[work.pk]), follow=True)

    assert "can't leave kudos on your own work" in messages_in(response)[0]
    assert Work.objects.get(pk=work.pk).kudos_count == 0


def test_kudos_on_a_missing_or_restricted_work_is_not_found(client, make_work):
    restricted = make_work(restricted=True)

    assert client.post(reverse("feedback:kudos", args=[restricted.pk])).status_code == 404
    assert client.post(reverse("feedback:kudos", args=[999_999])).status_code == 404
    assert client.get(reverse("feedback:kudos", args=[restricted.pk])).status_code == 405


def test_kudos_goes_back_only_to_this_sites_pages(client, work):
    response = client.post(
        reverse("feedback:kudos", args=[work.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == work.get_absolute_url() + "#kudos"


# Posting comments


def test_guest_posts_a_comment_and_lands_on_it(client, work, guest):
    response = client.post(new_comment_url(work), {**guest, "body": "Tell me more!"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{work.get_absolute_url()}#comment-{comment.pk}"
    page = client.get(response["Location"])
    assert messages_in(page) == ["Your comment was posted. Thank you!"]
    assert "Anon Fan" in page_text(page)


def test_comment_form_keeps_the_text_and_shows_what_is_wrong(client, work):
    response = client.post(
        new_comment_url(work), {"guest_name": "Rey", "guest_email": "", "body": "Keep me!"}
    )

    page = page_text(response)
    assert response.status_code == 200
    assert "Please give your email address" in page
    assert "Keep me!</textarea>" in page and 'value="Rey"' in page
    assert not Comment.objects.exists()


def test_empty_and_over_long_comments_are_refused_with_the_text_kept(client, work, reader):
    client.force_login(reader)

    empty = page_text(client.post(new_comment_url(work), {"body": "   "}))
    too_long = client.post(new_comment_url(work), {"body": "x" * 10_001})

    assert "Please write something in your comment." in empty
    assert "at most 10,000 characters long; yours has 10,001" in page_text(too_long)
    assert too_long.context["form"]["body"].value() == "x" * 10_001
    assert not Comment.objects.exists()


def test_flooding_is_refused_with_the_text_kept(client, work, reader):
    client.force_login(reader)
    for number in range(3):
        client.post(new_comment_url(work), {"body": f"Comment {number}"})

    response = client.post(new_comment_url(work), {"body": "The fourth"})

    page = page_text(response)
    assert "wait a few minutes" in page and "The fourth</textarea>" in page
    assert Work.objects.get(pk=work.pk).comment_count == 3


def test_comment_on_a_chapter_goes_back_to_the_chapter(client, work, author, reader):
    chapter2 = add_chapter(user=author, work=work, chapter=ChapterText(body="Part two."))
    client.force_login(reader)

    page = page_text(client.get(chapter2.get_absolute_url()))
    assert f'name="chapter" value="{chapter2.pk}"' in page
    response = client.post(new_comment_url(work), {"chapter": chapter2.pk, "body": "Ouch"})

    comment = Comment.objects.get()
    assert comment.chapter == chapter2
    assert response["Location"] == f"{chapter2.get_absolute_url()}#comment-{comment.pk}"


def test_unknown_chapter_is_an_error_not_a_crash(client, work, reader):
    client.force_login(reader)

    response = client.post(new_comment_url(work), {"chapter": "abc", "body": "Hi"})

    assert response.status_code == 200
    assert "This work has no such chapter." in page_text(response)


def test_guest_comment_on_registered_only_work_is_refused_on_the_form(client, make_work):
    work = make_work(comment_policy=Work.CommentPolicy.REGISTERED)

    response = client.post(
        new_comment_url(work), {"guest_name": "A", "guest_email": "a@example.org", "body": "Hi"}
    )

    page = page_text(response)
    assert "Only registered users can comment" in page and "Hi</textarea>" in page
    assert "Log in to comment." in page


def test_comment_on_a_moderated_work_says_it_awaits_approval(client, make_work, reader):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    client.force_login(reader)

    response = client.post(new_comment_url(work), {"body": "Please update!"}, follow=True)

    assert "once the creator approves it" in messages_in(response)[0]
    assert "Awaiting approval" in page_text(response)


def test_comments_on_hidden_works_are_not_found(client, make_work, reader, guest):
    draft = make_work(state=Work.State.DRAFT)
    restricted = make_work(title="Restricted", restricted=True)

    assert client.post(new_comment_url(draft), {"body": "Hi", **guest}).status_code == 404
    assert client.post(new_comment_url(restricted), {"body": "Hi", **guest}).status_code == 404
    assert client.get(reverse("feedback:new_comment", args=[999_999])).status_code == 404


# Replying, editing, deleting, approving


def test_reply_page_shows_the_comment_and_posts_the_reply(client, work, reader, guest):
    parent = services.post_comment(work=work, user=reader, body="What happens next?")
    url = reverse("feedback:reply", args=[parent.pk])

    assert "What happens next?" in page_text(client.get(url))
    response = client.post(url, {**guest, "body": "Chapter 2, I hope"})

    reply = Comment.objects.get(parent=parent)
    assert response["Location"].endswith(f"#comment-{reply.pk}")


def test_reply_to_a_deleted_comment_is_refused_with_the_text_kept(client, work, reader, author):
    parent = services.post_comment(work=work, user=reader, body="Gone soon")
    services.post_comment(work=work, parent=parent, user=author, body="Reply")
    services.delete_comment(comment=parent, user=reader)
    client.force_login(author)

    response = client.post(reverse("feedback:reply", args=[parent.pk]), {"body": "Late reply"})

    assert "was deleted" in page_text(response)
    assert "Late reply</textarea>" in page_text(response)


def test_writer_edits_a_comment_and_it_is_marked_edited(client, work, reader):
    comment = services.post_comment(work=work, user=reader, body="Teh end")
    client.force_login(reader)
    url = reverse("feedback:edit", args=[comment.pk])

    assert "Teh end</textarea>" in page_text(client.get(url))
    response = client.post(url, {"body": "The end"}, follow=True)

    assert messages_in(response) == ["Your comment was saved."]
    assert "(edited)" in page_text(response) and "<p>The end</p>" in page_text(response)


def test_others_cannot_edit_delete_or_approve(client, make_work, author, reader, make_user):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    comment = services.post_comment(work=work, user=reader, body="Mine")
    client.force_login(make_user())

    assert client.get(reverse("feedback:edit", args=[comment.pk])).status_code == 404
    services.approve_comment(comment=comment, user=author)
    assert client.get(reverse("feedback:edit", args=[comment.pk])).status_code == 403
    assert (
        client.post(reverse("feedback:edit", args=[comment.pk]), {"body": "x"}).status_code == 403
    )
    assert client.post(reverse("feedback:delete", args=[comment.pk])).status_code == 403
    assert client.post(reverse("feedback:approve", args=[comment.pk])).status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Mine"


def test_guests_are_sent_to_log_in_to_edit(client, work, reader):
    comment = services.post_comment(work=work, user=reader, body="Mine")

    response = client.get(reverse("feedback:edit", args=[comment.pk]))

    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_creator_deletes_a_comment_after_confirming(client, work, author, reader):
    comment = services.post_comment(work=work, user=reader, body="Spoilers!")
    client.force_login(author)
    url = reverse("feedback:delete", args=[comment.pk])

    assert "Spoilers!" in page_text(client.get(url))
    response = client.post(url, follow=True)

    assert messages_in(response) == ["The comment was deleted."]
    assert not Comment.objects.exists()
    assert Work.objects.get(pk=work.pk).comment_count == 0


def test_deleted_comment_with_replies_shows_a_placeholder(client, work, author, reader):
    comment = services.post_comment(work=work, user=reader, body="Spoilers!")
    services.post_comment(work=work, parent=comment, user=author, body="Please don't")
    client.force_login(reader)

    client.post(reverse("feedback:delete", args=[comment.pk]))

    page = page_text(client.get(work.get_absolute_url()))
    assert "This comment was deleted." in page and "Spoilers!" not in page
    assert "Please don&#x27;t" in page or "Please don't" in page


def test_creator_approves_held_comments_from_their_list(client, make_work, author, reader):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    held = services.post_comment(work=work, user=reader, body="Waiting patiently")
    client.force_login(author)

    listing = page_text(client.get(reverse("feedback:held")))
    assert "Waiting patiently" in listing
    response = client.post(
        reverse("feedback:approve", args=[held.pk]),
        {"next": reverse("feedback:held")},
        follow=True,
    )

    assert "approved" in messages_in(response)[0]
    assert "No comments are waiting for you." in page_text(response)
    assert Work.objects.get(pk=work.pk).comment_count == 1


def test_held_comments_are_not_found_by_other_readers(client, make_work, reader, make_user):
    work = make_work(comment_policy=Work.CommentPolicy.MODERATED)
    held = services.post_comment(work=work, user=reader, body="Waiting")

    assert client.get(reverse("feedback:comment", args=[held.pk])).status_code == 404
    client.force_login(make_user())
    assert client.get(reverse("feedback:reply", args=[held.pk])).status_code == 404


def test_comment_link_finds_its_page(client, work, reader, no_rate_limits):
    comments = [
        services.post_comment(work=work, user=reader, body=f"Comment {n}") for n in range(21)
    ]

    response = client.get(reverse("feedback:comment", args=[comments[-1].pk]))

    assert response["Location"] == (
        f"{work.get_absolute_url()}?comments_page=2#comment-{comments[-1].pk}"
    )
    page = page_text(client.get(response["Location"]))
    assert "Comment 20" in page and "Comment 0<" not in page


def test_comment_links_on_restricted_works_are_hidden_from_guests(client, make_work, reader):
    work = make_work(restricted=True)
    comment = services.post_comment(work=work, user=reader, body="Members only")

    assert client.get(reverse("feedback:comment", args=[comment.pk])).status_code == 404


# CSRF


def test_every_feedback_form_needs_its_csrf_token(work, reader):
    comment = services.post_comment(work=work, user=reader, body="Hi")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reader)
    page = page_text(browser.get(work.get_absolute_url()))
    forms = re.findall(r'<form method="post"[^>]*>.*?</form>', page, re.S)
    feedback_forms = [f for f in forms if "/kudos/" in f or "/comments/" in f]

    assert feedback_forms and all("csrfmiddlewaretoken" in f for f in feedback_forms)
    for url, data in [
        (reverse("feedback:kudos", args=[work.pk]), {}),
        (new_comment_url(work), {"body": "Hi again"}),
        (reverse("feedback:edit", args=[comment.pk]), {"body": "Changed"}),
        (reverse("feedback:delete", args=[comment.pk]), {}),
    ]:
        assert browser.post(url, data).status_code == 403
    assert Comment.objects.count() == 1 and not Kudos.objects.exists()
