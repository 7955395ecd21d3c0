import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from fanshelf.tags import selectors, wrangling
from fanshelf.tags.models import Tag
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrangler(make_user):
    return make_user("wrangly", role="wrangler")


def canonical(name, type):
    return Tag.objects.create(name=name, type=type, canonical=True)


def tagged(fandom="Star Wars Sequel Trilogy", relationship=(), freeform=()):
    return {
        "rating": "Teen And Up Audiences",
        "warning": ["No Archive Warnings Apply"],
        "fandom": [fandom],
        "relationship": list(relationship),
        "freeform": list(freeform),
    }


def titles(works):
    return [work.title for work in works]


def test_a_tag_is_found_by_any_case_spacing_or_unicode_form_of_its_name():
    tag = Tag.objects.create(name="Armitage Hux/Kylo Ren", type="relationship")
    assert selectors.tag_named("  armitage  HUX/kylo ren ") == tag
    assert selectors.tag_named("Ａrmitage Hux/Kylo Ren") == tag
    assert selectors.tag_named_or_none("Kylux") is None


def test_tag_page_groups_parents_and_children_by_kind(wrangler):
    star_wars = canonical("Star Wars", "fandom")
    sequels = canonical("Star Wars Sequel Trilogy", "fandom")
    ship = canonical("Armitage Hux/Kylo Ren", "relationship")
    hux = canonical("Armitage Hux", "character")
    kylux = Tag.objects.create(name="Kylux", type="relationship")
    wrangling.add_parent(user=wrangler, tag=sequels, parent=star_wars)
    wrangling.add_parent(user=wrangler, tag=ship, parent=sequels)
    wrangling.add_parent(user=wrangler, tag=hux, parent=sequels)
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)

    page = selectors.tag_page(sequels)
    assert [(str(g.label), titles_of(g.tags)) for g in page.parents] == [
        ("Meta tags", ["Star Wars"])
    ]
    assert [(str(g.label), titles_of(g.tags)) for g in page.children] == [
        ("Relationships", ["Armitage Hux/Kylo Ren"]),
        ("Characters", ["Armitage Hux"]),
    ]
    assert titles_of(selectors.tag_page(ship).synonyms) == ["Kylux"]
    assert selectors.tag_page(Tag.objects.get(name="Kylux")).works_tag == ship


def titles_of(tags):
    return [tag.name for tag in tags]


def test_a_canonical_tag_finds_works_tagged_with_its_synonyms_and_sub_tags(make_work, wrangler):
    ship = canonical("Armitage Hux/Kylo Ren", "relationship")
    make_work(title="As typed", tags=tagged(relationship=["Armitage Hux/Kylo Ren"]))
    make_work(title="Synonym", tags=tagged(relationship=["Kylux"]))
    make_work(title="Sub tag", tags=tagged(relationship=["Armitage Hux/Kylo Ren (Modern AU)"]))
    make_work(title="Elsewhere", tags=tagged(relationship=["Finn/Poe Dameron"]))
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="Kylux"), canonical=ship)
    sub = Tag.objects.get(name="Armitage Hux/Kylo Ren (Modern AU)")
    wrangling.set_canonical(user=wrangler, tag=sub)
    wrangling.add_parent(user=wrangler, tag=sub, parent=ship)

    found = selectors.works_for_tag(tag=ship, viewer=AnonymousUser())
    assert sorted(titles(found)) == ["As typed", "Sub tag", "Synonym"]
    # A synonym's works are its canonical's.
    via_synonym = selectors.works_for_tag(tag=Tag.objects.get(name="Kylux"), viewer=AnonymousUser())
    assert sorted(titles(via_synonym)) == ["As typed", "Sub tag", "Synonym"]


def test_an_unwrangled_tag_finds_the_works_carrying_it_as_typed(make_work):
    make_work(title="Kylux one", tags=tagged(freeform=["kylux"]))
    make_work(title="Other", tags=tagged(freeform=["Fluff"]))
    kylux = Tag.objects.get(name="kylux")
    assert titles(selectors.works_for_tag(tag=kylux, viewer=AnonymousUser())) == ["Kylux one"]


