import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag, WranglingChange
from fanshelf.tags.services import find_or_create_tag, validate_tag_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrangler(make_user):
    return make_user("wrangly", role="wrangler")


def canonical(name, type, wrangler):
    tag = find_or_create_tag(name=name, type=type)
    wrangling.set_canonical(user=wrangler, tag=tag)
    tag.refresh_from_db()
    return tag


def filter_names(work):
    return set(work.filter_tags.values_list("name", flat=True))


def tags_with(relationship):
    return {
        "rating": "Teen And Up Audiences",
        "warning": ["No Archive Warnings Apply"],
        "fandom": ["Star Wars Sequel Trilogy"],
        "relationship": [relationship],
    }


def test_a_work_is_found_under_its_canonical_tags_only(make_work):
    work = make_work(tags=tags_with("Kylux"))
    assert filter_names(work) == {"Teen And Up Audiences", "No Archive Warnings Apply"}


def test_merging_a_synonym_moves_its_works_under_the_canonical(make_work, wrangler):
    work = make_work(tags=tags_with("Kylux"))
    ship = canonical("Kylo Ren/Armitage Hux", "relationship", wrangler)
    kylux = Tag.objects.get(name="Kylux")
    change, moved = wrangling.dry_run(
        kylux, lambda: wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    )
    assert (change.action, moved) == ("synonym", 1)
    assert "Kylo Ren/Armitage Hux" not in filter_names(work)
    assert not WranglingChange.objects.filter(action="synonym").exists()
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship)
    assert "Kylo Ren/Armitage Hux" in filter_names(work)
    assert "Kylux" not in filter_names(work)


def test_meta_tags_and_fandoms_reach_every_work_below_them(make_work, wrangler):
    work = make_work(tags=tags_with("Kylux"))
    meta = canonical("Star Wars - All Media Types", "fandom", wrangler)
    sequels = Tag.objects.get(name="Star Wars Sequel Trilogy")
    wrangling.set_canonical(user=wrangler, tag=sequels)
    wrangling.add_parent(user=wrangler, tag=sequels, parent=meta)
    ship = canonical("Kylo Ren/Armitage Hux", "relationship", wrangler)
    wrangling.add_parent(user=wrangler, tag=ship, parent=sequels)
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="Kylux"), canonical=ship)
    assert {"Star Wars - All Media Types", "Star Wars Sequel Trilogy", "Kylo Ren/Armitage Hux"} <= (
        filter_names(work)
    )
    wrangling.remove_parent(user=wrangler, tag=sequels, parent=meta)
    assert "Star Wars - All Media Types" not in filter_names(work)


def test_a_wrangle_moves_works_between_filters_and_revert_moves_them_back(make_work, wrangler):
    work = make_work(tags=tags_with("Kylux"))
    first = canonical("Kylo Ren/Armitage Hux", "relationship", wrangler)
    second = canonical("Armitage Hux & Kylo Ren", "relationship", wrangler)
    kylux = Tag.objects.get(name="Kylux")
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=first)
    change = wrangling.make_synonym(user=wrangler, tag=kylux, canonical=second)
    assert "Armitage Hux & Kylo Ren" in filter_names(work)
    assert "Kylo Ren/Armitage Hux" not in filter_names(work)
    wrangling.revert(user=wrangler, change=change)
    assert "Kylo Ren/Armitage Hux" in filter_names(work)
    assert "Armitage Hux & Kylo Ren" not in filter_names(work)
    change.refresh_from_db()
    assert change.reverted_by is not None
    with pytest.raises(ValidationError):
        wrangling.revert(user=wrangler, change=change)


def test_refreshing_twice_changes_nothing(make_work, wrangler):
    from fanshelf.tags import graph

    work = make_work(tags=tags_with("Kylux"))
    ship = canonical("Kylo Ren/Armitage Hux", "relationship", wrangler)
    wrangling.make_synonym(user=wrangler, tag=Tag.objects.get(name="Kylux"), canonical=ship)
    assert graph.refresh_filter_tags([work.pk]) == 0


