import json
import os
import random
import re
import signal
import zipfile
from io import StringIO

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
    assert failure == "3 problem(s), named above; everything else was imported."
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
    work = Work.objects.get(source=f"{tmp_path.name}/seed.txt")  # from the folder named down
    assert set(work.tags.values_list("name", flat=True)) == {
        "Star Wars",
        "Not Rated",
        "Creator Chose Not To Use Archive Warnings",
    }


WORDS = ["rain", "coat", "glove", "ship", "bridge", "storm", "letter", "winter", "moon"]


def write_story(folder, name, title, body=None):
    """A file with a story of its own (different words from every other one)."""
    if body is None:
        picked = random.Random(title).choices(WORDS, k=40)
        body = " ".join(picked).capitalize() + "."
    path = folder / name
    path.write_text(f"Title: {title}\n\n{body}\n", encoding="utf-8")
    return path


def test_running_the_same_import_again_creates_nothing_twice(author, tmp_path):
    write_story(tmp_path, "a.txt", "One")
    write_story(tmp_path, "b.txt", "Two")
    run_import(str(tmp_path), "--user", "smolhux")
    out, err, failure = run_import(str(tmp_path), "--user", "smolhux")
    assert failure is None and err == ""
    urls = [f"http://127.0.0.1:8000/works/{work.pk}/" for work in Work.objects.order_by("pk")]
    assert out.splitlines() == [
        f"{tmp_path}/a.txt: skipped, already imported: {urls[0]}",
        f"{tmp_path}/b.txt: skipped, already imported: {urls[1]}",
    ]
    assert Work.objects.count() == 2


def test_a_near_duplicate_is_imported_with_a_line_naming_the_work_it_resembles(
    author, seed_text, tmp_path
):
    write_story(tmp_path, "seed.txt", "Perfect", seed_text)
    run_import(str(tmp_path / "seed.txt"), "--user", "smolhux")
    original = Work.objects.get()
    edited = seed_text.replace("apposed", "opposed").replace("gala event", "gala")
    write_story(tmp_path, "edited.txt", "Perfect (edited)", edited)
    out, err, failure = run_import(str(tmp_path / "edited.txt"), "--user", "smolhux")
    assert failure is None and err == ""
    lines = out.splitlines()
    copy = Work.objects.exclude(pk=original.pk).get()
    assert lines[0].startswith(f"{copy.pk}\t")
    similarity, url = re.fullmatch(
        r"  possible duplicate \((\d\.\d\d)\) of (\S+)", lines[1]
    ).groups()
    assert float(similarity) >= 0.8
    assert url == f"http://127.0.0.1:8000/works/{original.pk}/"


def test_skip_duplicates_leaves_out_a_near_duplicate(author, seed_text, tmp_path):
    write_story(tmp_path, "seed.txt", "Perfect", seed_text)
    run_import(str(tmp_path / "seed.txt"), "--user", "smolhux")
    original = Work.objects.get()
    write_story(tmp_path, "again.txt", "Perfect again", seed_text.replace("apposed", "opposed"))
    write_story(tmp_path, "other.txt", "Other", "Nothing like the seed at all, a new story.")
    out, err, failure = run_import(
        str(tmp_path / "again.txt"), str(tmp_path / "other.txt"), "--user", "smolhux",
        "--skip-duplicates",
    )  # fmt: skip
    assert failure is None and err == ""
    lines = out.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(tmp_path))}/again.txt: skipped, near-duplicate \(\d\.\d\d\) of "
        rf"http://127.0.0.1:8000/works/{original.pk}/",
        lines[0],
    )
    assert lines[1].endswith("\tOther")
    assert sorted(Work.objects.values_list("title", flat=True)) == ["Other", "Perfect"]


def test_quiet_prints_only_problems(author, tmp_path):
    write_story(tmp_path, "a.txt", "One")
    (tmp_path / "empty.txt").write_bytes(b"")
    out, err, failure = run_import(str(tmp_path), "--user", "smolhux", "--quiet")
    assert out == ""
    assert err.strip() == f"{tmp_path}/empty.txt: the file is empty"
    assert failure and Work.objects.count() == 1


def test_a_zip_is_imported_member_by_member_and_its_bad_members_named(author, tmp_path):
    path = tmp_path / "pack.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("one.txt", "Title: One\n\nFirst.")
        archive.writestr("../escape.txt", "Title: Escape\n\nNo.")
        archive.writestr("two.md", "# Two\n\nSecond.")
    out, err, failure = run_import(str(path), "--user", "smolhux")
    assert err.strip() == (
        f"{path}/../escape.txt: an unsafe name inside the zip (it points outside the archive)"
    )
    assert failure == "1 problem(s), named above; everything else was imported."
    assert sorted(Work.objects.values_list("title", "source")) == [
        ("One", "pack.zip/one.txt"),
        ("Two", "pack.zip/two.md"),
    ]


