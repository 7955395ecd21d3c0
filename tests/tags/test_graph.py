import pytest

from fanshelf.tags import graph, tasks, wrangling
from fanshelf.tags.models import Tag
from fanshelf.tags.services import find_or_create_tag

pytestmark = pytest.mark.django_db


def test_ancestors_and_descendants_walk_the_whole_chain(make_user):
    wrangler = make_user("w", role="wrangler")
    names = ["Star Wars", "Star Wars - All Media Types", "Star Wars Sequel Trilogy"]
    top, middle, bottom = (find_or_create_tag(name=n, type="fandom") for n in names)
    for tag in (top, middle, bottom):
        wrangling.set_canonical(user=wrangler, tag=tag)
    wrangling.add_parent(user=wrangler, tag=middle, parent=top)
    wrangling.add_parent(user=wrangler, tag=bottom, parent=middle)
    assert graph.ancestors([bottom.pk]) == {middle.pk, top.pk}
    assert graph.descendants([top.pk]) == {middle.pk, bottom.pk}


def test_the_refresh_task_works_through_every_batch(make_work, make_user, monkeypatch):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    wrangler = make_user("w", role="wrangler")
    tags = {
        "rating": "General Audiences",
        "warning": ["No Archive Warnings Apply"],
        "fandom": ["SW"],
        "freeform": ["fluff"],
    }
    works = [make_work(title=f"Work {n}", tags=tags) for n in range(5)]
    fluff = find_or_create_tag(name="Fluff!", type="freeform")
    wrangling.set_canonical(user=wrangler, tag=fluff)
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="fluff"), canonical=fluff)
    for work in works:
        assert work.filter_tags.filter(pk=fluff.pk).exists()
    assert tasks.refresh_filter_tags_for.call([fluff.pk]) == 0
