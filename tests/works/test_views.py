import pytest
from django.urls import reverse

from fanshelf.works.models import Work
from fanshelf.works.services import ChapterText, add_chapter, post_work

pytestmark = pytest.mark.django_db

FORM = {
    "rating": "Teen And Up Audiences",
    "warning": ["No Archive Warnings Apply"],
    "category": ["M/M"],
    "fandom": "Star Wars Sequel Trilogy",
    "relationship": "Armitage Hux/Kylo Ren",
    "character": "Kylo Ren, Armitage Hux",
    "freeform": "One Shot, Kylux",
    "title": "The Gala",
    "pseud": "smolhux",
    "summary": "A gala, a father, a balcony.",
    "notes": "Cross-posted from tumblr.",
    "series": "",
    "expected_chapters": "1",
    "language": "en",
    "comment_policy": "open",
    "chapter_title": "",
    "text_format": "plain",
    "body": "Kylo had always seen Hux as perfect.\n\nHe never told him.",
    "end_notes": "Tell me what you think!!!",
}


def test_author_posts_a_work_through_the_form(client, author):
    client.force_login(author)
    response = client.post(reverse("works:new"), {**FORM, "action": "post"})
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    page = client.get(work.get_absolute_url()).content.decode()
    assert "<p>Kylo had always seen Hux as perfect.</p>" in page
    assert "Armitage Hux/Kylo Ren" in page
    assert "Tell me what you think!!!" in page
    assert "1/1" in page


