import dataclasses

import pytest

from fanshelf.downloads.book import book_for, book_of
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "direction"),
    [("ar", "rtl"), ("he", "rtl"), ("yi", "rtl"), ("fa", "rtl"), ("az", "ltr"), ("en", "ltr")],
)
def test_every_format_reads_the_same_direction_from_the_language(make_work, language, direction):
    work = make_work(language=language)
    assert book_of(work, list(work.chapters.all())).direction == direction


def test_the_revision_ignores_kudos_but_not_the_text(make_work):
    work = make_work()
    book = book_of(work, list(work.chapters.all()))
    Work.objects.filter(pk=work.pk).update(kudos_count=12)
    work.refresh_from_db()
    again = book_of(work, list(work.chapters.all()))
    assert again.stats.kudos == 12 and again.revision == book.revision
    assert dataclasses.replace(book, title="Another title").revision != book.revision


def test_anonymous_books_have_no_creators_and_drafts_have_no_book(make_work, author):
    anonymous = book_for(work_id=make_work(anonymous=True).pk, viewer=author)
    assert anonymous.creators == [] and anonymous.byline == "Anonymous"
    draft = make_work(state=Work.State.DRAFT)
    with pytest.raises(Work.DoesNotExist):
        book_for(work_id=draft.pk, viewer=author)
