"""fanshelf backup / restore: a round trip, refusals, and a consistent snapshot."""

import datetime
import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from fanshelf.discovery import search
from fanshelf.portability import snapshot
from fanshelf.portability.restore import RestoreError, restore_backup
from fanshelf.works.export import work_to_dict
from fanshelf.works.models import Chapter, Work
from fanshelf.works.services import ChapterText, post_work
from tests.conftest import STANDARD_TAGS
from tests.factories import add_default_tags


@pytest.fixture
def varied_archive(make_user, make_work, author, reader):
    from fanshelf.accounts.pseuds import create_pseud
    from fanshelf.bookmarks.services import bookmark
    from fanshelf.feedback.services import give_kudos, post_comment
    from fanshelf.imports.models import ImportRecord
    from fanshelf.muting.services import mute
    from fanshelf.notifications.services import subscribe
    from fanshelf.reading.services import mark_for_later
    from fanshelf.tags import wrangling
    from fanshelf.tags.models import Tag
    from fanshelf.tags.services import find_or_create_tag

    wrangler = make_user("wrangler", role="wrangler")
    posted = make_work(
        title="Perfect",
        series="Smol Hux",
        chapters=("<p>Kylo had always seen Hux as perfect.</p>", "<p>Starkiller glimmered.</p>"),
    )
    make_work(title="Draft", state=Work.State.DRAFT, chapters=("<p>Not yet.</p>",))
    make_work(title="Secret", anonymous=True, restricted=True, series="Smol Hux")
    later = timezone.now() + datetime.timedelta(days=3)
    scheduled = make_work(title="Later", state=Work.State.DRAFT)
    Work.objects.filter(pk=scheduled.pk).update(state=Work.State.SCHEDULED, published_at=later)
    hidden = make_work(title="Hidden", pseud=create_pseud(user=author, name="Smol Hux"))
    Work.objects.filter(pk=hidden.pk).update(state=Work.State.HIDDEN)  # as a moderator would
    canonical = Tag.objects.get(name="Armitage Hux/Kylo Ren")
    wrangling.set_canonical(user=wrangler, tag=canonical)
    synonym = find_or_create_tag(name="Kylux", type=Tag.Type.RELATIONSHIP)
    wrangling.make_synonym(user=wrangler, tag=synonym, canonical=canonical)
    fandom = Tag.objects.get(name="Star Wars Sequel Trilogy")
    wrangling.set_canonical(user=wrangler, tag=fandom)
    wrangling.add_parent(user=wrangler, tag=canonical, parent=fandom)
    comment = post_comment(work=posted, user=reader, body="Tell me more!")
    post_comment(work=posted, parent=comment, user=author, body="Thank you!!!")
    give_kudos(work=posted, user=reader)
    bookmark(user=reader, work=posted, notes="So good", tags=["favourites"], rec=True)
    subscribe(user=reader, work=posted)
    mark_for_later(user=reader, work=posted)
    mute(user=reader, target=wrangler)
    imported = make_work(title="From tumblr", source="https://smol-hux.tumblr.com/post/1")
    ImportRecord.objects.create(user=author, key="tumblr-1", work=imported, source="tumblr")
    return posted


def data_lines(content: bytes) -> dict[str, list]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {
            name: [json.loads(line) for line in zf.read(name).splitlines()]
            for name in zf.namelist()
            if name.startswith(snapshot.DATA_DIR)
        }


def backup_bytes() -> bytes:
    buffer = io.BytesIO()
    snapshot.write_backup(file=buffer)
    return buffer.getvalue()


def all_works() -> dict[int, dict]:
    works = Work.objects.prefetch_related("tags", "creatorships__pseud__user").select_related(
        "series"
    )
    return {work.pk: work_to_dict(work, reveal_anonymous=True) for work in works}


def empty_the_archive() -> None:
    """As a new archive would be: every backed-up table emptied (content types stay)."""
    from fanshelf.discovery.models import SearchChapter

    SearchChapter.objects.all().delete()
    for model in reversed(snapshot.backed_up_models()):
        model._base_manager.all()._raw_delete(connection.alias)


def test_restore_brings_back_every_row_and_the_search_index(varied_archive, tmp_path, settings):
    icon = tmp_path / "media" / "icons" / "hux.png"
    icon.parent.mkdir(parents=True)
    icon.write_bytes(b"\x89PNG not really")
    before_works = all_works()
    first = backup_bytes()
    assert data_lines(first)["data/works.work.jsonl"]

    empty_the_archive()
    icon.unlink()
    restore_backup(file=io.BytesIO(first))

    assert data_lines(backup_bytes()) == data_lines(first)
    assert all_works() == before_works
    assert icon.read_bytes() == b"\x89PNG not really"
    found = search.backend().filter(Work.objects.all(), search.parse("Starkiller"))
    assert list(found.values_list("pk", flat=True)) == [varied_archive.pk]


def test_backup_leaves_out_sessions_tasks_and_rebuilt_caches(varied_archive):
    names = set(data_lines(backup_bytes()))
    assert "data/works.chapter.jsonl" in names
    assert "data/works.work_tags.jsonl" in names  # many-to-many links as rows
    for left_out in ("sessions.session", "discovery.searchchapter", "downloads.downloadfile"):
        assert f"data/{left_out}.jsonl" not in names


