from io import StringIO

import pytest
from django.core.management import call_command

from fanshelf.accounts.models import User
from fanshelf.core.demo import load_demo
from fanshelf.tags.models import Tag, WranglingChange
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


def test_demo_loads_the_seed_once_with_its_logins(seed_text, client):
    from tests.conftest import SEED

    first, second = StringIO(), StringIO()
    call_command("demo", "--seeds", str(SEED.parent), stdout=first)
    call_command("demo", "--seeds", str(SEED.parent), stdout=second)
    work = Work.objects.get()
    assert "Demo login: demo-author / " in first.getvalue()
    assert "Demo login: demo-reader / " in first.getvalue()
    assert "Demo login: demo-wrangler / synonyms-all-the-way-down" in first.getvalue()
    assert "Wrangled the demo tags" in first.getvalue()
    assert "Already imported" in second.getvalue()
    assert "Already wrangled" in second.getvalue()
    assert User.objects.filter(username__in=["demo-author", "demo-reader"]).count() == 2
    assert User.objects.get(username="demo-wrangler").role == "wrangler"
    assert client.login(username="demo-reader", password="kudos-for-everyone")
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Star Wars Sequel Trilogy" in page
    assert "<p>Kylo had always seen Hux as perfect." in page
    assert "come chat with me on tumblr" in page.lower()


def test_demo_without_seeds_says_so(tmp_path):
    out = StringIO()
    call_command("demo", "--seeds", str(tmp_path), stdout=out)
    assert "No seed works found" in out.getvalue()
    assert not Work.objects.exists()


def snapshot():
    tags = Tag.objects.order_by("pk").values_list("pk", "name", "type", "canonical", "synonym_of")
    parents = Tag.parents.through.objects.order_by("pk").values_list("from_tag", "to_tag")
    return list(tags), list(parents), WranglingChange.objects.count()


def test_demo_tags_are_wrangled_by_the_demo_wrangler_once(tmp_path):
    load_demo(tmp_path)
    before = snapshot()
    assert load_demo(tmp_path).wrangled == 0
    assert snapshot() == before
    wrangler = User.objects.get(username="demo-wrangler")
    assert set(WranglingChange.objects.values_list("user", flat=True)) == {wrangler.pk}
    ship = Tag.objects.get(name="Kylo Ren/Armitage Hux")
    assert ship.canonical and ship.type == "relationship"
    assert set(ship.synonyms.values_list("name", flat=True)) == {
        "Armitage Hux/Kylo Ren",
        "Kylux",
        "kylo x hux",
    }
    sequels = Tag.objects.get(name="Star Wars Sequel Trilogy")
    assert list(sequels.parents.values_list("name", flat=True)) == ["Star Wars - All Media Types"]
    assert set(sequels.children.values_list("name", flat=True)) == {
        "Kylo Ren",
        "Armitage Hux",
        "Brendol Hux",
        "Phasma",
        "Snoke",
        "Kylo Ren/Armitage Hux",
    }
    assert Tag.objects.get(name="General Hux").synonym_of.name == "Armitage Hux"


def test_the_seed_work_is_found_under_the_canonical_relationship_and_meta_fandom(seed_text):
    from tests.conftest import SEED

    load_demo(SEED.parent)
    work = Work.objects.get()
    assert list(work.tags.filter(type="relationship").values_list("name", flat=True)) == ["Kylux"]
    assert not work.tags.filter(type="freeform", name="Kylux").exists()
    found_under = set(work.filter_tags.values_list("name", flat=True))
    assert {"Kylo Ren/Armitage Hux", "Star Wars - All Media Types"} <= found_under
    assert {"Star Wars Sequel Trilogy", "Kylo Ren", "Armitage Hux", "Brendol Hux"} <= found_under


def test_an_archive_from_an_older_demo_gets_kylux_as_a_relationship(tmp_path):
    Tag.objects.create(name="Kylux", type="freeform")
    load_demo(tmp_path)
    kylux = Tag.objects.get(name="Kylux")
    assert kylux.type == "relationship"
    assert kylux.synonym_of.name == "Kylo Ren/Armitage Hux"


def test_the_demo_is_right_without_a_worker(seed_text, monkeypatch):
    """Works imported before the tags were wrangled are refreshed by the demo itself."""
    from fanshelf.core import demo
    from fanshelf.tags import wrangling
    from tests.conftest import SEED

    with monkeypatch.context() as patch:
        patch.setattr(demo, "wrangle_demo_tags", lambda wrangler: 0)
        load_demo(SEED.parent)
    work = Work.objects.get()
    assert not work.filter_tags.filter(name="Kylo Ren/Armitage Hux").exists()
    monkeypatch.setattr(wrangling, "refresh_after_commit", lambda tag_ids: None)
    load_demo(SEED.parent)
    assert work.filter_tags.filter(name="Kylo Ren/Armitage Hux").exists()


def test_the_demo_reader_answers_the_seed_once_however_often_the_demo_runs(
    db, seed_text, mailoutbox
):
    from tests.conftest import SEED

    load_demo(SEED.parent)
    load_demo(SEED.parent)
    work = Work.objects.get()
    assert (work.kudos_count, work.comment_count, work.bookmark_count) == (1, 1, 1)
    assert work.creatorships.get().pseud.user.notifications.filter(kind="comment").count() == 1
    assert any("demo-author" in message.to[0] for message in mailoutbox)


def test_the_seed_author_adding_chapter_two_notifies_its_subscriber(db, seed_text, mailoutbox):
    from fanshelf.works.services import ChapterText, add_chapter
    from tests.conftest import SEED

    load_demo(SEED.parent)
    work = Work.objects.get()
    author, reader = (User.objects.get(username=name) for name in ("demo-author", "demo-reader"))
    mailoutbox.clear()
    add_chapter(user=author, work=work, chapter=ChapterText(body="The gala, at last."))
    news = reader.notifications.get(kind="new_chapter")
    assert work.title in news.text
    assert [message.to for message in mailoutbox] == [[reader.email]]
    assert work.title in mailoutbox[0].body
