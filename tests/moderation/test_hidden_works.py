"""A hidden work: readable by its creators and moderators by address, listed nowhere else."""

import pytest
from django.urls import reverse

from fanshelf.moderation import services
from fanshelf.works.models import Work
from fanshelf.works.selectors import recent_works, visible_works, work_for_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(make_work, moderator):
    work = make_work(title="Spammy Gala")
    services.hide_work(moderator=moderator, work=work, message="Links to a casino")
    return work


def test_selectors_show_hidden_work_to_creator_and_moderator_only(
    hidden, author, reader, moderator
):
    from django.contrib.auth.models import AnonymousUser

    assert work_for_reader(work_id=hidden.pk, viewer=author) == hidden
    assert work_for_reader(work_id=hidden.pk, viewer=moderator) == hidden
    for viewer in (reader, AnonymousUser()):
        with pytest.raises(Work.DoesNotExist):
            work_for_reader(work_id=hidden.pk, viewer=viewer)
    # No listing shows it to a moderator either: only the creators' own.
    assert not visible_works(moderator).filter(pk=hidden.pk).exists()
    assert hidden not in list(recent_works(viewer=moderator))


def test_creator_sees_the_moderators_message(client, hidden, author):
    client.force_login(author)
    page = client.get(hidden.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Links to a casino" in page


def test_moderator_opens_it_others_get_404(client, hidden, reader, moderator):
    client.force_login(moderator)
    assert client.get(hidden.get_absolute_url()).status_code == 200
    client.force_login(reader)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_hidden_work_is_in_no_listing_search_or_api_for_others(
    client, hidden, reader, moderator, make_work
):
    shown = make_work(title="Visible Gala")
    for who in (None, reader, moderator):
        if who:
            client.force_login(who)
        else:
            client.logout()
        assert "Spammy Gala" not in client.get(reverse("discovery:works")).content.decode()
        search = client.get(reverse("discovery:works"), {"q": "perfect"}).content.decode()
        assert "Spammy Gala" not in search and "Visible Gala" in search
        assert "Spammy Gala" not in client.get("/").content.decode()
        assert client.get(f"/api/v1/works/{hidden.pk}").status_code == 404
        listing = client.get("/api/v1/works").json()
        assert [item["id"] for item in listing["results"]] == [shown.pk]


def test_search_rows_leave_and_come_back(hidden, moderator):
    from fanshelf.discovery.models import SearchChapter

    assert not SearchChapter.objects.filter(work=hidden).exists()
    services.unhide_work(moderator=moderator, work=hidden)
    assert SearchChapter.objects.filter(work=hidden).exists()
