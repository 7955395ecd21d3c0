import pytest
from django.urls import reverse

from fanshelf.reading import services
from fanshelf.reading.models import Reading, ReadingPreference
from fanshelf.works.models import Work
from fanshelf.works.services import update_work

pytestmark = pytest.mark.django_db


def _read(client, work):
    assert client.get(work.get_absolute_url()).status_code == 200


def test_pages_need_a_login(client):
    for name in ("history", "later", "clear_history", "stats"):
        response = client.get(reverse(f"reading:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_history_lists_what_the_reader_read_last_first(client, make_work, reader):
    first, second = make_work(title="First read"), make_work(title="Second read")
    client.force_login(reader)
    _read(client, first)
    _read(client, second)
    _read(client, second)
    page = client.get(reverse("reading:history")).content.decode()
    assert page.index("Second read") < page.index("First read")
    assert "visited 2 times" in page
    assert 'class="blurb"' in page


def test_nobody_sees_another_readers_history(client, make_work, reader, make_user):
    work = make_work(title="Secret reading")
    client.force_login(reader)
    _read(client, work)
    client.force_login(make_user("nosy"))
    assert "Secret reading" not in client.get(reverse("reading:history")).content.decode()
    assert "Secret reading" not in client.get(reverse("reading:later")).content.decode()


def test_history_leaves_out_works_the_reader_can_no_longer_see(client, make_work, reader, author):
    kept = make_work(title="Still posted")
    redrafted = make_work(title="Taken back")
    hidden = make_work(title="Hidden by a moderator")
    client.force_login(reader)
    for work in (kept, redrafted, hidden):
        _read(client, work)
    Work.objects.filter(pk=redrafted.pk).update(state=Work.State.DRAFT)
    Work.objects.filter(pk=hidden.pk).update(state=Work.State.HIDDEN)
    page = client.get(reverse("reading:history")).content.decode()
    assert "Still posted" in page
    assert "Taken back" not in page
    assert "Hidden by a moderator" not in page


def test_history_of_an_anonymous_work_does_not_name_its_creator(client, make_work, reader):
    work = make_work(title="Whose?", anonymous=True)
    client.force_login(reader)
    _read(client, work)
    page = client.get(reverse("reading:history")).content.decode()
    assert "Whose?" in page
    assert "smolhux" not in page.split("<main", 1)[1]


def test_history_is_paged(client, make_work, reader):
    client.force_login(reader)
    for number in range(22):
        services.mark_for_later(user=reader, work=make_work(title=f"Work {number}"))
    Reading.objects.update(visits=1, last_read_at="2025-01-01T00:00:00Z")
    first = client.get(reverse("reading:history")).content.decode()
    second = client.get(reverse("reading:history") + "?page=2").content.decode()
    assert first.count('class="reading-entry"') == 20
    assert second.count('class="reading-entry"') == 2
    assert "Page 2 of 2" in second


def test_history_page_queries_do_not_grow_with_works(
    client, make_work, reader, django_assert_max_num_queries
):
    client.force_login(reader)
    for number in range(12):
        _read(client, make_work(title=f"Work {number}"))
    # Session, user, preference, count, readings, creators, tags (+ the header's).
    with django_assert_max_num_queries(9):
        page = client.get(reverse("reading:history")).content.decode()
    assert page.count('class="reading-entry"') == 12


def test_clearing_history_asks_first(client, make_work, reader):
    work = make_work()
    client.force_login(reader)
    _read(client, work)
    confirm = client.get(reverse("reading:clear_history"))
    assert "Clear your history?" in confirm.content.decode()
    assert Reading.objects.exists()
    response = client.post(reverse("reading:clear_history"), follow=True)
    assert not Reading.objects.exists()
    assert "Your history was cleared" in response.content.decode()


def test_turning_history_off_and_on(client, make_work, reader):
    work = make_work()
    client.force_login(reader)
    client.post(reverse("reading:history_setting"), {"enabled": "0"})
    assert ReadingPreference.objects.get(user=reader).history_enabled is False
    _read(client, work)
    assert not Reading.objects.exists()
    page = client.get(reverse("reading:history")).content.decode()
    assert "Turn history on" in page
    client.post(reverse("reading:history_setting"), {"enabled": "1"})
    _read(client, work)
    assert Reading.objects.get().visits == 1


def test_history_setting_takes_only_posts(client, reader):
    client.force_login(reader)
    assert client.get(reverse("reading:history_setting")).status_code == 405


def test_mark_for_later_from_the_work_page(client, make_work, reader):
    work = make_work(title="For the weekend")
    client.force_login(reader)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Mark for later" in page
    response = client.post(
        reverse("reading:set_later", args=[work.pk]),
        {"later": "1", "next": work.get_absolute_url()},
    )
    assert response["Location"] == work.get_absolute_url()
    assert "Remove from later" in client.get(work.get_absolute_url()).content.decode()
    blurb = f'id="work-{work.pk}"'
    assert blurb in client.get(reverse("reading:later")).content.decode()
    client.post(reverse("reading:set_later", args=[work.pk]), {"later": "0"})
    assert blurb not in client.get(reverse("reading:later")).content.decode()


def test_guests_get_no_later_button(client, make_work):
    work = make_work()
    assert "Mark for later" not in client.get(work.get_absolute_url()).content.decode()


def test_later_never_redirects_to_another_site(client, make_work, reader):
    work = make_work()
    client.force_login(reader)
    response = client.post(
        reverse("reading:set_later", args=[work.pk]),
        {"later": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == work.get_absolute_url()


def test_nobody_marks_a_draft_they_cannot_see(client, make_work, reader):
    draft = make_work(state=Work.State.DRAFT)
    client.force_login(reader)
    response = client.post(reverse("reading:set_later", args=[draft.pk]), {"later": "1"})
    assert response.status_code == 404
    assert not Reading.objects.exists()


def test_a_creator_cannot_mark_their_own_draft(client, make_work, author):
    draft = make_work(state=Work.State.DRAFT)
    client.force_login(author)
    response = client.post(
        reverse("reading:set_later", args=[draft.pk]), {"later": "1"}, follow=True
    )
    assert "cannot see it" in response.content.decode()
    assert not Reading.objects.exists()


def test_restricted_works_stay_on_a_readers_list(client, make_work, reader, author):
    work = make_work(title="Members only")
    client.force_login(reader)
    client.post(reverse("reading:set_later", args=[work.pk]), {"later": "1"})
    update_work(user=author, work=work, restricted=True)
    assert "Members only" in client.get(reverse("reading:later")).content.decode()
