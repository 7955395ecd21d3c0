import pytest
from django.urls import reverse

from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag, WranglingChange
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db

SHIP = "Armitage Hux/Kylo Ren"


@pytest.fixture
def wrangler(make_user):
    return make_user("wrangly", role="wrangler")


@pytest.fixture
def as_wrangler(client, wrangler):
    client.force_login(wrangler)
    return client


def canonical(name, type):
    return Tag.objects.create(name=name, type=type, canonical=True)


def tagged(relationship=(), freeform=(), fandom="Star Wars Sequel Trilogy"):
    return {
        "rating": "Teen And Up Audiences",
        "warning": ["No Archive Warnings Apply"],
        "fandom": [fandom],
        "relationship": list(relationship),
        "freeform": list(freeform),
    }


def tag_url(view, name):
    return reverse(f"tags:{view}", args=[name])


def text(response):
    return response.content.decode()


@pytest.fixture
def kylux_work(make_work):
    """An author's work tagged "Kylux", and the canonical relationship it means."""
    ship = canonical(SHIP, "relationship")
    work = make_work(title="Perfect", tags=tagged(relationship=["Kylux"]))
    return work, Tag.objects.get(name="Kylux"), ship


# Tag pages


def test_tag_page_shows_type_synonyms_parents_and_children_as_links(client, wrangler):
    star_wars = canonical("Star Wars", "fandom")
    sequels = canonical("Star Wars Sequel Trilogy", "fandom")
    ship = canonical(SHIP, "relationship")
    kylux = Tag.objects.create(name="Kylux", type="relationship")
    wrangling.add_parent(user=wrangler, tag=sequels, parent=star_wars)
    wrangling.add_parent(user=wrangler, tag=ship, parent=sequels)
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)

    page = text(client.get(tag_url("detail", "Star Wars Sequel Trilogy")))
    assert "<h1>Star Wars Sequel Trilogy</h1>" in page
    assert "Fandom tag" in page
    assert "Canonical" in page
    assert f'href="{star_wars.get_absolute_url()}"' in page
    assert f'href="{ship.get_absolute_url()}"' in page
    assert f'href="{tag_url("works", "Star Wars Sequel Trilogy")}"' in page

    page = text(client.get(ship.get_absolute_url()))
    assert "Synonyms" in page
    assert f'href="{kylux.get_absolute_url()}"' in page
    assert f'href="{sequels.get_absolute_url()}"' in page


def test_a_synonym_page_points_at_its_canonical_and_its_works(client, wrangler):
    ship = canonical(SHIP, "relationship")
    kylux = Tag.objects.create(name="Kylux", type="relationship")
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    page = text(client.get(kylux.get_absolute_url()))
    assert "A synonym of" in page
    assert f'<a href="{ship.get_absolute_url()}">{SHIP}</a>' in page
    assert f'href="{tag_url("works", SHIP)}"' in page
    assert "application/atom+xml" not in page


def test_an_unwrangled_tag_says_so_and_has_no_feed(client, make_work):
    make_work(tags=tagged(freeform=["Hux has a cat"]))
    page = text(client.get(tag_url("detail", "Hux has a cat")))
    assert "This tag has not been wrangled yet" in page
    assert "feed.atom" not in page


def test_a_canonical_tag_page_links_its_atom_feed(client):
    ship = canonical(SHIP, "relationship")
    page = text(client.get(ship.get_absolute_url()))
    feed = tag_url("feed", SHIP)
    assert f'<link rel="alternate" type="application/atom+xml" title="Works in {SHIP}"' in page
    assert f'href="{feed}"' in page
    assert "*s*" in feed


def test_case_and_space_variants_of_a_name_reach_the_tag(client):
    canonical(SHIP, "relationship")
    response = client.get(tag_url("detail", "  armitage HUX/kylo ren"))
    assert response.status_code == 200
    assert f"<h1>{SHIP}</h1>" in text(response)


def test_an_unknown_tag_is_a_friendly_404(client):
    response = client.get(tag_url("detail", "No Such Tag"))
    assert response.status_code == 404
    assert "There is no tag called “No Such Tag”." in text(response)
    assert client.get(tag_url("works", "No Such Tag")).status_code == 404


