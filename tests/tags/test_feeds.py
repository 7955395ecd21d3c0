import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FANDOM = "Star Wars Sequel Trilogy"


def tagged(**extra):
    return {
        "rating": "Mature",
        "warning": ["No Archive Warnings Apply"],
        "fandom": [FANDOM],
        **extra,
    }


@pytest.fixture
def fandom():
    return Tag.objects.create(name=FANDOM, type="fandom", canonical=True)


def feed(client, name):
    response = client.get(reverse("tags:feed", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    # Our own feed, not untrusted input.
    return ET.fromstring(response.content)  # noqa: S314


def entries(root):
    return {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}


def test_a_canonical_tag_has_an_atom_feed_of_its_works(client, fandom, make_work):
    work = make_work(title="Perfect", summary="<p>Hux, <em>perfect</em>.</p>")
    root = feed(client, FANDOM)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == f"{FANDOM} — Fanshelf"
    entry = entries(root)["Perfect"]
    assert entry.find(f"{ATOM}link").get("href").endswith(work.get_absolute_url())
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "smolhux"
    assert entry.findtext(f"{ATOM}updated")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<em>perfect</em>" in summary.text
    categories = {category.get("term") for category in entry.iter(f"{ATOM}category")}
    assert {FANDOM, "Armitage Hux/Kylo Ren", "Teen And Up Audiences"} <= categories


def test_the_feed_finds_works_through_synonyms(client, make_user, make_work):
    wrangler = make_user("wrangly", role="wrangler")
    ship = Tag.objects.create(name="Kylo Ren/Armitage Hux", type="relationship", canonical=True)
    make_work(title="Typed as Kylux", tags=tagged(relationship=["Kylux"]))
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="Kylux"), canonical=ship)
    assert list(entries(feed(client, ship.name))) == ["Typed as Kylux"]


def test_the_feed_shows_only_what_a_guest_may_read(client, fandom, make_work):
    make_work(title="For everyone")
    make_work(title="Members only", restricted=True)
    make_work(title="Still a draft", state=Work.State.DRAFT)
    hidden = make_work(title="Hidden by a moderator")
    Work.objects.filter(pk=hidden.pk).update(state=Work.State.HIDDEN)
    make_work(title="Nameless", anonymous=True)

    found = entries(feed(client, FANDOM))
    assert sorted(found) == ["For everyone", "Nameless"]
    assert found["Nameless"].findtext(f"{ATOM}author/{ATOM}name") == "Anonymous"
    assert "smolhux" not in ET.tostring(found["Nameless"], encoding="unicode")


def test_the_feed_holds_the_twenty_newest_works(client, fandom, make_work):
    for n in range(22):
        work = make_work(title=f"Work {n:02}")
        Work.objects.filter(pk=work.pk).update(revised_at=work.revised_at.replace(year=2000 + n))
    titles = list(entries(feed(client, FANDOM)))
    assert len(titles) == 20
    assert titles[0] == "Work 21"
    assert "Work 01" not in titles


def test_only_canonical_tags_have_feeds(client, make_work):
    make_work(tags=tagged(freeform=["Unwrangled"]))
    assert client.get(reverse("tags:feed", args=["Unwrangled"])).status_code == 404
    assert client.get(reverse("tags:feed", args=["Nobody Typed This"])).status_code == 404
