import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db


def run_import(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_import_seed_prints_id_and_url(author, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    out, err, failure = run_import(str(path), "--user", "smolhux", "--fandom", "Star Wars")
    work = Work.objects.get()
    assert failure is None and err == ""
    assert out.strip().split("\t")[:2] == [str(work.pk), f"http://127.0.0.1:8000/works/{work.pk}/"]
    assert work.is_posted
    assert work.end_notes.startswith("<p>I wrote this on tumblr")
    assert work.tags.get(type="fandom").name == "Star Wars"
    assert work.tags.get(type="rating").name == "Not Rated"


def test_bad_files_get_one_line_each_and_the_others_import(author, tmp_path):
    (tmp_path / "good.txt").write_text("Title: Good\n\nA good story.", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(bytes(range(256)) * 3)
    (tmp_path / "empty.txt").write_bytes(b"")
    out, err, failure = run_import(
        str(tmp_path / "good.txt"),
        str(tmp_path / "latin1.txt"),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "missing.txt"),
        "--user",
        "smolhux",
    )
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(str(tmp_path / "latin1.txt")) and "unknown text encoding" in lines[0]
    assert "empty" in lines[1]
    assert "cannot read it" in lines[2]
    assert failure == "3 file(s) could not be imported."
    assert list(Work.objects.values_list("title", flat=True)) == ["Good"]


def test_a_file_that_fails_validation_leaves_nothing_half_created(author, tmp_path):
    long_title = "Title: " + "x" * 300 + "\n\nStory."
    (tmp_path / "long.txt").write_text(long_title, encoding="utf-8")
    out, err, failure = run_import(str(tmp_path / "long.txt"), "--user", "smolhux")
    assert "title" in err and failure
    assert not Work.objects.exists()


def test_unknown_user_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Story.", encoding="utf-8")
    _out, _err, failure = run_import(str(tmp_path / "a.txt"), "--user", "nobody")
    assert failure == "No user called 'nobody'."


def test_folder_import_as_drafts_under_a_pseud(author, tmp_path):
    author.pseuds.create(name="smol-hux")
    (tmp_path / "one.md").write_text("# One\n\nFirst.", encoding="utf-8")
    (tmp_path / "two.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    out, _err, failure = run_import(
        str(tmp_path), "--user", "smolhux", "--pseud", "smol-hux", "--as-drafts"
    )
    assert failure is None
    assert len(out.strip().splitlines()) == 2
    works = Work.objects.order_by("title")
    assert [w.state for w in works] == ["draft", "draft"]
    assert {c.pseud.name for w in works for c in w.creatorships.all()} == {"smol-hux"}


def test_export_import_export_round_trip(make_work, author, tmp_path):
    from io import StringIO

    work = make_work(
        chapters=["<p>One <em>two</em>.</p>", "<p>Three.</p>"],
        summary="<p>Sum.</p>",
        notes="<p>Hello.</p>",
        end_notes="<p>Bye.</p>",
        series="Saga",
        expected_chapters=None,
        language="de",
    )
    first = StringIO()
    call_command("export", work.pk, "--format", "json", stdout=first)
    path = tmp_path / "work.json"
    path.write_text(first.getvalue(), encoding="utf-8")
    out, err, failure = run_import(str(path), "--user", "smolhux")
    assert failure is None, err
    copy = Work.objects.exclude(pk=work.pk).get()
    second = StringIO()
    call_command("export", copy.pk, "--format", "json", stdout=second)

    def content(document):
        data = json.loads(document)
        for key in ("id", "url", "source", "revised_at"):
            data.pop(key)
        data["series"].pop("position")
        for chapter in data["chapters"]:
            chapter.pop("id")
        return data

    assert content(first.getvalue()) == content(second.getvalue())


def test_import_prints_suggested_tags_without_adding_them(author, seed_text, tmp_path):
    from fanshelf.tags.models import Tag

    sequels = Tag.objects.create(name="Star Wars Sequel Trilogy", type="fandom", canonical=True)
    for name in ("Kylo Ren", "Armitage Hux", "Brendol Hux"):
        Tag.objects.create(name=name, type="character", canonical=True).parents.add(sequels)
    Tag.objects.create(name="Kylo Ren/Armitage Hux", type="relationship", canonical=True)
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "nobody.txt").write_text("Title: Nobody\n\nA quiet story.", encoding="utf-8")
    out, err, failure = run_import(str(tmp_path), "--user", "smolhux", "--fandom", "Star Wars")
    assert failure is None and err == ""
    lines = out.splitlines()
    assert lines[0].endswith("\tNobody")
    assert not lines[1].startswith("  ")  # a work whose text names nobody: no suggestions
    assert lines[2:] == [
        "  suggested fandoms: Star Wars Sequel Trilogy",
        "  suggested characters: Kylo Ren, Brendol Hux, Armitage Hux",
        "  suggested relationships: Kylo Ren/Armitage Hux",
    ]
    work = Work.objects.get(source="seed.txt")
    assert set(work.tags.values_list("name", flat=True)) == {
        "Star Wars",
        "Not Rated",
        "Creator Chose Not To Use Archive Warnings",
    }