def test_tags_in_blurbs_and_on_the_work_page_link_to_their_tag_pages(client, make_work):
    work = make_work()
    ship_url = Tag.objects.get(name=SHIP).get_absolute_url()
    assert f'<a href="{ship_url}">{SHIP}</a>' in text(client.get(reverse("home")))
    assert f'<a href="{ship_url}">{SHIP}</a>' in text(client.get(work.get_absolute_url()))


def test_the_tag_index_finds_tags_by_name(client):
    canonical("Star Wars", "fandom")
    Tag.objects.create(name="Kylux", type="relationship")
    assert "Star Wars" in text(client.get(reverse("tags:index")))
    page = text(client.get(reverse("tags:index"), {"q": "kyl"}))
    assert 'href="/tags/Kylux/"' in page
    assert "Star Wars" not in page.split("<main", 1)[1]


# Works under a tag


def test_works_page_lists_synonym_works_under_the_canonical(client, wrangler, kylux_work):
    work, kylux, ship = kylux_work
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    page = text(client.get(tag_url("works", SHIP)))
    assert f"1 work in “{SHIP}”" in page
    assert f'id="work-{work.pk}"' in page
    # The synonym's works page shows the canonical's works and says so.
    page = text(client.get(tag_url("works", "Kylux")))
    assert f'id="work-{work.pk}"' in page
    assert "is a synonym of" in page


def test_works_page_of_an_unwrangled_tag_lists_works_tagged_as_typed(client, kylux_work):
    work, _, _ = kylux_work
    page = text(client.get(tag_url("works", "kylux")))
    assert f'id="work-{work.pk}"' in page
    assert "has not been wrangled yet" in page
    # Not merged yet, so the canonical tag does not find it.
    assert f'id="work-{work.pk}"' not in text(client.get(tag_url("works", SHIP)))


def test_works_page_is_paginated_twenty_newest_first_without_n_plus_1(
    client, make_work, reader, django_assert_max_num_queries
):
    fandom = canonical("Star Wars Sequel Trilogy", "fandom")
    works = [make_work(title=f"Work {n:02}") for n in range(25)]
    for n, work in enumerate(works):
        Work.objects.filter(pk=work.pk).update(revised_at=work.revised_at.replace(year=2000 + n))
    client.force_login(reader)
    url = tag_url("works", fandom.name)
    # Session, user, whom the reader mutes, tag, count, works, their creators, their
    # tags; the facets: sampled works, filter-tag counts, unwrangled-tag counts, the
    # tags counted.
    with django_assert_max_num_queries(12):
        first = text(client.get(url))
    assert "25 works in" in first
    assert first.index("Work 24") < first.index("Work 23")
    assert "Work 04" not in first
    assert 'href="?page=2"' in first
    second = text(client.get(url, {"page": 2}))
    assert [f"Work {n:02}" in second for n in (4, 0, 5)] == [True, True, False]


def test_guests_never_see_restricted_or_draft_works_in_a_tag_listing(client, make_work, reader):
    fandom = canonical("Star Wars Sequel Trilogy", "fandom")
    make_work(title="For everyone")
    make_work(title="Members only", restricted=True)
    make_work(title="Still a draft", state=Work.State.DRAFT)
    page = text(client.get(tag_url("works", fandom.name)))
    assert "For everyone" in page
    assert "Members only" not in page
    assert "Still a draft" not in page
    client.force_login(reader)
    assert "Members only" in text(client.get(tag_url("works", fandom.name)))


# Who may wrangle


WRANGLING_PAGES = [
    ("get", lambda: reverse("wrangling:index")),
    ("get", lambda: reverse("wrangling:log")),
    ("get", lambda: tag_url("edit", "Kylux")),
    ("post", lambda: tag_url("edit", "Kylux")),
    ("post", lambda: reverse("wrangling:revert", args=[1])),
]


