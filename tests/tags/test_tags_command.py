import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanshelf.tags import wrangling
from fanshelf.tags.models import Tag, WranglingChange
from fanshelf.tags.services import find_or_create_tag

pytestmark = pytest.mark.django_db

HEADER = "name,type,canonical,synonym_of,parents\n"


@pytest.fixture
def wrangler(make_user):
    return make_user("gardener", role="wrangler")


def run(*args, verbosity=1):
    """(stdout, stderr, CommandError or None) of `fanshelf tags ARGS`."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("tags", *args, stdout=out, stderr=err, verbosity=verbosity)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def write(tmp_path, text, name="tags.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def canonical(name, type, user):
    tag = find_or_create_tag(name=name, type=type)
    wrangling.set_canonical(user=user, tag=tag)
    return tag


def test_export_writes_csv_to_stdout_or_to_a_file(tmp_path, wrangler):
    canonical("Star Wars", "fandom", wrangler)
    out, err, failure = run("export", "--type", "fandom")
    assert failure is None and err == ""
    assert out == "name,type,canonical,synonym_of,parents,usage_count\nStar Wars,fandom,yes,,,0\n"

    path = tmp_path / "fandoms.csv"
    out, _err, failure = run("export", "--type", "fandom", "-o", str(path))
    assert failure is None
    assert out == f"Exported 1 tags to {path}.\n"
    assert path.read_text(encoding="utf-8").endswith("Star Wars,fandom,yes,,,0\n")


def test_export_by_an_unknown_fandom_is_a_clear_error():
    _out, _err, failure = run("export", "--fandom", "Star Warz")
    assert str(failure) == "There is no fandom called “Star Warz”."


def test_apply_prints_a_summary_and_exits_0(tmp_path, wrangler):
    path = write(tmp_path, HEADER + "Star Wars,fandom,yes,,\nKylo Ren,character,yes,,Star Wars\n")
    out, err, failure = run("apply", path, "--user", "gardener")
    assert failure is None and err == ""
    assert out == "applied 2 rows, 5 changes, 0 unchanged, 0 failed\n"
    assert Tag.objects.get(name="Kylo Ren").parents.get().name == "Star Wars"


def test_apply_verbose_lists_each_change(tmp_path, wrangler):
    path = write(tmp_path, HEADER + "Star Wars,fandom,yes,,\n")
    out, _err, _failure = run("apply", path, "--user", "gardener", verbosity=2)
    assert out.splitlines()[0] == f"{path}:2: Star Wars: new fandom tag; made canonical"


def test_apply_prints_a_line_per_failed_row_and_exits_1(tmp_path, wrangler):
    path = write(
        tmp_path,
        HEADER + "Star Wars,fandom,yes,,\n"
        '"Hurt, Comfort",freeform,,,\n'
        "Kylux,relationship,,Star Wars,\n"
        "Fluff,freeform,yes,,\n",
    )
    out, err, failure = run("apply", path, "--user", "gardener")
    assert err.splitlines() == [
        f"{path}:3: Tag “Hurt, Comfort” contains a comma; commas separate tags.",
        f"{path}:4: “Kylux” is a relationship tag but “Star Wars” is a fandom tag; "
        "synonyms must be of the same type.",
    ]
    assert out == "applied 2 rows, 4 changes, 0 unchanged, 2 failed\n"
    assert failure.returncode == 1
    assert str(failure) == "2 row(s) could not be applied."
    assert set(Tag.objects.filter(type__in=["fandom", "freeform", "relationship"]).values_list(
        "name", flat=True
    )) == {"Star Wars", "Fluff"}  # fmt: skip


def test_a_dry_run_reports_works_moved_and_changes_nothing(tmp_path, wrangler, make_work):
    make_work()  # tagged "Armitage Hux/Kylo Ren", as typed
    path = write(
        tmp_path,
        HEADER + "Kylo Ren/Armitage Hux,relationship,yes,,\n"
        "Armitage Hux/Kylo Ren,,,Kylo Ren/Armitage Hux,\n"
        "One Shot,,,,\n",
    )
    out, err, failure = run("apply", path, "--user", "gardener", "--dry-run")
    assert failure is None and err == ""
    assert out.splitlines() == [
        f"{path}:2: Kylo Ren/Armitage Hux: new relationship tag; made canonical"
        " (would move 0 works)",
        f"{path}:3: Armitage Hux/Kylo Ren: made a synonym of “Kylo Ren/Armitage Hux”"
        " (would move 1 works)",
        "would apply 2 rows, 3 changes, 1 unchanged, 0 failed (dry run: nothing was changed)",
    ]
    assert not Tag.objects.filter(name="Kylo Ren/Armitage Hux").exists()
    assert Tag.objects.get(name="Armitage Hux/Kylo Ren").synonym_of is None
    assert not WranglingChange.objects.exists()


def test_a_dry_run_with_bad_rows_exits_1(tmp_path, wrangler):
    path = write(tmp_path, HEADER + "Kylux,,,,\n")
    _out, err, failure = run("apply", path, "--user", "gardener", "--dry-run")
    assert err == f"{path}:2: “Kylux” is a new tag: give its type.\n"
    assert failure.returncode == 1


def test_only_a_wrangler_may_apply(tmp_path, make_user):
    make_user("reader")
    path = write(tmp_path, HEADER + "Fluff,freeform,yes,,\n")
    out, err, failure = run("apply", path, "--user", "reader")
    assert str(failure) == "reader is not a tag wrangler; only wranglers can wrangle tags."
    assert failure.returncode == 1
    assert out == err == ""
    assert not Tag.objects.filter(name="Fluff").exists()


def test_an_unknown_user_is_a_clear_error(tmp_path):
    path = write(tmp_path, HEADER)
    _out, _err, failure = run("apply", path, "--user", "nobody")
    assert str(failure) == "No user called 'nobody'."
    assert failure.returncode == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read it (No such file or directory)."),
        (b"name\nKylo\xa0Ren\n", "not UTF-8 (byte 0xa0 at offset 9); save it as UTF-8."),
        (b"tag\nFluff\n", "no “name” column; the first line must name the columns"),
    ],
    ids=["missing", "not-utf-8", "no-name-column"],
)
def test_a_file_that_cannot_be_read_is_one_line_and_exit_1(tmp_path, wrangler, content, reason):
    path = tmp_path / "tags.csv"
    if content is not None:
        path.write_bytes(content)
    out, err, failure = run("apply", str(path), "--user", "gardener")
    assert str(failure).startswith(f"{path}: {reason}")
    assert "\n" not in str(failure)
    assert failure.returncode == 1
    assert out == err == ""


def test_a_long_run_off_a_terminal_prints_no_progress_bar(tmp_path, wrangler):
    rows = "".join(f"tag {number},freeform,,,\n" for number in range(250))
    path = write(tmp_path, HEADER + rows)
    out, err, failure = run("apply", path, "--user", "gardener")
    assert failure is None and err == ""
    assert out == "applied 250 rows, 250 changes, 0 unchanged, 0 failed\n"


def test_log_lists_the_latest_changes_as_csv(tmp_path, wrangler):
    path = write(tmp_path, HEADER + "Star Wars,fandom,yes,,\nKylo Ren,character,yes,,Star Wars\n")
    run("apply", path, "--user", "gardener")
    out, _err, failure = run("log", "--limit", "2")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert failure is None
    assert [(row["user"], row["action"], row["tag"], row["other"]) for row in rows] == [
        ("gardener", "add_parent", "Kylo Ren", "Star Wars"),
        ("gardener", "canonical", "Kylo Ren", ""),
    ]


def test_revert_undoes_a_change_once(wrangler):
    tag = canonical("Kylo Ren", "character", wrangler)
    change = WranglingChange.objects.get(tag=tag)
    out, _err, failure = run("revert", str(change.pk), "--user", "gardener")
    assert failure is None
    undo = WranglingChange.objects.latest("pk")
    assert (
        out == f"Reverted change {change.pk} with change {undo.pk}: Kylo Ren made not canonical.\n"
    )
    assert not Tag.objects.get(pk=tag.pk).canonical

    _out, _err, again = run("revert", str(change.pk), "--user", "gardener")
    assert str(again) == f"Change {change.pk}: This change was already reverted."
    assert again.returncode == 1


def test_revert_refuses_unknown_changes_and_non_wranglers(wrangler, make_user):
    _out, _err, failure = run("revert", "999", "--user", "gardener")
    assert str(failure) == "No wrangling change 999."
    make_user("reader")
    tag = canonical("Kylo Ren", "character", wrangler)
    change = WranglingChange.objects.get(tag=tag)
    _out, _err, failure = run("revert", str(change.pk), "--user", "reader")
    assert failure.returncode == 1 and "not a tag wrangler" in str(failure)
    assert Tag.objects.get(pk=tag.pk).canonical


def test_revert_of_a_merge_whose_old_canonical_is_gone_is_a_clear_error(wrangler):
    first, second = (
        canonical("Ben Solo", "character", wrangler),
        canonical("Kylo", "character", wrangler),
    )
    kylo = find_or_create_tag(name="Kylo Ren", type="character")
    wrangling.make_synonym(user=wrangler, tag=kylo, canonical=first)
    change = wrangling.make_synonym(user=wrangler, tag=kylo, canonical=second)
    first.delete()
    _out, _err, failure = run("revert", str(change.pk), "--user", "gardener")
    assert str(failure) == (
        f"Change {change.pk}: The former canonical tag “Ben Solo” no longer exists."
    )
    assert failure.returncode == 1
