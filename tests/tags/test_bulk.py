import csv
import io
import re

import pytest
from django.core.exceptions import PermissionDenied

from fanshelf.tags import bulk, wrangling
from fanshelf.tags.models import FIXED_TYPES, Tag, WranglingChange
from fanshelf.tags.services import find_or_create_tag

pytestmark = pytest.mark.django_db

HEADER = "name,type,canonical,synonym_of,parents\n"
POSTABLE = {"rating": "Mature", "warning": ["No Archive Warnings Apply"]}
MHA = "僕のヒーローアカデミア | Boku no Hero Academia | My Hero Academia"


@pytest.fixture
def wrangler(make_user):
    return make_user("gardener", role="wrangler")


def tag(name, type, wrangler=None, *, parents=(), synonym_of=None):
    """A tag as a wrangler left it: canonical when a wrangler is given, else as typed."""
    found = find_or_create_tag(name=name, type=type)
    if synonym_of is not None:
        wrangling.make_synonym(user=wrangler, tag=found, canonical=Tag.objects.get(name=synonym_of))
    elif wrangler is not None:
        wrangling.set_canonical(user=wrangler, tag=found)
    for parent in parents:
        wrangling.add_parent(user=wrangler, tag=found, parent=Tag.objects.get(name=parent))
    found.refresh_from_db()
    return found


def star_wars(wrangler):
    tag("Star Wars - All Media Types", "fandom", wrangler)
    tag("Star Wars Sequel Trilogy", "fandom", wrangler, parents=["Star Wars - All Media Types"])
    tag("Rogue One (2016)", "fandom", wrangler, parents=["Star Wars - All Media Types"])
    tag(MHA, "fandom", wrangler)
    tag("Kylo Ren", "character", wrangler, parents=["Star Wars Sequel Trilogy"])
    tag("Ben Solo", "character", wrangler, synonym_of="Kylo Ren")
    tag("Armitage Hux", "character", wrangler, parents=["Star Wars Sequel Trilogy"])
    tag("Kylo Ren/Armitage Hux", "relationship", wrangler, parents=["Star Wars Sequel Trilogy"])
    tag("Kylux", "relationship", wrangler, synonym_of="Kylo Ren/Armitage Hux")
    tag("Crossover", "freeform", wrangler, parents=["Star Wars - All Media Types", MHA])
    tag("kylo x hux", "relationship")


def export(**filters) -> str:
    stream = io.StringIO()
    bulk.write_tags(bulk.tags_for_export(**filters), stream)
    return stream.getvalue()


