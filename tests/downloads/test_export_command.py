"""`fanshelf export WORK_ID --format …`: the download files from the command line."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanshelf.downloads import services
from fanshelf.downloads.models import DownloadFile
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db

FANSHELF = Path(sys.executable).parent / "fanshelf"


def export(*args) -> str:
    out = StringIO()
    call_command("export", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def test_json_stays_the_default_and_goes_to_stdout(make_work):
    work = make_work()
    document = json.loads(export(work.pk))
    assert document["format"] == "fanshelf-work" and document["title"] == "Perfect"


@pytest.mark.parametrize("extension", services.available_extensions())
def test_each_format_is_written_to_the_given_path(make_work, client, tmp_path, extension):
    work = make_work()
    path = tmp_path / f"out.{extension}"
    out = export(work.pk, "--format", extension, "-o", path)
    assert out.startswith(f"Wrote {path} (")
    # The same file a reader downloads.
    response = client.get(f"/works/{work.pk}/download/perfect.{extension}")
    assert path.read_bytes() == b"".join(response.streaming_content)
    assert DownloadFile.objects.filter(extension=extension).count() == 1


def test_without_a_path_the_file_is_named_after_the_work(make_work, tmp_path, monkeypatch):
    work = make_work(title="Perfect: A Kylux Story")
    monkeypatch.chdir(tmp_path)
    out = export(work.pk, "--format", "txt")
    path = tmp_path / "perfect-a-kylux-story.txt"
    assert out.strip().startswith("Wrote perfect-a-kylux-story.txt (")
    assert "Perfect: A Kylux Story" in path.read_text(encoding="utf-8")


def test_the_operator_may_export_a_restricted_work(make_work, tmp_path):
    work = make_work(restricted=True)
    export(work.pk, "--format", "txt", "-o", tmp_path / "r.txt")
    assert "Perfect" in (tmp_path / "r.txt").read_text(encoding="utf-8")


def test_an_anonymous_work_is_exported_without_its_creator(make_work, tmp_path):
    work = make_work(anonymous=True)
    export(work.pk, "--format", "txt", "-o", tmp_path / "a.txt")
    text = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert "Anonymous" in text and "smolhux" not in text


def test_a_missing_work_fails_with_one_line(db):
    with pytest.raises(CommandError) as failure:
        export(987654, "--format", "txt")
    assert str(failure.value) == "No work with id 987654."
    assert failure.value.returncode == 1


def test_a_draft_fails_with_one_line(make_work, tmp_path):
    draft = make_work(state=Work.State.DRAFT)
    with pytest.raises(CommandError) as failure:
        export(draft.pk, "--format", "txt", "-o", tmp_path / "d.txt")
    assert "is not posted" in str(failure.value) and "\n" not in str(failure.value)
    assert failure.value.returncode == 1
    assert not (tmp_path / "d.txt").exists()


def test_an_unwritable_path_fails_with_one_line(make_work, tmp_path):
    work = make_work()
    with pytest.raises(CommandError, match="No such file or directory"):
        export(work.pk, "--format", "txt", "-o", tmp_path / "missing" / "w.txt")


def test_an_unknown_format_exits_1_with_one_line_on_stderr(tmp_path):
    # The real command line, in a data dir of its own: the format is refused before
    # the database is opened.
    env = {**os.environ, "FANSHELF_DATA_DIR": str(tmp_path)}
    env.pop("FANSHELF_DATABASE_URL", None)
    result = subprocess.run(
        [str(FANSHELF), "export", "1", "--format", "mobi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("CommandError: Unknown format 'mobi': choose one of json, ")
