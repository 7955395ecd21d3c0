import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanshelf.works import services
from fanshelf.works.models import Chapter, Work
from fanshelf.works.services import ChapterText

pytestmark = pytest.mark.django_db


def test_posting_a_work_sanitises_counts_words_and_tags(make_work):
    work = make_work(chapters=["<p>Don't look at the arm-rest.</p><script>alert(1)</script>"])
    chapter = work.chapters.get()
    assert "<script" not in chapter.body
    assert chapter.word_count == 5
    assert work.word_count == 5
    assert work.chapters_display == "1/1"
    assert work.is_complete
    assert work.state == Work.State.POSTED
    assert work.published_at is not None
    assert services.tags_by_type(work)["relationship"] == ["Armitage Hux/Kylo Ren"]


def test_plain_text_and_markdown_become_paragraphs(author):
    plain = services.post_work(
        user=author,
        title="Plain",
        tags={"rating": "General Audiences", "warning": ["No Archive Warnings Apply"],
              "fandom": ["Star Wars"]},
        chapters=[ChapterText(body="One.\n\nTwo\nlines.", text_format="plain")],
    )  # fmt: skip
    assert plain.chapters.get().body == "<p>One.</p>\n<p>Two<br>\nlines.</p>"
    md = services.post_work(
        user=author,
        title="Markdown",
        tags={"rating": "General Audiences", "warning": ["No Archive Warnings Apply"],
              "fandom": ["Star Wars"]},
        chapters=[ChapterText(body="*soft* and **loud**", text_format="markdown")],
    )  # fmt: skip
    assert "<em>soft</em>" in md.chapters.get().body
    assert "<strong>loud</strong>" in md.chapters.get().body


def test_unknown_rating_and_missing_fandom_are_reported_by_field(author):
    with pytest.raises(ValidationError) as caught:
        services.post_work(
            user=author,
            title="Oops",
            tags={"rating": "Spicy", "warning": ["No Archive Warnings Apply"]},
            chapters=[ChapterText(body="Text")],
        )
    errors = caught.value.message_dict
    assert "Spicy" in errors["rating"][0]
    assert "fandom" in errors
    assert not Work.objects.exists()


def test_empty_body_and_long_title_are_rejected(author):
    with pytest.raises(ValidationError) as caught:
        services.post_work(
            user=author,
            title="x" * 300,
            tags={"rating": "Mature", "warning": ["No Archive Warnings Apply"], "fandom": ["SW"]},
            chapters=[ChapterText(body="<p> <script>x</script></p>")],
        )
    assert set(caught.value.message_dict) >= {"title", "body"}


def test_a_draft_needs_no_tags_and_is_posted_later(author):
    draft = services.post_work(
        user=author, title="Later", chapters=[ChapterText(body="Soon.")], state=Work.State.DRAFT
    )
    assert draft.state == Work.State.DRAFT
    assert draft.published_at is None
    with pytest.raises(ValidationError):
        services.publish_work(user=author, work=draft)
    services.update_work(
        user=author,
        work=draft,
        tags={"rating": "General Audiences", "warning": ["No Archive Warnings Apply"],
              "fandom": ["Star Wars"]},
    )  # fmt: skip
    services.publish_work(user=author, work=draft)
    draft.refresh_from_db()
    assert draft.state == Work.State.POSTED
    assert draft.chapters.get().state == Chapter.State.POSTED


def test_adding_chapters_updates_counts_and_expected_total(make_work, author):
    work = make_work(expected_chapters=None)
    assert work.chapters_display == "1/?"
    services.add_chapter(user=author, work=work, chapter=ChapterText(body="Two more words."))
    work.refresh_from_db()
    assert work.chapters_display == "2/?"
    assert work.word_count == 7 + 3
    services.update_work(user=author, work=work, expected_chapters=2)
    work.refresh_from_db()
    assert work.is_complete


def test_a_one_shot_that_gains_a_chapter_becomes_two_of_two(make_work, author):
    work = make_work()
    services.add_chapter(user=author, work=work, chapter=ChapterText(body="More."))
    work.refresh_from_db()
    assert work.chapters_display == "2/2"


def test_draft_chapter_is_not_counted_until_posted(make_work, author):
    work = make_work(expected_chapters=None)
    chapter = services.add_chapter(
        user=author, work=work, chapter=ChapterText(body="Secret."), state=Chapter.State.DRAFT
    )
    work.refresh_from_db()
    assert work.chapter_count == 1
    services.post_chapter(user=author, chapter=chapter)
    work.refresh_from_db()
    assert work.chapter_count == 2


def test_reorder_and_delete_chapters(make_work, author):
    work = make_work(chapters=["One", "Two", "Three"], expected_chapters=3)
    first, second, third = work.chapters.order_by("position")
    services.reorder_chapters(user=author, work=work, chapter_ids=[third.pk, first.pk, second.pk])
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        third.pk, first.pk, second.pk,
    ]  # fmt: skip
    services.delete_chapter(user=author, chapter=first)
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2]
    with pytest.raises(ValidationError):
        services.reorder_chapters(user=author, work=work, chapter_ids=[third.pk])


def test_the_last_chapter_cannot_be_deleted(make_work, author):
    work = make_work()
    with pytest.raises(ValidationError):
        services.delete_chapter(user=author, chapter=work.chapters.get())


def test_only_creators_can_change_a_work(make_work, reader):
    work = make_work()
    with pytest.raises(PermissionDenied):
        services.update_work(user=reader, work=work, title="Mine now")
    with pytest.raises(PermissionDenied):
        services.delete_work(user=reader, work=work)
    with pytest.raises(PermissionDenied):
        services.add_chapter(user=reader, work=work, chapter=ChapterText(body="x"))
    assert Work.objects.filter(pk=work.pk, title="Perfect").exists()


def test_posting_under_another_users_pseud_is_refused(make_work, reader, author):
    with pytest.raises(PermissionDenied):
        make_work(pseud=reader.default_pseud)


def test_tags_typed_differently_are_one_tag(make_work, author):
    first = make_work(tags={**_tags(), "freeform": ["Hurt/Comfort"]})
    second = make_work(tags={**_tags(), "freeform": ["  hurt/COMFORT "]})
    assert first.tags.get(type="freeform") == second.tags.get(type="freeform")
    assert second.tags.get(type="freeform").name == "Hurt/Comfort"


def test_series_is_created_once_per_owner(make_work):
    one = make_work(series="Finalizer Nights")
    two = make_work(series="Finalizer Nights")
    assert one.series == two.series
    assert (one.series_position, two.series_position) == (1, 2)


def _tags():
    return {"rating": "General Audiences", "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars"]}  # fmt: skip


def test_a_single_tag_may_be_given_as_a_string(make_work):
    work = make_work(tags={**_tags(), "freeform": "Fluff"})
    assert services.tags_by_type(work)["freeform"] == ["Fluff"]


def test_errors_in_one_of_several_chapters_name_the_chapter(author):
    with pytest.raises(ValidationError) as caught:
        services.post_work(
            user=author,
            title="Two",
            tags=_tags(),
            chapters=[ChapterText(body="Fine."), ChapterText(body="  ")],
        )
    assert list(caught.value.message_dict) == ["chapters.2.body"]


def test_a_hidden_work_cannot_be_posted_by_its_author(make_work, author):
    work = make_work()
    Work.objects.filter(pk=work.pk).update(state=Work.State.HIDDEN)
    work.refresh_from_db()
    with pytest.raises(ValidationError):
        services.publish_work(user=author, work=work)
