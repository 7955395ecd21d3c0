"""A suspended user may read but not post, edit, comment, give kudos, bookmark, import or report."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fanshelf.bookmarks.services import bookmark
from fanshelf.feedback.services import edit_comment, give_kudos, post_comment
from fanshelf.imports.readers.base import ImportedChapter, ImportedWork
from fanshelf.imports.services import import_work
from fanshelf.moderation import services
from fanshelf.moderation.standing import require_good_standing
from fanshelf.works.services import ChapterText, add_chapter, post_work, update_chapter, update_work

pytestmark = pytest.mark.django_db

SUSPENDED = "Your account is suspended until"


@pytest.fixture
def suspended(author, moderator):
    services.suspend(moderator=moderator, user=author, days=7, message="Please read the rules")
    return author


def _refused(call):
    with pytest.raises(PermissionDenied) as error:
        call()
    assert SUSPENDED in str(error.value)
    assert "Please read the rules" in str(error.value)


def test_require_good_standing_passes_guests_and_good_users(reader):
    from django.contrib.auth.models import AnonymousUser

    require_good_standing(AnonymousUser())
    require_good_standing(None)
    require_good_standing(reader)


def test_suspension_blocks_every_write_service(make_work, make_user, moderator):
    author_work = make_work()
    other_work = make_work(make_user("other"), title="Other")
    suspended = author_work.creatorships.get().pseud.user
    own_comment = post_comment(work=other_work, user=suspended, body="Nice!")
    services.suspend(moderator=moderator, user=suspended, days=7, message="Please read the rules")
    chapter = author_work.chapters.get()
    text = ChapterText(body="<p>More.</p>")
    _refused(lambda: post_work(user=suspended, title="New", chapters=[text]))
    _refused(lambda: update_work(user=suspended, work=author_work, title="Renamed"))
    _refused(lambda: add_chapter(user=suspended, work=author_work, chapter=text))
    _refused(lambda: update_chapter(user=suspended, chapter=chapter, changes=text))
    _refused(lambda: post_comment(work=other_work, user=suspended, body="Hi"))
    _refused(lambda: edit_comment(comment=own_comment, user=suspended, body="Changed"))
    _refused(lambda: give_kudos(work=other_work, user=suspended))
    _refused(lambda: bookmark(user=suspended, work=other_work))
    imported = ImportedWork(title="Imported", chapters=[ImportedChapter(body_html="<p>x</p>")])
    _refused(lambda: import_work(imported, user=suspended))
    _refused(
        lambda: services.report(kind="work", target=other_work, reason="spam", reporter=suspended)
    )


def test_lifted_or_expired_suspension_no_longer_blocks(author, moderator, make_work):
    sanction = services.suspend(moderator=moderator, user=author, days=1, message="x")
    services.lift(moderator=moderator, sanction=sanction)
    require_good_standing(author)
    sanction = services.suspend(moderator=moderator, user=author, days=1, message="x")
    from django.utils import timezone

    type(sanction).objects.filter(pk=sanction.pk).update(until=timezone.now())
    require_good_standing(author)


def test_suspended_user_reads_but_sees_the_message_when_commenting(
    client, suspended, make_work, make_user
):
    work = make_work(make_user("other"), title="Other")
    client.force_login(suspended)
    page = client.get(work.get_absolute_url())
    assert page.status_code == 200
    assert "Please read the rules" in page.content.decode()  # the banner
    response = client.post(reverse("feedback:new_comment", args=[work.pk]), {"body": "Hi!"})
    text = response.content.decode()
    assert SUSPENDED in text and "Please read the rules" in text
    assert not work.comments.exists()


WORK_FORM = {
    "rating": "Teen And Up Audiences",
    "warning": ["No Archive Warnings Apply"],
    "category": ["M/M"],
    "fandom": "Star Wars Sequel Trilogy",
    "title": "The Gala",
    "pseud": "smolhux",
    "expected_chapters": "1",
    "language": "en",
    "comment_policy": "open",
    "text_format": "plain",
    "body": "Kylo had always seen Hux as perfect.",
    "action": "post",
}


def test_suspended_user_sees_the_message_when_posting_a_work(client, suspended):
    from fanshelf.works.models import Work

    client.force_login(suspended)
    response = client.post(reverse("works:new"), WORK_FORM)
    text = response.content.decode()
    assert SUSPENDED in text and "Please read the rules" in text
    # The form comes back with what was typed, so nothing is lost.
    assert 'value="The Gala"' in text and "Kylo had always seen Hux as perfect." in text
    assert not Work.objects.exists()