def test_works_for_a_tag_come_newest_update_first(make_work):
    for days_ago, title in [(3, "Old"), (1, "New"), (2, "Middle")]:
        work = make_work(title=title, tags=tagged(freeform=["Fluff"]))
        Work.objects.filter(pk=work.pk).update(
            revised_at=timezone.now() - timezone.timedelta(days=days_ago)
        )
    fluff = Tag.objects.get(name="Fluff")
    assert titles(selectors.works_for_tag(tag=fluff, viewer=AnonymousUser())) == [
        "New",
        "Middle",
        "Old",
    ]


def test_guests_never_see_restricted_drafts_or_hidden_works_under_a_tag(make_work, reader):
    fandom = canonical("Star Wars Sequel Trilogy", "fandom")
    make_work(title="Public")
    make_work(title="Members only", restricted=True)
    make_work(title="Draft", state=Work.State.DRAFT)
    hidden = make_work(title="Hidden")
    Work.objects.filter(pk=hidden.pk).update(state=Work.State.HIDDEN)

    assert titles(selectors.works_for_tag(tag=fandom, viewer=AnonymousUser())) == ["Public"]
    assert titles(selectors.feed_works(fandom)) == ["Public"]
    assert sorted(titles(selectors.works_for_tag(tag=fandom, viewer=reader))) == [
        "Members only",
        "Public",
    ]


def test_unwrangled_tags_leave_out_canonical_synonym_and_fixed_tags_most_used_first(
    make_work, wrangler
):
    ship = canonical("Armitage Hux/Kylo Ren", "relationship")
    make_work(tags=tagged(relationship=["Kylux", "Hux/Ren"], freeform=["Fluff"]))
    make_work(tags=tagged(relationship=["Hux/Ren"], freeform=["Fluff"]))
    make_work(tags=tagged(freeform=["Fluff"]))
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="Kylux"), canonical=ship)

    listed = selectors.unwrangled_tags()
    assert [(tag.name, tag.usage_count) for tag in listed] == [
        ("Fluff", 3),
        ("Star Wars Sequel Trilogy", 3),
        ("Hux/Ren", 2),
    ]
    assert titles_of(selectors.unwrangled_tags(tag_type="relationship")) == ["Hux/Ren"]
    assert titles_of(selectors.unwrangled_tags(query="hux")) == ["Hux/Ren"]


def test_unwrangled_tags_by_fandom_and_the_no_fandom_bin(make_work, wrangler):
    sequels = canonical("Star Wars Sequel Trilogy", "fandom")
    canonical("Original Work", "fandom")
    make_work(tags=tagged(freeform=["Used in Star Wars"]))
    make_work(tags=tagged(fandom="Uncharted Fandom", freeform=["Nowhere"]))
    attached = Tag.objects.create(name="Attached to Star Wars", type="character")
    wrangling.add_parent(user=wrangler, tag=attached, parent=sequels)

    in_star_wars = selectors.unwrangled_tags(fandom=sequels)
    assert sorted(titles_of(in_star_wars)) == ["Attached to Star Wars", "Used in Star Wars"]
    no_fandom = selectors.unwrangled_tags(fandom=selectors.NO_FANDOM)
    assert sorted(titles_of(no_fandom)) == ["Nowhere", "Uncharted Fandom"]


def test_the_wrangling_log_is_newest_first(wrangler):
    tag = Tag.objects.create(name="Kylux", type="relationship")
    wrangling.set_canonical(user=wrangler, tag=tag)
    wrangling.rename(user=wrangler, tag=tag, name="Kylux!")
    assert [change.action for change in selectors.wrangling_log()] == ["rename", "canonical"]


def test_the_tag_index_lists_canonical_fandoms_or_the_tags_matching_a_name():
    canonical("Star Wars", "fandom")
    Tag.objects.create(name="Star Wars AU", type="freeform", usage_count=5)
    Tag.objects.create(name="Unwrangled Fandom", type="fandom")
    assert titles_of(selectors.tag_index()) == ["Star Wars"]
    assert titles_of(selectors.tag_index(query="star wars")) == ["Star Wars", "Star Wars AU"]