def test_preview_saves_nothing_and_keeps_the_form(client, author):
    client.force_login(author)
    response = client.post(reverse("works:new"), {**FORM, "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview" in page
    assert "<p>He never told him.</p>" in page
    assert 'value="The Gala"' in page
    assert not Work.objects.exists()


def test_save_as_draft_is_only_visible_to_its_author(client, author, reader):
    client.force_login(author)
    client.post(reverse("works:new"), {**FORM, "action": "draft"})
    work = Work.objects.get()
    assert work.state == Work.State.DRAFT
    assert client.get(work.get_absolute_url()).status_code == 200
    client.force_login(reader)
    assert client.get(work.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(work.get_absolute_url()).status_code == 404
    assert "The Gala" not in client.get("/").content.decode()


def test_bad_input_shows_messages_and_keeps_what_was_typed(client, author):
    client.force_login(author)
    data = {**FORM, "fandom": "", "rating": "Spicy", "title": "T" * 300, "action": "post"}
    response = client.post(reverse("works:new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please add at least one fandom." in page
    assert "Select a valid choice" in page
    assert "at most 255 characters" in page
    assert "Kylo had always seen Hux as perfect." in page
    assert not Work.objects.exists()


def test_empty_body_is_reported_on_the_form(client, author):
    client.force_login(author)
    response = client.post(reverse("works:new"), {**FORM, "body": "   ", "action": "post"})
    assert "The chapter text is empty." in response.content.decode()


def test_posting_requires_login(client):
    response = client.get(reverse("works:new"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_guest_reads_chapters_and_entire_work(client, make_work, author):
    work = make_work(chapters=["<p>First chapter.</p>", "<p>Second chapter.</p>"],
                     expected_chapters=None, end_notes="Come chat on tumblr.")  # fmt: skip
    first, second = work.chapters.order_by("position")
    page = client.get(work.get_absolute_url()).content.decode()
    assert "First chapter." in page and "Second chapter." not in page
    assert second.get_absolute_url() in page
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Second chapter." in page and first.get_absolute_url() in page
    assert "Come chat on tumblr." in page
    page = client.get(work.get_absolute_url() + "?view_full_work=1").content.decode()
    assert "First chapter." in page and "Second chapter." in page
    assert "2/?" in page


def test_restricted_work_is_hidden_from_guests(client, make_work, reader):
    work = make_work(restricted=True)
    assert client.get(work.get_absolute_url()).status_code == 404
    assert "Perfect" not in client.get("/").content.decode()
    client.force_login(reader)
    assert client.get(work.get_absolute_url()).status_code == 200


def test_anonymous_work_hides_its_creator(client, make_work, author):
    work = make_work(anonymous=True)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Anonymous" in page
    assert "smolhux" not in page
    works_page = client.get(reverse("users:works", args=["smolhux"])).content.decode()
    assert "Perfect" not in works_page


def test_other_users_cannot_edit(client, make_work, reader):
    work = make_work()
    client.force_login(reader)
    assert client.get(reverse("works:edit", args=[work.pk])).status_code == 403
    response = client.post(reverse("works:delete", args=[work.pk]))
    assert response.status_code == 403
    assert Work.objects.filter(pk=work.pk).exists()


def test_author_edits_work_and_chapter(client, make_work, author):
    work = make_work()
    client.force_login(author)
    edit = client.get(reverse("works:edit", args=[work.pk])).content.decode()
    assert 'value="Perfect"' in edit
    data = {**FORM, "title": "Perfect, Revised", "text_format": "html", "action": "post"}
    response = client.post(reverse("works:edit", args=[work.pk]), data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Perfect, Revised"
    chapter = work.chapters.get()
    response = client.post(
        reverse("works:edit_chapter", args=[work.pk, chapter.pk]),
        {"body": "<p>New words here.</p>", "text_format": "html", "action": "post"},
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.body == "<p>New words here.</p>"
    assert chapter.word_count == 3


def test_author_adds_reorders_and_deletes_chapters(client, make_work, author):
    work = make_work(expected_chapters=None)
    client.force_login(author)
    client.post(
        reverse("works:add_chapter", args=[work.pk]),
        {"chapter_title": "The Balcony", "body": "Two.", "text_format": "plain", "action": "post"},
    )
    work.refresh_from_db()
    assert work.chapters_display == "2/?"
    first, second = work.chapters.order_by("position")
    response = client.post(
        reverse("works:reorder", args=[work.pk]),
        {f"position_{first.pk}": "2", f"position_{second.pk}": "1"},
    )
    assert response.status_code == 302
    assert work.chapters.order_by("position").first().title == "The Balcony"
    client.post(reverse("works:delete_chapter", args=[work.pk, first.pk]))
    work.refresh_from_db()
    assert work.chapters_display == "1/?"


def test_delete_work_asks_first(client, make_work, author):
    work = make_work()
    client.force_login(author)
    page = client.get(reverse("works:delete", args=[work.pk])).content.decode()
    assert "Yes, delete" in page
    assert Work.objects.filter(pk=work.pk).exists()
    client.post(reverse("works:delete", args=[work.pk]))
    assert not Work.objects.filter(pk=work.pk).exists()


def test_missing_work_is_a_friendly_404(client):
    response = client.get("/works/999999/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_forms_require_csrf(make_user, author):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(reverse("works:new"), {**FORM, "action": "post"})
    assert response.status_code == 403
    assert not Work.objects.exists()


def test_home_lists_recent_works_without_n_plus_one(client, make_work, author,
                                                   django_assert_max_num_queries):  # fmt: skip
    for number in range(8):
        make_work(title=f"Work {number}")
    with django_assert_max_num_queries(6):
        page = client.get("/").content.decode()
    assert page.count('class="blurb"') == 8


def test_user_works_page_without_n_plus_one(client, make_work, author,
                                            django_assert_max_num_queries):  # fmt: skip
    for number in range(8):
        make_work(title=f"Work {number}")
    # Owner, count, works, creators, tags, and four for the facets.
    with django_assert_max_num_queries(9):
        page = client.get(reverse("users:works", args=["smolhux"])).content.decode()
    assert page.count('class="blurb"') == 8


def test_chapter_page_query_count_does_not_grow_with_chapters(
    client, author, django_assert_max_num_queries
):
    work = post_work(
        user=author,
        title="Long",
        tags={"rating": "Mature", "warning": ["No Archive Warnings Apply"], "fandom": ["SW"]},
        chapters=[ChapterText(body=f"Chapter {n}.") for n in range(1, 13)],
        expected_chapters=None,
    )
    add_chapter(user=author, work=work, chapter=ChapterText(body="Thirteen."))
    # A Mature work: the guest answers the adult content notice once, as a fan would.
    notice = client.get(work.get_absolute_url()).content.decode()
    assert "could have adult content" in notice
    client.get(work.get_absolute_url() + "?view_adult=true")
    # Three more than a guest without a session: loading the session that remembers the
    # answer, and asking whether this guest already left kudos twice: once for the page
    # cache (which keeps a page for guests who did and one for those who did not) and
    # once for the kudos button, as the page is not cached yet.
    with django_assert_max_num_queries(9):
        response = client.get(work.get_absolute_url() + "?view_full_work=1")
    assert response.content.decode().count('class="chapter"') == 13


def test_posting_form_shows_each_field_once(client, author):
    client.force_login(author)
    page = client.get(reverse("works:new")).content.decode()
    for name in ("title", "notes", "chapter_title", "end_notes", "body", "fandom"):
        assert page.count(f'name="{name}"') == 1, name


def test_the_work_and_series_pages_print_no_template_comments(client, make_work):
    work = make_work(series="Kylux Week")
    for url in (work.get_absolute_url(), work.series.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "{#" not in page and "{% comment" not in page and "template tag" not in page