@pytest.mark.parametrize(("method", "url"), WRANGLING_PAGES)
def test_guests_are_sent_to_log_in_before_wrangling(client, kylux_work, method, url):
    response = getattr(client, method)(url(), {"action": "canonical", "canonical": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("method", "url"), WRANGLING_PAGES)
def test_readers_get_403_on_every_wrangling_page(client, reader, kylux_work, method, url):
    client.force_login(reader)
    response = getattr(client, method)(url(), {"action": "canonical", "canonical": "1"})
    assert response.status_code == 403


def test_a_reader_cannot_wrangle_even_with_a_confirmed_post(client, reader, kylux_work):
    _, kylux, _ = kylux_work
    client.force_login(reader)
    response = client.post(
        tag_url("edit", "Kylux"), {"action": "synonym", "synonym_of": SHIP, "confirm": "1"}
    )
    assert response.status_code == 403
    kylux.refresh_from_db()
    assert kylux.synonym_of is None
    assert not WranglingChange.objects.exists()


def test_only_wranglers_see_the_wrangling_link(client, reader, wrangler):
    client.force_login(reader)
    assert reverse("wrangling:index") not in text(client.get(reverse("home")))
    client.force_login(wrangler)
    assert reverse("wrangling:index") in text(client.get(reverse("home")))


# The wrangling bins


def test_wrangling_page_lists_unwrangled_tags_with_usage_counts(
    as_wrangler, make_work, django_assert_max_num_queries
):
    canonical("Star Wars Sequel Trilogy", "fandom")
    for _ in range(3):
        make_work(tags=tagged(relationship=["Kylux"], freeform=["Fluff"]))
    make_work(tags=tagged(freeform=["Fluff"]))
    # Session, user, unread notifications, fandom choices, count, tags, their parents.
    with django_assert_max_num_queries(7):
        page = text(as_wrangler.get(reverse("wrangling:index")))
    assert f'<a href="{tag_url("edit", "Fluff")}">Fluff</a>' in page
    assert page.index(">Fluff<") < page.index(">Kylux<")
    assert '<td class="number">4</td>' in page
    assert '<td class="number">3</td>' in page
    assert "Teen And Up Audiences" not in page.split("<table", 1)[1]


def test_wrangling_bins_filter_by_type_fandom_and_name(as_wrangler, make_work, wrangler):
    sequels = canonical("Star Wars Sequel Trilogy", "fandom")
    make_work(tags=tagged(relationship=["Kylux"], freeform=["Fluff"]))
    make_work(tags=tagged(fandom="Some Other Thing", freeform=["Lost"]))
    url = reverse("wrangling:index")

    page = text(as_wrangler.get(url, {"type": "relationship"}))
    assert ">Kylux<" in page and ">Fluff<" not in page
    page = text(as_wrangler.get(url, {"fandom": sequels.pk}))
    assert ">Kylux<" in page and ">Lost<" not in page
    page = text(as_wrangler.get(url, {"fandom": "none"}))
    assert ">Lost<" in page and ">Kylux<" not in page
    page = text(as_wrangler.get(url, {"q": "LUF"}))
    assert ">Fluff<" in page and ">Kylux<" not in page


# Wrangling one tag


def test_merging_a_synonym_shows_the_consequence_first_and_changes_nothing(as_wrangler, kylux_work):
    _, kylux, _ = kylux_work
    response = as_wrangler.post(tag_url("edit", "Kylux"), {"action": "synonym", "synonym_of": SHIP})
    page = text(response)
    assert response.status_code == 200
    assert f"Make “Kylux” a synonym of “{SHIP}”?" in page
    assert "This will move 1 work." in page
    assert 'name="confirm" value="1"' in page
    assert f'name="synonym_of" value="{SHIP}"' in page
    kylux.refresh_from_db()
    assert kylux.synonym_of is None
    assert not WranglingChange.objects.exists()


def test_the_preview_counts_every_work_that_moves(as_wrangler, make_work):
    canonical(SHIP, "relationship")
    for _ in range(3):
        make_work(tags=tagged(relationship=["Kylux"]))
    make_work(tags=tagged(relationship=["Something else"]))
    page = text(
        as_wrangler.post(tag_url("edit", "Kylux"), {"action": "synonym", "synonym_of": SHIP})
    )
    assert "This will move 3 works." in page


def test_confirming_a_synonym_merges_it_and_moves_its_works(as_wrangler, wrangler, kylux_work):
    work, kylux, ship = kylux_work
    response = as_wrangler.post(
        tag_url("edit", "Kylux"),
        {"action": "synonym", "synonym_of": SHIP.lower(), "confirm": "1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == kylux.get_absolute_url()
    assert f"“Kylux” is now a synonym of “{SHIP}”." in text(response)
    kylux.refresh_from_db()
    assert kylux.synonym_of == ship
    assert ship in work.filter_tags.all()
    change = WranglingChange.objects.get()
    assert (change.user, change.action, change.other) == (wrangler, "synonym", ship)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Hux/Ren", "“Hux/Ren” is not canonical; a synonym must point at a canonical tag."),
        ("Star Wars", "synonyms must be of the same type"),
        ("Nobody typed this", "There is no tag called “Nobody typed this”."),
    ],
)
@pytest.mark.parametrize("confirm", ["", "1"])
def test_a_refused_synonym_is_explained_and_keeps_what_was_typed(
    as_wrangler, kylux_work, typed, message, confirm
):
    _, kylux, _ = kylux_work
    Tag.objects.create(name="Hux/Ren", type="relationship")
    canonical("Star Wars", "fandom")
    response = as_wrangler.post(
        tag_url("edit", "Kylux"), {"action": "synonym", "synonym_of": typed, "confirm": confirm}
    )
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert f'value="{typed}"' in page
    kylux.refresh_from_db()
    assert kylux.synonym_of is None
    assert not WranglingChange.objects.exists()


def test_a_cycle_in_meta_tags_is_refused(as_wrangler, wrangler):
    star_wars = canonical("Star Wars", "fandom")
    sequels = canonical("Star Wars Sequel Trilogy", "fandom")
    wrangling.add_parent(user=wrangler, tag=sequels, parent=star_wars)
    response = as_wrangler.post(
        tag_url("edit", "Star Wars"), {"action": "add_parent", "parent": "star wars sequel trilogy"}
    )
    page = text(response)
    assert "would make a cycle" in page
    assert 'value="star wars sequel trilogy"' in page
    assert not star_wars.parents.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("FLUFF", "There is already a tag called “Fluff”."),
        ("x" * 151, "is longer than 150 characters"),
        ("Kylux, Hux", "contains a comma"),
    ],
)
def test_a_refused_rename_is_explained_and_keeps_what_was_typed(
    as_wrangler, kylux_work, make_work, typed, message
):
    make_work(tags=tagged(freeform=["Fluff"]))
    response = as_wrangler.post(
        tag_url("edit", "Kylux"), {"action": "rename", "name": typed, "confirm": "1"}
    )
    page = text(response)
    assert message in page
    assert f'value="{typed}"' in page
    assert Tag.objects.filter(name="Kylux").exists()
    assert not WranglingChange.objects.exists()


