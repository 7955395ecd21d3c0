"""A bulk import killed half way and run again ends with the same works as one clean run.

Real processes on a real SQLite file: ``fanshelf import`` runs in a subprocess with
its own data dir; the test watches the database, kills (or interrupts) the import
once some works are in, runs the same command again and compares the archives.
"""

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

# The imports run against their own SQLite archive whatever the suite's database is,
# so the PostgreSQL run of the suite would only repeat the SQLite run's minute.
pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="runs its own SQLite archive in subprocesses; covered by the SQLite run",
)

FILES = 240
DEADLINE = 180  # seconds: a stuck import fails the test instead of hanging it
WORDS = [
    "star",
    "ship",
    "cold",
    "coat",
    "glove",
    "hangar",
    "engine",
    "orders",
    "quiet",
    "storm",
    "window",
    "corridor",
    "rain",
    "silence",
    "breath",
    "voice",
    "finger",
    "smile",
    "wrist",
    "shoulder",
    "jaw",
    "glass",
    "bridge",
    "light",
    "night",
    "general",
    "knight",
    "pilot",
    "droid",
    "blaster",
    "saber",
    "moon",
    "desert",
    "forest",
    "ocean",
    "city",
    "tower",
    "letter",
    "promise",
    "secret",
    "memory",
    "winter",
    "summer",
    "morning",
    "evening",
    "laugh",
    "whisper",
    "fire",
]


def prose(rng: random.Random, paragraphs: int) -> list[str]:
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 60))).capitalize() + "."
        for _ in range(paragraphs)
    ]


def write_library(folder: Path) -> dict[str, int]:
    """Files of every plain kind, each work's title naming it; returns chapters by title."""
    rng = random.Random(7)
    chapters: dict[str, int] = {}
    for number in range(FILES):
        title = f"Work {number:03d}"
        kind = number % 4
        shelf = folder / f"shelf{number % 3}"
        shelf.mkdir(parents=True, exist_ok=True)
        if kind == 0:
            body = "\n\n".join(prose(rng, 3))
            (shelf / f"{number:03d}.txt").write_text(f"Title: {title}\n\n{body}\n")
            chapters[title] = 1
        elif kind == 1:
            body = "\n\n".join(prose(rng, 3))
            (shelf / f"{number:03d}.md").write_text(f"# {title}\n\n{body}\n")
            chapters[title] = 1
        elif kind == 2:
            paragraphs = "".join(f"<p>{text}</p>" for text in prose(rng, 3))
            html = f"<html><head><title>{title}</title></head><body>{paragraphs}</body></html>"
            (shelf / f"{number:03d}.html").write_text(html)
            chapters[title] = 1
        else:
            count = 2 + number % 3
            document = {
                "format": "fanshelf-work",
                "title": title,
                "language": "en",
                "tags": {"fandom": ["Star Wars"], "rating": ["General Audiences"]},
                "chapters": [
                    {"title": f"Part {part}", "body_html": "".join(prose(rng, 2))}
                    for part in range(1, count + 1)
                ],
            }
            (shelf / f"{number:03d}.json").write_text(json.dumps(document))
            chapters[title] = count
    return chapters


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("library")
    return folder, write_library(folder)


@pytest.fixture(scope="module")
def empty_archive(tmp_path_factory) -> Path:
    """A migrated data dir with the account that imports; copied for each run."""
    data_dir = tmp_path_factory.mktemp("archive")
    fanshelf(data_dir, "migrate", "--verbosity", "0")
    fanshelf(data_dir, "user", "add", "smolhux", "--email", "s@example.org", "--password", "x" * 12)
    return data_dir


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory, empty_archive, library) -> dict:
    data_dir = copy_archive(empty_archive, tmp_path_factory.mktemp("clean"))
    fanshelf(data_dir, *import_args(library[0]))
    return contents(data_dir)