def records(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def sheet(tmp_path, text: str):
    path = tmp_path / "tags.csv"
    path.write_text(text, encoding="utf-8")
    return path


def apply(tmp_path, user, text: str, **options) -> bulk.Summary:
    return bulk.apply_sheet(bulk.read_sheet(sheet(tmp_path, text)), user=user, **options)


def errors(summary) -> list[tuple[int, str]]:
    return [(result.row.line, result.error) for result in summary.results if result.error]


def wipe_wrangled_tags():
    WranglingChange.objects.all().delete()
    wrangled = Tag.objects.exclude(type__in=FIXED_TYPES)
    wrangled.update(synonym_of=None)
    wrangled.delete()


def test_export_lists_tags_by_type_then_name_with_synonyms_and_parents(wrangler):
    star_wars(wrangler)
    rows = records(export(type="", unwrangled=False))
    assert list(rows[0]) == list(bulk.COLUMNS)
    assert [row["type"] for row in rows[:5]] == ["rating"] * 5
    assert [row["name"] for row in rows if row["type"] == "character"] == [
        "Armitage Hux",
        "Ben Solo",
        "Kylo Ren",
    ]
    by_name = {row["name"]: row for row in rows}
    assert by_name["Ben Solo"] == {
        "name": "Ben Solo",
        "type": "character",
        "canonical": "no",
        "synonym_of": "Kylo Ren",
        "parents": "",
        "usage_count": "0",
    }
    assert by_name["Kylo Ren"]["canonical"] == "yes"
    assert by_name["Crossover"]["parents"] == f"Star Wars - All Media Types|{MHA}"


def test_an_export_applies_to_an_empty_archive_and_rebuilds_the_same_tags(tmp_path, wrangler):
    star_wars(wrangler)
    before = export()
    wipe_wrangled_tags()
    assert not Tag.objects.filter(name="Kylo Ren").exists()

    summary = apply(tmp_path, wrangler, before)

    assert errors(summary) == []
    assert export() == before
    assert Tag.objects.get(name="Crossover").parents.count() == 2


def test_applying_an_export_of_the_same_archive_changes_nothing(tmp_path, wrangler):
    star_wars(wrangler)
    summary = apply(tmp_path, wrangler, export())
    assert (summary.applied, summary.changes, summary.failed) == (0, 0, 0)
    assert summary.unchanged == Tag.objects.count()


def test_applying_the_same_sheet_twice_changes_nothing_the_second_time(tmp_path, wrangler):
    text = (
        HEADER + "Star Wars,fandom,yes,,\n"
        "Kylo Ren,character,yes,,Star Wars\n"
        "Ben Solo,character,,Kylo Ren,\n"
    )
    first = apply(tmp_path, wrangler, text)
    assert (first.applied, first.changes, first.unchanged) == (3, 7, 0)
    second = apply(tmp_path, wrangler, text)
    assert (second.applied, second.changes, second.unchanged, second.failed) == (0, 0, 3, 0)


def test_a_row_creates_the_tag_and_wrangles_it_through_the_services(tmp_path, wrangler):
    tag("Star Wars", "fandom", wrangler)
    tag("kylo ren", "character")
    summary = apply(
        tmp_path,
        wrangler,
        HEADER + "Kylo Ren,character,yes,,Star Wars\nKylo,character,,KYLO REN,\n",
    )
    assert [result.changes for result in summary.results] == [
        ["made canonical", "put under “Star Wars”"],
        ["new character tag", "made a synonym of “kylo ren”"],
    ]
    kylo = Tag.objects.get(normalized_name="kylo ren")
    assert kylo.name == "kylo ren", "an existing tag keeps its name as typed"
    assert kylo.canonical and list(kylo.parents.values_list("name", flat=True)) == ["Star Wars"]
    assert Tag.objects.get(name="Kylo").synonym_of == kylo
    assert set(WranglingChange.objects.values_list("user__username", flat=True)) == {"gardener"}


def test_rows_apply_after_the_rows_that_make_the_tags_they_name(tmp_path, wrangler):
    summary = apply(
        tmp_path,
        wrangler,
        HEADER + "Ben Solo,character,,Kylo Ren,\n"
        "Kylo Ren,character,yes,,Star Wars\n"
        "Star Wars,fandom,yes,,\n",
    )
    assert errors(summary) == []
    assert [result.row.line for result in summary.results] == [2, 3, 4]
    assert Tag.objects.get(name="Ben Solo").synonym_of.name == "Kylo Ren"


def test_parents_are_added_and_removed_and_others_kept(tmp_path, wrangler):
    tag("Star Wars", "fandom", wrangler)
    tag("Star Wars Sequel Trilogy", "fandom", wrangler)
    tag(MHA, "fandom", wrangler)
    tag("Crossover", "freeform", wrangler, parents=["Star Wars", "Star Wars Sequel Trilogy"])
    summary = apply(
        tmp_path, wrangler, HEADER + f"Crossover,,,,-Star Wars Sequel Trilogy|{MHA}|Star Wars\n"
    )
    assert summary.results[0].changes == [
        "taken from under “Star Wars Sequel Trilogy”",
        f"put under “{MHA}”",
    ]
    parents = set(Tag.objects.get(name="Crossover").parents.values_list("name", flat=True))
    assert parents == {"Star Wars", MHA}


def test_synonym_dash_clears_it_and_canonical_no_unmakes_it(tmp_path, wrangler):
    tag("Kylo Ren", "character", wrangler)
    tag("Ben Solo", "character", wrangler, synonym_of="Kylo Ren")
    tag("Hux", "character", wrangler)
    summary = apply(tmp_path, wrangler, HEADER + "Ben Solo,,,-,\nHux,,no,,\n")
    assert [result.changes for result in summary.results] == [
        ["no longer a synonym of “Kylo Ren”"],
        ["made not canonical"],
    ]
    assert Tag.objects.get(name="Ben Solo").synonym_of is None
    assert not Tag.objects.get(name="Hux").canonical


BAD_ROWS = [
    pytest.param(
        "Kylux,relationship,,kylo x hux,", "is not canonical", id="synonym-of-non-canonical"
    ),
    pytest.param("Kylux,relationship,,Star Wars,", "same type", id="synonym-of-another-type"),
    pytest.param(
        "Star Wars - All Media Types,,,,Star Wars|Star Wars Sequel Trilogy",
        "would make a cycle",
        id="meta-tag-cycle",
    ),
    pytest.param("x" * 151 + ",freeform,yes,,", "longer than 150 characters", id="too-long"),
    pytest.param('"Hurt, Comfort",freeform,yes,,', "contains a comma", id="comma"),
    pytest.param("?!…,freeform,yes,,", "has no letters or digits", id="only-punctuation"),
    pytest.param("Kylux,ship,yes,,", "Unknown tag type “ship”", id="unknown-type"),
    pytest.param("Kylux,,yes,,", "is a new tag: give its type", id="new-tag-without-type"),
    pytest.param("Kylux,relationship,,,Star Warz", "no tag called “Star Warz”", id="no-parent"),
    pytest.param("Kylux,relationship,,Kylo/Hux,", "no tag called “Kylo/Hux”", id="no-synonym"),
    pytest.param("Kylux,relationship,maybe,,", "write yes or no", id="canonical-not-yes-no"),
    pytest.param("Star Wars,character,,,", "is a fandom tag, not a character tag", id="type"),
    pytest.param("Mature,,no,,", "fixed tags", id="fixed-tag"),
    pytest.param("Very Mature,rating,,,", "fixed set", id="new-fixed-tag"),
    pytest.param(",freeform,yes,,", "A tag needs a name", id="no-name"),
]


@pytest.mark.parametrize(("bad_row", "reason"), BAD_ROWS)
def test_a_bad_row_is_refused_on_its_line_and_the_other_rows_apply(
    tmp_path, wrangler, bad_row, reason
):
    tag("Star Wars", "fandom", wrangler)
    tag("Star Wars - All Media Types", "fandom", wrangler)
    tag("Star Wars Sequel Trilogy", "fandom", wrangler, parents=["Star Wars - All Media Types"])
    tag("kylo x hux", "relationship")
    before = export()
    changes = WranglingChange.objects.count()

    summary = apply(
        tmp_path,
        wrangler,
        HEADER + "\n"  # a blank line still counts
        'One Shot,freeform,yes,,"Star Wars"\n' + bad_row + "\nFluff,freeform,yes,,\n",
    )

    [(line, error)] = errors(summary)
    assert line == 4
    assert reason in error
    assert (summary.applied, summary.failed) == (2, 1)
    # Nothing of the bad row was kept: not a new tag, not a parent added before the refusal.
    after = [row for row in records(export()) if row["name"] not in ("One Shot", "Fluff")]
    assert after == records(before)
    assert WranglingChange.objects.count() == changes + 3


def test_line_numbers_count_blank_lines_and_cells_that_span_lines(tmp_path, wrangler):
    summary = apply(
        tmp_path,
        wrangler,
        'name,type,notes\n\nFluff,freeform,"a note\non two lines"\n\nKylux,,\n',
    )
    assert errors(summary) == [(6, "“Kylux” is a new tag: give its type.")]


def test_a_dry_run_says_what_would_change_and_changes_nothing(tmp_path, wrangler, make_work):
    make_work(
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "relationship": ["Kylux"],
        }
    )
    before = export()
    summary = apply(
        tmp_path,
        wrangler,
        HEADER + "Kylux,,,Kylo Ren/Armitage Hux,\n"
        "Kylo Ren/Armitage Hux,relationship,yes,,\n"
        "Nope,,,,\n",
        dry_run=True,
    )
    kylux, ship, nope = summary.results
    assert kylux.changes == ["made a synonym of “Kylo Ren/Armitage Hux”"]
    assert kylux.works_moved == 1
    assert ship.changes == ["new relationship tag", "made canonical"]
    assert nope.error
    assert export() == before
    assert not WranglingChange.objects.exists()