def test_progress_lines_go_to_stderr_when_asked_for(author, tmp_path):
    for number in range(6):
        write_story(tmp_path, f"{number}.txt", f"Story {number}")
    out, err, failure = run_import(str(tmp_path), "--user", "smolhux", "--progress")
    assert failure is None and len(out.splitlines()) == 6
    lines = err.splitlines()
    assert lines[-2].startswith("Importing: 6 works, ")
    assert re.fullmatch(r"6 imported, 0 skipped, 0 problem\(s\), .* works/s, .* MB/s", lines[-1])


def test_without_a_terminal_there_is_no_progress(author, tmp_path):
    for number in range(8):
        write_story(tmp_path, f"{number}.txt", f"Story {number}")
    _out, err, failure = run_import(str(tmp_path), "--user", "smolhux")
    assert failure is None and err == ""


def test_ctrl_c_stops_after_the_work_in_hand_and_a_rerun_goes_on(author, tmp_path):
    from fanshelf.works.signals import work_posted

    for number in range(4):
        write_story(tmp_path, f"{number}.txt", f"Story {number}")

    def interrupt(sender, work, **kwargs):  # the user presses Ctrl-C during the first work
        work_posted.disconnect(interrupt)
        os.kill(os.getpid(), signal.SIGINT)

    work_posted.connect(interrupt)
    # What SIGINT did before: Python's KeyboardInterrupt, or "ignore" when the suite runs
    # in the background (make test runs both engines' suites as background jobs).
    before = signal.getsignal(signal.SIGINT)
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("import", str(tmp_path), "--user", "smolhux", stdout=out, stderr=err)
    assert stopped.value.code == 130
    assert err.getvalue().splitlines() == [
        "stopping after this work (Ctrl-C again to stop at once)",
        "interrupted: 1 imported, run the same command again to go on",
    ]
    assert list(Work.objects.values_list("title", flat=True)) == ["Story 0"]
    assert signal.getsignal(signal.SIGINT) is before  # put back

    out, err, failure = run_import(str(tmp_path), "--user", "smolhux")
    assert failure is None
    assert out.splitlines()[0].startswith(f"{tmp_path}/0.txt: skipped, already imported")
    assert sorted(Work.objects.values_list("title", flat=True)) == [f"Story {n}" for n in range(4)]


def test_an_archivist_imports_on_behalf_of_creators_with_their_emails(make_user, tmp_path):
    from fanshelf.imports.models import ExternalCreator

    make_user("opendoors", role="archivist")
    (tmp_path / "story.txt").write_text("Title: Old\nAuthor: Quill\n\nFrom a closed archive.")
    (tmp_path / "creators.csv").write_text("name,email\nQuill,quill@example.org\n")
    out, err, failure = run_import(
        str(tmp_path / "story.txt"), "--user", "opendoors", "--on-behalf",
        "--creators", str(tmp_path / "creators.csv"),
    )  # fmt: skip
    assert failure is None, err
    work = Work.objects.get()
    assert out.splitlines()[0].endswith("\tOld")
    creator = ExternalCreator.objects.get()
    assert (creator.name, creator.email) == ("Quill", "quill@example.org")
    assert list(creator.works.values_list("work", flat=True)) == [work.pk]


def test_only_archivists_import_on_behalf_of_others(author, tmp_path):
    (tmp_path / "story.txt").write_text("Title: Old\nAuthor: Quill\n\nText.")
    _out, _err, failure = run_import(
        str(tmp_path / "story.txt"), "--user", "smolhux", "--on-behalf"
    )
    assert failure == "Only archivists can import works for other creators."
    assert not Work.objects.exists()


def test_creators_file_problems_are_clear(make_user, tmp_path):
    make_user("opendoors", role="archivist")
    (tmp_path / "story.txt").write_text("Title: Old\nAuthor: Quill\n\nText.")
    (tmp_path / "bad.csv").write_text("Quill,not-an-email\n")
    story = str(tmp_path / "story.txt")
    _out, _err, failure = run_import(
        story, "--user", "opendoors", "--on-behalf", "--creators", str(tmp_path / "bad.csv")
    )
    assert failure == f"{tmp_path}/bad.csv: line 1: “not-an-email” is not a valid email address"
    _out, _err, failure = run_import(story, "--user", "opendoors", "--creators", "x.csv")
    assert failure == "--creators goes with --on-behalf."