def test_renaming_says_no_work_moves_then_renames(as_wrangler, kylux_work):
    work, kylux, _ = kylux_work
    page = text(as_wrangler.post(tag_url("edit", "Kylux"), {"action": "rename", "name": "Kylux!"}))
    assert "no work moves" in page
    assert "1 work carries this tag." in page
    response = as_wrangler.post(
        tag_url("edit", "Kylux"), {"action": "rename", "name": "Kylux!", "confirm": "1"}
    )
    assert response["Location"] == tag_url("detail", "Kylux!")
    kylux.refresh_from_db()
    assert kylux.name == "Kylux!"


def test_making_a_tag_canonical_and_attaching_a_fandom(as_wrangler, kylux_work):
    work, kylux, _ = kylux_work
    fandom = canonical("Star Wars", "fandom")
    url = tag_url("edit", "Kylux")
    page = text(as_wrangler.post(url, {"action": "canonical", "canonical": "1"}))
    assert "Make “Kylux” canonical?" in page
    assert '<input type="hidden" name="canonical" value="1"' in page
    as_wrangler.post(url, {"action": "canonical", "canonical": "1", "confirm": "1"})
    page = text(as_wrangler.post(url, {"action": "add_parent", "parent": "Star Wars"}))
    assert "Put “Kylux” under “Star Wars”?" in page
    assert "This will move 1 work." in page
    as_wrangler.post(url, {"action": "add_parent", "parent": "Star Wars", "confirm": "1"})
    assert set(work.filter_tags.filter(type__in=["fandom", "relationship"])) >= {
        kylux,
        fandom,
    }
    # Then the wrangler takes the fandom away again with its Remove button.
    page = text(as_wrangler.get(url))
    assert f'name="parent" value="{fandom.pk}"' in page
    page = text(as_wrangler.post(url, {"action": "remove_parent", "parent": fandom.pk}))
    assert "Take “Kylux” out from under “Star Wars”?" in page
    assert f'<input type="hidden" name="parent" value="{fandom.pk}"' in page
    as_wrangler.post(url, {"action": "remove_parent", "parent": fandom.pk, "confirm": "1"})
    assert not kylux.parents.exists()
    assert fandom not in work.filter_tags.all()