def test_applied_wrangles_move_works_once_committed(
    tmp_path, wrangler, make_work, django_capture_on_commit_callbacks
):
    work = make_work(
        tags={
            "rating": "Teen And Up Audiences",
            "warning": ["No Archive Warnings Apply"],
            "fandom": ["Star Wars Sequel Trilogy"],
            "relationship": ["Kylux"],
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply(
            tmp_path,
            wrangler,
            HEADER + "Kylo Ren/Armitage Hux,relationship,yes,,\n"
            "Kylux,,,Kylo Ren/Armitage Hux,\n"
            "Star Wars Sequel Trilogy,,yes,,\n",
        )
    assert set(work.filter_tags.filter(type__in=["fandom", "relationship"]).values_list(
        "name", flat=True
    )) == {"Kylo Ren/Armitage Hux", "Star Wars Sequel Trilogy"}  # fmt: skip


def test_only_wranglers_apply_sheets(tmp_path, make_user):
    with pytest.raises(PermissionDenied):
        apply(tmp_path, make_user("reader"), HEADER + "Fluff,freeform,yes,,\n")
    assert not Tag.objects.filter(name="Fluff").exists()


def test_unwrangled_export_is_the_to_do_list_most_used_first(wrangler, make_work):
    def tags(*freeform):
        return {**POSTABLE, "fandom": ["Star Wars"], "freeform": list(freeform)}

    make_work(tags=tags("kylo x hux", "Angst"))
    make_work(tags=tags("kylo x hux", "Hurt/Comfort", "Fluffy"))
    make_work(tags=tags("kylo x hux", "Hurt/Comfort"))
    wrangling.set_canonical(user=wrangler, tag=Tag.objects.get(name="Angst"))
    tag("Fluff", "freeform", wrangler)
    wrangling.make_synonym(
        user=wrangler, tag=Tag.objects.get(name="Fluffy"), canonical=Tag.objects.get(name="Fluff")
    )

    rows = records(export(unwrangled=True))

    assert [(row["name"], row["usage_count"]) for row in rows] == [
        ("Star Wars", "3"),
        ("kylo x hux", "3"),
        ("Hurt/Comfort", "2"),
    ]
    assert records(export(unwrangled=True, type="freeform"))[0]["name"] == "kylo x hux"


def test_fandom_export_keeps_tags_under_the_fandom(wrangler, make_work):
    star_wars(wrangler)
    sequels = bulk.find_fandom("star wars sequel trilogy")
    assert [row["name"] for row in records(export(fandom=sequels))] == [
        "Kylo Ren/Armitage Hux",
        "Armitage Hux",
        "Kylo Ren",
    ]
    make_work(tags={**POSTABLE, "fandom": ["Star Wars Sequel Trilogy"], "freeform": ["space"]})
    make_work(tags={**POSTABLE, "fandom": ["Rogue One (2016)"], "freeform": ["sand"]})
    unwrangled = records(export(fandom=sequels, unwrangled=True))
    assert [row["name"] for row in unwrangled] == ["space"]


def test_a_fandom_is_found_through_its_synonyms_only_if_it_is_a_fandom(wrangler):
    star_wars(wrangler)
    tag("SW", "fandom", wrangler, synonym_of="Star Wars - All Media Types")
    assert bulk.find_fandom("sw").name == "Star Wars - All Media Types"
    with pytest.raises(Exception, match="no fandom called “Kylo Ren”"):
        bulk.find_fandom("Kylo Ren")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read it"),
        (b"name\ncaf\xe9\n", "not UTF-8 (byte 0xe9 at offset 8)"),
        (b"tag,type\nFluff,freeform\n", "no “name” column"),
        (b"", "no “name” column"),
    ],
    ids=["missing", "latin-1", "no-name-column", "empty"],
)
def test_a_sheet_that_cannot_be_read_is_refused_whole(tmp_path, content, reason):
    path = tmp_path / "tags.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(bulk.SheetError, match=re.escape(reason)) as refusal:
        bulk.read_sheet(path)
    assert str(refusal.value).startswith(f"{path}:")