def test_restore_refuses_an_archive_that_has_users(varied_archive, tmp_path):
    path = tmp_path / "backup.zip"
    path.write_bytes(backup_bytes())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), verbosity=0)
    assert Work.objects.filter(title="Perfect").count() == 1


def test_restore_refuses_a_file_that_is_not_a_zip(db, tmp_path):
    path = tmp_path / "backup.zip"
    path.write_text("hello")
    with pytest.raises(CommandError, match="Not a backup zip"):
        call_command("restore", str(path), verbosity=0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b'{"model": "works.work", "pk": 99, "fie', "not a valid row"),
        (b'{"model": "works.work", "pk": 99, "fields": {"colour": 1}}', "no field named 'colour'"),
        (b'{"model": "works.work", "pk": 99, "fields": {"published_at": "soon"}}', "invalid"),
    ],
)
def test_restore_refuses_a_corrupt_line_and_changes_nothing(varied_archive, line, message):
    content = backup_bytes()
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(damaged, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "data/works.work.jsonl":
                data += line + b"\n"
            out.writestr(name, data)
    empty_the_archive()
    with pytest.raises(RestoreError, match=rf"works\.work\.jsonl line \d+: .*{message}"):
        restore_backup(file=io.BytesIO(damaged.getvalue()))
    # Users and chapters come before works in the file order: rolled back too.
    assert not get_user_model().objects.exists()
    assert not Work.objects.exists()
    assert not Chapter.objects.exists()


def test_restore_refuses_a_backup_of_other_migrations(varied_archive):
    content = backup_bytes()
    changed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(changed, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == snapshot.MANIFEST:
                manifest = json.loads(data)
                manifest["migrations"]["works"].append("9999_from_the_future")
                data = json.dumps(manifest).encode()
            out.writestr(name, data)
    empty_the_archive()
    with pytest.raises(RestoreError, match="newer Fanshelf"):
        restore_backup(file=io.BytesIO(changed.getvalue()))


def test_backup_command_writes_a_zip_with_a_manifest(varied_archive, tmp_path):
    path = tmp_path / "backup.zip"
    call_command("backup", str(path), verbosity=0)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["engine"] == connection.vendor
    assert manifest["models"]["works.work"] == Work.objects.count()
    assert "0001_initial" in manifest["migrations"]["works"]


def backup_while_a_work_is_posted() -> dict:
    """Back up while another connection posts a work between two tables being read.

    Chapters are written before works (tables go in label order): a work posted in
    between would have its work row without its chapters unless the backup reads one
    snapshot. Returns the titles and work ids the backup holds.
    """
    from django.db import connections

    from fanshelf.accounts.services import create_user

    author = create_user(username="smolhux", email="smolhux@example.org", password="x" * 20)
    post_work(
        user=author, title="Before", chapters=[ChapterText(body="<p>One.</p>")], tags=STANDARD_TAGS
    )

    def post_from_another_connection():
        try:
            post_work(
                user=author,
                title="During",
                chapters=[ChapterText(body="<p>Two.</p>")],
                tags=STANDARD_TAGS,
            )
        finally:
            connections.close_all()

    def between_tables(label, rows):
        if label == "works.chapter":
            thread = threading.Thread(target=post_from_another_connection)
            thread.start()
            thread.join()

    buffer = io.BytesIO()
    snapshot.write_backup(file=buffer, progress=between_tables)
    lines = data_lines(buffer.getvalue())
    return {
        "posted": sorted(Work.objects.values_list("title", flat=True)),
        "titles": [row["fields"]["title"] for row in lines["data/works.work.jsonl"]],
        "work_ids": sorted(row["pk"] for row in lines["data/works.work.jsonl"]),
        "chapter_work_ids": sorted(
            row["fields"]["work"] for row in lines["data/works.chapter.jsonl"]
        ),
        "creatorship_work_ids": sorted(
            row["fields"]["work"] for row in lines["data/works.creatorship.jsonl"]
        ),
    }


def assert_whole_or_nothing(seen: dict) -> None:
    assert seen["posted"] == ["Before", "During"]
    assert seen["titles"] == ["Before"]
    assert seen["chapter_work_ids"] == seen["work_ids"]
    assert seen["creatorship_work_ids"] == seen["work_ids"]


@pytest.mark.django_db(transaction=True)
def test_a_work_posted_during_a_backup_is_in_it_whole_or_not_at_all():
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite test database: the file-database test below covers SQLite")
    add_default_tags()  # an earlier transactional test may have emptied the database
    assert_whole_or_nothing(backup_while_a_work_is_posted())


SQLITE_FILE_RUN = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.portability.test_backup import backup_while_a_work_is_posted
print(json.dumps(backup_while_a_work_is_posted()))
"""


def test_a_work_posted_during_a_backup_on_an_sqlite_file_is_in_it_whole_or_not_at_all(tmp_path):
    """The archive's own setup (a WAL-mode SQLite file), in a process of its own."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file setup; PostgreSQL is covered by the test above")
    env = {key: value for key, value in os.environ.items() if key != "FANSHELF_DATABASE_URL"}
    env.update(FANSHELF_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="fanshelf.settings")
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_FILE_RUN],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert_whole_or_nothing(json.loads(done.stdout.strip().splitlines()[-1]))