def test_a_wrangle_that_changes_nothing_says_so(as_wrangler, kylux_work, wrangler):
    _, kylux, ship = kylux_work
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    response = as_wrangler.post(
        tag_url("edit", "Kylux"), {"action": "synonym", "synonym_of": SHIP}, follow=True
    )
    assert "Nothing to change" in text(response)
    assert WranglingChange.objects.count() == 1


def test_a_synonym_can_be_unmerged(as_wrangler, kylux_work, wrangler):
    work, kylux, ship = kylux_work
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    url = tag_url("edit", "Kylux")
    assert "no longer be found under" in text(as_wrangler.post(url, {"action": "unsynonym"}))
    as_wrangler.post(url, {"action": "unsynonym", "confirm": "1"})
    kylux.refresh_from_db()
    assert kylux.synonym_of is None
    assert ship not in work.filter_tags.all()


def test_an_unknown_action_is_refused_politely(as_wrangler, kylux_work):
    response = as_wrangler.post(tag_url("edit", "Kylux"), {"action": "explode"}, follow=True)
    assert "Unknown wrangling action." in text(response)


# The log


def test_the_log_shows_who_did_what_and_reverts_a_change(
    as_wrangler, wrangler, kylux_work, django_assert_max_num_queries
):
    work, kylux, ship = kylux_work
    change = wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    wrangling.rename(user=wrangler, tag=ship, name="Kylo Ren/Armitage Hux")
    # Session, user, unread notifications, count, changes with their people and tags.
    with django_assert_max_num_queries(5):
        page = text(as_wrangler.get(reverse("wrangling:log")))
    assert "wrangly" in page
    ship.refresh_from_db()
    assert f'made a synonym of <a href="{ship.get_absolute_url()}">' in page
    assert "from “Armitage Hux/Kylo Ren” to “Kylo Ren/Armitage Hux”" in page
    assert reverse("wrangling:revert", args=[change.pk]) in page

    response = as_wrangler.post(reverse("wrangling:revert", args=[change.pk]), follow=True)
    assert "The change to “Kylux” was reverted." in text(response)
    kylux.refresh_from_db()
    assert kylux.synonym_of is None
    assert not work.filter_tags.filter(pk=ship.pk).exists()
    assert "Reverted" in text(response)


def test_reverting_twice_shows_an_error(as_wrangler, wrangler, kylux_work):
    _, kylux, ship = kylux_work
    change = wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    url = reverse("wrangling:revert", args=[change.pk])
    as_wrangler.post(url)
    response = as_wrangler.post(url, follow=True)
    assert "This change was already reverted." in text(response)


def test_revert_needs_a_post(as_wrangler, wrangler, kylux_work):
    _, kylux, ship = kylux_work
    change = wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    assert as_wrangler.get(reverse("wrangling:revert", args=[change.pk])).status_code == 405


def test_removing_a_tag_that_is_not_a_parent_is_refused(as_wrangler, kylux_work):
    other = canonical("Star Wars", "fandom")
    response = as_wrangler.post(
        tag_url("edit", "Kylux"), {"action": "remove_parent", "parent": other.pk}
    )
    assert "That tag is not a parent of “Kylux”." in text(response)


# The admin


def test_the_admin_shows_tags_and_a_read_only_wrangling_log(client, make_user, wrangler):
    admin = make_user("boss", role="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    tag = canonical(SHIP, "relationship")
    wrangling.rename(user=wrangler, tag=tag, name="Kylo Ren/Armitage Hux")
    client.force_login(admin)
    assert client.get(reverse("admin:tags_tag_changelist")).status_code == 200
    assert client.get(reverse("admin:tags_tag_change", args=[tag.pk])).status_code == 200
    log = client.get(reverse("admin:tags_wranglingchange_changelist"))
    assert "Kylo Ren/Armitage Hux" in text(log)
    assert client.get(reverse("admin:tags_wranglingchange_add")).status_code == 403


def test_a_synonym_set_in_the_admin_still_moves_the_works(client, make_user, kylux_work):
    work, kylux, ship = kylux_work
    admin = make_user("boss", role="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("admin:tags_tag_change", args=[kylux.pk]),
        {"name": "Kylux", "type": "relationship", "synonym_of": ship.pk, "parents": []},
    )
    assert response.status_code == 302
    assert ship in work.filter_tags.all()