def test_every_change_is_logged_with_who_and_what(wrangler):
    tag = find_or_create_tag(name="Hurt/Comfort", type="freeform")
    wrangling.set_canonical(user=wrangler, tag=tag)
    wrangling.rename(user=wrangler, tag=tag, name="Hurt and Comfort")
    log = list(WranglingChange.objects.all())
    assert [(c.action, c.user) for c in log] == [("rename", wrangler), ("canonical", wrangler)]
    assert (log[0].old_value, log[0].new_value) == ("Hurt/Comfort", "Hurt and Comfort")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("synonym_of_non_canonical", "is not canonical"),
        ("synonym_of_other_type", "must be of the same type"),
        ("cycle", "would make a cycle"),
        ("canonical_synonym", "a synonym cannot be canonical"),
        ("fixed", "fixed tags"),
        ("parent_of_wrong_type", "fandoms or meta tags"),
    ],
)
def test_bad_wrangles_are_refused_and_change_nothing(wrangler, setup, message):
    kylux = find_or_create_tag(name="Kylux", type="relationship")
    plain = find_or_create_tag(name="Angst", type="freeform")
    ship = canonical("Kylo Ren/Armitage Hux", "relationship", wrangler)
    fandom = canonical("Star Wars", "fandom", wrangler)
    sub = canonical("Star Wars Sequel Trilogy", "fandom", wrangler)
    wrangling.add_parent(user=wrangler, tag=sub, parent=fandom)
    before = WranglingChange.objects.count()
    actions = {
        "synonym_of_non_canonical": lambda: wrangling.make_synonym(
            user=wrangler, tag=kylux, canonical=plain
        ),
        "synonym_of_other_type": lambda: wrangling.make_synonym(
            user=wrangler, tag=kylux, canonical=fandom
        ),
        "cycle": lambda: wrangling.add_parent(user=wrangler, tag=fandom, parent=sub),
        "canonical_synonym": lambda: (
            wrangling.make_synonym(user=wrangler, tag=kylux, canonical=ship),
            wrangling.set_canonical(user=wrangler, tag=Tag.objects.get(name="Kylux")),
        ),
        "fixed": lambda: wrangling.rename(
            user=wrangler, tag=Tag.objects.get(name="Mature"), name="Spicy"
        ),
        "parent_of_wrong_type": lambda: wrangling.add_parent(
            user=wrangler, tag=kylux, parent=canonical("Fluff", "freeform", wrangler)
        ),
    }
    with pytest.raises(ValidationError, match=message):
        actions[setup]()
    if setup in {"cycle", "synonym_of_non_canonical", "synonym_of_other_type", "fixed"}:
        assert WranglingChange.objects.count() == before
    assert not fandom.parents.exists()


def test_only_wranglers_wrangle(make_user):
    reader = make_user("just-reading")
    tag = find_or_create_tag(name="Kylux", type="relationship")
    with pytest.raises(PermissionDenied):
        wrangling.set_canonical(user=reader, tag=tag)
    tag.refresh_from_db()
    assert not tag.canonical
    assert wrangling.can_wrangle(make_user("boss", role="admin"))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 151, "longer than 150"),
        ("Kylo, Hux", "comma"),
        ("?!...", "no letters or digits"),
        ("", "needs a name"),
    ],
)
def test_bad_tag_names_are_refused(name, message):
    with pytest.raises(ValidationError, match=message):
        validate_tag_name(name)


def test_rename_to_a_taken_name_is_refused(wrangler):
    tag = canonical("Kylux", "relationship", wrangler)
    find_or_create_tag(name="Angst", type="freeform")
    with pytest.raises(ValidationError, match="already a tag"):
        wrangling.rename(user=wrangler, tag=tag, name="ANGST")
    assert wrangling.rename(user=wrangler, tag=tag, name="KYLUX") is not None


def test_usage_counts_follow_works(make_work, author):
    from fanshelf.works.services import delete_work, update_work

    work = make_work(tags=tags_with("Kylux"))
    make_work(tags=tags_with("Kylux"))
    assert Tag.objects.get(name="Kylux").usage_count == 2
    update_work(user=author, work=work, tags=tags_with("Reylo"))
    assert Tag.objects.get(name="Kylux").usage_count == 1
    delete_work(user=author, work=work)
    assert Tag.objects.get(name="Reylo").usage_count == 0


def test_a_fandom_cannot_take_the_name_of_a_category(make_work):
    with pytest.raises(ValidationError) as caught:
        make_work(tags={**tags_with("Kylux"), "fandom": ["Other"]})
    assert "already the archive's category tag" in caught.value.message_dict["fandom"][0]
    assert not Tag.objects.filter(name="Kylux").exists()


def test_revert_names_a_former_canonical_that_is_gone(wrangler):
    kylux = find_or_create_tag(name="Kylux", type="relationship")
    old = canonical("Hux/Kylo", "relationship", wrangler)
    new = canonical("Kylo Ren/Armitage Hux", "relationship", wrangler)
    wrangling.make_synonym(user=wrangler, tag=kylux, canonical=old)
    change = wrangling.make_synonym(user=wrangler, tag=kylux, canonical=new)
    assert change.old_value == "Hux/Kylo"
    Tag.objects.filter(pk=old.pk).delete()
    with pytest.raises(ValidationError, match="“Hux/Kylo” no longer exists"):
        wrangling.revert(user=wrangler, change=change)


def test_a_parent_on_an_unwrangled_tag_moves_no_work(make_work, wrangler):
    make_work(tags=tags_with("Kylux"))
    kylux = Tag.objects.get(name="Kylux")
    fandom = canonical("Star Wars", "fandom", wrangler)
    _change, moved = wrangling.dry_run(
        kylux, lambda: wrangling.add_parent(user=wrangler, tag=kylux, parent=fandom)
    )
    assert moved == 0
