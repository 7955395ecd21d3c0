"""Guests get work pages and listings from the page cache, and never an outdated one.

These run against whichever "pages" cache the settings give: files in the SQLite
run, Redis in the PostgreSQL run.
"""

import pytest
from django.core.cache import caches
from django.test import Client

from fanshelf.core import pagecache
from fanshelf.feedback import services as feedback
from fanshelf.moderation import services as moderation
from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag
from fanshelf.works import guest_pages
from fanshelf.works import services as works

pytestmark = pytest.mark.django_db


def cache_state(response) -> str | None:
    return response.headers.get("X-Fanshelf-Cache")


@pytest.fixture
def work(make_work):
    return make_work(title="Perfect")


@pytest.fixture
def guest():
    return Client(enforce_csrf_checks=True)


def test_a_guest_gets_the_second_visit_from_the_cache(guest, work):
    first = guest.get(work.get_absolute_url())
    second = guest.get(work.get_absolute_url())
    assert cache_state(first) == "miss"
    assert cache_state(second) == "hit"
    assert b"Kylo had always seen Hux as perfect." in second.content
    assert pagecache.CSRF_PLACEHOLDER.encode() not in second.content


def test_a_cache_hit_costs_one_query_for_a_guest_without_a_session(
    guest, work, django_assert_max_num_queries
):
    guest.get(work.get_absolute_url())
    with django_assert_max_num_queries(1):
        response = guest.get(work.get_absolute_url())
    assert cache_state(response) == "hit"


def test_each_guest_gets_their_own_working_csrf_token_on_a_cached_page(work):
    Client().get(work.get_absolute_url())  # someone else fills the cache
    fan = Client(enforce_csrf_checks=True)
    page = fan.get(work.get_absolute_url())
    assert cache_state(page) == "hit"
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = fan.post(f"/works/{work.pk}/kudos/", {"csrfmiddlewaretoken": token})
    assert answer.status_code in (200, 302)
    work.refresh_from_db()
    assert work.kudos_count == 1


def test_an_edit_is_seen_by_the_next_guest(guest, author, work):
    guest.get(work.get_absolute_url())
    works.update_work(user=author, work=work, title="Imperfect")
    response = guest.get(work.get_absolute_url())
    assert cache_state(response) == "miss"
    assert b"Imperfect" in response.content


def test_kudos_and_comments_show_on_the_next_guest_visit(guest, reader, work):
    guest.get(work.get_absolute_url())
    feedback.give_kudos(work=work, user=reader)
    assert b"reader</a> left kudos" in guest.get(work.get_absolute_url()).content
    feedback.post_comment(work=work, user=reader, body="I loved the ending")
    assert b"I loved the ending" in guest.get(work.get_absolute_url()).content


def test_a_reordered_chapter_list_is_seen_at_once(guest, author, make_work):
    work = make_work(chapters=("<p>First words.</p>", "<p>Second words.</p>"))
    url = f"{work.get_absolute_url()}?view_full_work=1"
    guest.get(url)
    ids = list(work.chapters.order_by("-position").values_list("pk", flat=True))
    works.reorder_chapters(user=author, work=work, chapter_ids=ids)
    content = guest.get(url).content.decode()
    assert content.index("Second words.") < content.index("First words.")


def test_a_work_restricted_or_hidden_after_caching_is_not_served(guest, author, make_user, work):
    guest.get(work.get_absolute_url())
    # Written behind the services' backs (no signal): the visibility check still holds.
    type(work).objects.filter(pk=work.pk).update(restricted=True)
    assert guest.get(work.get_absolute_url()).status_code == 404
    type(work).objects.filter(pk=work.pk).update(restricted=False)
    moderation.hide_work(moderator=make_user(role="moderator"), work=work, message="Spam")
    assert guest.get(work.get_absolute_url()).status_code == 404


def test_an_adult_work_still_asks_first_then_serves_from_the_cache(guest, make_work):
    work = make_work(
        tags={
            "rating": "Explicit",
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars Sequel Trilogy"],
        }
    )
    url = work.get_absolute_url()
    Client().get(f"{url}?view_adult=true")  # another guest fills the cache
    notice = guest.get(url)
    assert b"view_adult=true" in notice.content  # the notice, not the cached work
    assert cache_state(notice) is None
    guest.get(f"{url}?view_adult=true")
    answered = guest.get(url)  # the session remembers the answer
    assert b"Kylo had always seen Hux as perfect." in answered.content


def test_signed_in_readers_never_get_or_fill_the_cache(client, reader, work):
    Client().get(work.get_absolute_url())
    client.force_login(reader)
    response = client.get(work.get_absolute_url())
    assert cache_state(response) is None
    assert b"Log out" in response.content or b"logout" in response.content


def test_a_guest_with_a_message_waiting_gets_a_fresh_page(work):
    fan = Client()
    fan.get(work.get_absolute_url())
    fan.post(f"/works/{work.pk}/kudos/")  # leaves a "Thank you" message and a session
    page = fan.get(work.get_absolute_url())
    assert cache_state(page) != "hit"
    assert b"left kudos" in page.content.lower()