def environment(data_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FANSHELF_")}
    env.update(FANSHELF_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def command(*args) -> list[str]:
    return [sys.executable, "-m", "fanshelf", *args]


def fanshelf(data_dir: Path, *args) -> subprocess.CompletedProcess:
    done = subprocess.run(
        command(*args), env=environment(data_dir), capture_output=True, text=True,
        timeout=DEADLINE, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def import_args(folder: Path) -> list[str]:
    return ["import", str(folder), "--user", "smolhux", "--quiet"]


def copy_archive(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, dirs_exist_ok=True)
    return target


def database(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / "fanshelf.sqlite3", timeout=20)


def work_count(data_dir: Path) -> int:
    with database(data_dir) as connection:
        return connection.execute("SELECT count(*) FROM works_work").fetchone()[0]


def contents(data_dir: Path) -> dict:
    """Every work's title with its chapters' titles and bodies, and the record count."""
    with database(data_dir) as connection:
        rows = connection.execute(
            "SELECT w.id, w.title, c.title, c.body FROM works_work w "
            "JOIN works_chapter c ON c.work_id = w.id ORDER BY w.id, c.position"
        ).fetchall()
        records = connection.execute("SELECT count(*) FROM imports_importrecord").fetchone()[0]
    works: dict[int, list] = {}
    for work_id, title, chapter_title, body in rows:
        works.setdefault(work_id, [title]).append((chapter_title, body))
    return {
        "works": Counter((parts[0], tuple(parts[1:])) for parts in works.values()),
        "records": records,
    }


def start_import(data_dir: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command(*import_args(folder)), env=environment(data_dir), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_for_works(process: subprocess.Popen, data_dir: Path, at_least: int) -> int:
    """Poll the database until ``at_least`` works are in; fail if the import ends first."""
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        assert process.poll() is None, "the import ended before it could be stopped"
        try:
            count = work_count(data_dir)
        except sqlite3.OperationalError:  # locked for a moment by the importer
            count = 0
        if count >= at_least:
            return count
        time.sleep(0.02)
    process.kill()
    raise AssertionError("the import made no progress")


def assert_same_as_clean_run(data_dir: Path, clean: dict, chapters: dict[str, int]) -> None:
    after = contents(data_dir)
    assert after == clean
    titles = [title for title, _ in after["works"].elements()]
    assert sorted(titles) == sorted(chapters)  # every work once, none twice
    for title, parts in after["works"]:
        assert len(parts) == chapters[title], f"{title} is missing chapters"
    assert after["records"] == len(chapters)


def test_clean_run_imports_every_work_whole(clean_run, library):
    _folder, chapters = library
    assert sorted(title for title, _ in clean_run["works"]) == sorted(chapters)
    assert all(len(parts) == chapters[title] for title, parts in clean_run["works"])


def test_killed_import_resumes_without_duplicates_or_half_works(
    tmp_path, empty_archive, library, clean_run
):
    folder, chapters = library
    data_dir = copy_archive(empty_archive, tmp_path / "archive")
    process = start_import(data_dir, folder)
    wait_for_works(process, data_dir, at_least=FILES // 3)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=DEADLINE)
    killed_at = work_count(data_dir)
    assert FILES // 3 <= killed_at < FILES
    for title, parts in contents(data_dir)["works"]:
        assert len(parts) == chapters[title]  # no work without all its chapters

    again = fanshelf(data_dir, *import_args(folder))
    assert again.stderr == ""
    assert_same_as_clean_run(data_dir, clean_run, chapters)


def test_ctrl_c_stops_after_the_work_in_hand_and_says_how_to_go_on(
    tmp_path, empty_archive, library, clean_run
):
    folder, chapters = library
    data_dir = copy_archive(empty_archive, tmp_path / "archive")
    process = start_import(data_dir, folder)
    wait_for_works(process, data_dir, at_least=FILES // 4)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 130
    stopped_at = work_count(data_dir)
    assert stopped_at < FILES
    assert err.splitlines()[-1] == (
        f"interrupted: {stopped_at} imported, run the same command again to go on"
    )

    fanshelf(data_dir, *import_args(folder))
    assert_same_as_clean_run(data_dir, clean_run, chapters)