def test_a_sheet_may_have_a_bom_any_header_case_and_extra_columns(tmp_path):
    path = tmp_path / "tags.csv"
    path.write_bytes("\ufeffName , Type,Notes\nFluff,freeform,soft\n".encode())
    [row] = bulk.read_sheet(path)
    assert (row.line, row.get("name"), row.get("type"), row.get("synonym_of")) == (
        2,
        "Fluff",
        "freeform",
        "",
    )


def test_the_log_shows_who_did_what_with_tag_names(tmp_path, wrangler):
    tag("Kylo Ren", "character", wrangler)
    tag("Ben Solo", "character", wrangler)
    tag("Kylo", "character", wrangler, synonym_of="Ben Solo")
    wrangling.make_synonym(
        user=wrangler, tag=Tag.objects.get(name="Kylo"), canonical=Tag.objects.get(name="Kylo Ren")
    )
    stream = io.StringIO()
    bulk.write_log(bulk.latest_changes(2), stream)
    rows = records(stream.getvalue())
    assert list(rows[0]) == list(bulk.LOG_COLUMNS)
    assert [
        (row["user"], row["action"], row["tag"], row["other"], row["old_value"]) for row in rows
    ] == [
        ("gardener", "synonym", "Kylo", "Kylo Ren", "Ben Solo"),
        ("gardener", "synonym", "Kylo", "Ben Solo", ""),
    ]
    assert rows[0]["reverted"] == ""