def test_a_guest_who_left_kudos_is_not_given_the_page_with_the_button(work):
    Client().get(work.get_absolute_url())  # the page with the kudos button, cached
    fan = Client()
    fan.post(f"/works/{work.pk}/kudos/")
    fan.get(work.get_absolute_url())  # shows the message once
    again = fan.get(work.get_absolute_url())
    stranger = Client().get(work.get_absolute_url())
    assert again.content != stranger.content


def test_an_outdated_page_is_served_while_another_request_rebuilds_it(guest, work):
    url = work.get_absolute_url()
    request = guest.get(url).wsgi_request
    page = guest_pages.find_work_page(request, work.pk)
    # A change, and a concurrent request already rebuilding the page.
    pagecache.bump(pagecache.work_scope(work.pk))
    caches[pagecache.CACHE_ALIAS].add(f"{page.key}:rebuilding", 1, 60)
    assert cache_state(guest.get(url)) == "stale"
    caches[pagecache.CACHE_ALIAS].delete(f"{page.key}:rebuilding")
    assert cache_state(guest.get(url)) == "miss"
    assert cache_state(guest.get(url)) == "hit"


def test_a_new_work_appears_in_the_cached_listings(guest, make_work, work):
    assert b"Perfect" in guest.get("/works/").content
    assert cache_state(guest.get("/works/")) == "hit"
    make_work(title="Brand New Fic")
    listing = guest.get("/works/")
    assert cache_state(listing) == "miss"
    assert b"Brand New Fic" in listing.content
    assert b"Brand New Fic" in guest.get("/").content


def test_filtered_listings_are_cached_per_filter_set(guest, work):
    fandom = guest.get("/works/?tag=Star+Wars+Sequel+Trilogy")
    other = guest.get("/works/?tag=Good+Omens")
    assert cache_state(fandom) == cache_state(other) == "miss"
    assert b"Perfect" in fandom.content and b"Perfect" not in other.content
    assert cache_state(guest.get("/works/?tag=Star+Wars+Sequel+Trilogy")) == "hit"


def test_a_renamed_tag_is_shown_on_every_cached_page(guest, make_user, work):
    guest.get(work.get_absolute_url())
    guest.get("/works/")
    tag = Tag.objects.get(name="One Shot")
    wrangling.rename(user=make_user(role="wrangler"), tag=tag, name="Oneshot")
    assert b"Oneshot" in guest.get(work.get_absolute_url()).content
    assert b"Oneshot" in guest.get("/works/").content


def test_cached_hits_are_still_counted(work):
    from fanshelf.reading import hits

    hits.buffer.take()
    Client(REMOTE_ADDR="10.0.0.1").get(work.get_absolute_url())
    assert hits.buffer.pending() == 1
    response = Client(REMOTE_ADDR="10.0.0.2").get(work.get_absolute_url())
    assert cache_state(response) == "hit"
    assert hits.buffer.pending() == 2


# Blurb fragments: signed-in readers' listings reuse rendered blurbs.


def test_a_signed_in_listing_reuses_rendered_blurbs_until_the_work_changes(
    client, reader, author, work
):
    client.force_login(reader)
    assert b"Perfect" in client.get("/works/").content
    # Behind the services' backs: no version moves, so the kept blurb is shown.
    type(work).objects.filter(pk=work.pk).update(title="Sneaky")
    assert b"Sneaky" not in client.get("/works/").content
    works.update_work(user=author, work=work, title="Imperfect")
    assert b"Imperfect" in client.get("/works/").content


def test_kept_blurbs_show_fresh_counts(client, reader, make_user, work):
    client.force_login(reader)
    client.get("/works/")
    feedback.give_kudos(work=work, user=make_user())
    page = client.get("/works/").content.decode()
    assert "<dt>Kudos</dt><dd>1</dd>" in page


def test_kept_blurbs_respect_each_readers_hidden_tags(client, make_user, work):
    from fanshelf.reading.preferences import update_preferences

    hider = make_user()
    update_preferences(user=hider, hide_freeform=True)
    client.force_login(make_user())
    assert "Show additional tags" not in client.get("/works/").content.decode()
    client.force_login(hider)
    page = client.get("/works/").content.decode()
    assert "Show additional tags" in page


def test_a_page_past_its_time_is_rebuilt_by_one_request_while_others_get_the_old_copy(
    guest, work, settings
):
    url = work.get_absolute_url()
    request = guest.get(url).wsgi_request
    page = guest_pages.find_work_page(request, work.pk)
    entry = caches[pagecache.CACHE_ALIAS].get(page.key)
    entry["fresh_until"] = 0  # its time is up
    caches[pagecache.CACHE_ALIAS].set(page.key, entry, 60)
    caches[pagecache.CACHE_ALIAS].add(f"{page.key}:rebuilding", 1, 60)
    assert cache_state(guest.get(url)) == "stale"
    caches[pagecache.CACHE_ALIAS].delete(f"{page.key}:rebuilding")
    assert cache_state(guest.get(url)) == "miss"
    assert cache_state(guest.get(url)) == "hit"
