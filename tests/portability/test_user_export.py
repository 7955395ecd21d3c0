""" "Download my data": what the zip holds, and what it never holds."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from fanshelf.portability.user_export import write_user_export
from fanshelf.works.export import work_to_dict
from fanshelf.works.models import Work


def export_of(user) -> dict[str, bytes]:
    buffer = io.BytesIO()
    write_user_export(user=user, file=buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture
def busy_reader(reader, author, make_work, make_user):
    from fanshelf.bookmarks.services import bookmark
    from fanshelf.feedback.services import give_kudos, post_comment
    from fanshelf.muting.services import mute
    from fanshelf.notifications.services import subscribe
    from fanshelf.reading.services import mark_for_later

    work = make_work(title="Perfect")
    other = make_user("nosy", email="nosy-secret@example.org")
    bookmark(user=other, work=work, notes="Someone else's private note", private=True)
    post_comment(work=work, user=reader, body="Tell me more!")
    give_kudos(work=work, user=reader)
    bookmark(user=reader, work=work, notes="So good", tags=["favourites"], rec=True)
    subscribe(user=reader, work=work)
    mark_for_later(user=reader, work=work)
    mute(user=reader, target=other)
    return reader


def test_export_holds_the_readers_feedback_and_history(busy_reader):
    files = export_of(busy_reader)
    profile = json.loads(files["profile.json"])
    assert profile["username"] == "reader"
    assert profile["email"] == "reader@example.org"
    assert profile["muted"] == ["nosy"]
    assert [p["name"] for p in profile["pseuds"]] == ["reader"]
    assert json.loads(files["comments.json"])[0]["body_html"] == "<p>Tell me more!</p>"
    assert json.loads(files["kudos.json"])[0]["work_title"] == "Perfect"
    assert json.loads(files["bookmarks.json"])[0]["tags"] == ["favourites"]
    assert json.loads(files["subscriptions.json"])[0]["title"] == "Perfect"
    assert json.loads(files["history.json"])[0]["later"] is True
    assert "README.txt" in files


def test_export_never_holds_other_users_emails_or_private_notes(busy_reader):
    everything = b"".join(export_of(busy_reader).values())
    assert b"nosy-secret@example.org" not in everything
    assert b"Someone else" not in everything


def test_export_holds_every_own_work_with_epubs_for_posted_ones(author, make_work):
    posted = make_work(title="Perfect", anonymous=True)
    draft = make_work(title="Not yet", state=Work.State.DRAFT)
    files = export_of(author)
    record = json.loads(files[f"works/{posted.pk}-perfect.json"])
    assert record == json.loads(
        json.dumps(work_to_dict(posted, reveal_anonymous=True), ensure_ascii=False)
    )
    assert record["creators"] == [{"pseud": "smolhux", "user": "smolhux"}]
    assert files[f"works/{posted.pk}-perfect.epub"].startswith(b"PK")
    assert f"works/{draft.pk}-not-yet.json" in files
    assert f"works/{draft.pk}-not-yet.epub" not in files


def test_export_queries_do_not_grow_with_the_number_of_works(
    author, make_work, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_work(title="Work 0", chapters=("<p>One.</p>", "<p>Two.</p>"))
    with CaptureQueriesContext(connection) as one_work:
        export_of(author)
    for number in range(1, 6):
        make_work(title=f"Work {number}", chapters=("<p>One.</p>", "<p>Two.</p>"))
    with django_assert_max_num_queries(len(one_work.captured_queries)):
        files = export_of(author)
    assert sum(name.endswith(".epub") for name in files) == 6


def test_download_my_data_sends_a_zip(client, busy_reader):
    client.force_login(busy_reader)
    response = client.post(reverse("portability:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert "profile.json" in zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_download_my_data_is_rate_limited(client, reader, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "data_export": "1/3600"}
    client.force_login(reader)
    assert client.post(reverse("portability:export")).status_code == 200
    response = client.post(reverse("portability:export"), follow=True)
    assert "try again in an hour" in response.content.decode()


def test_download_my_data_needs_a_signed_in_post(client, reader):
    assert client.post(reverse("portability:export")).status_code == 302
    client.force_login(reader)
    assert client.get(reverse("portability:export")).status_code == 405


def test_account_page_offers_the_download(client, reader):
    client.force_login(reader)
    page = client.get(reverse("account:page")).content.decode()
    assert reverse("portability:export") in page


def test_export_user_command_writes_the_zip(busy_reader, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "reader.zip"
    call_command("export-user", "reader", "-o", str(path))
    assert "kudos.json" in zipfile.ZipFile(path).namelist()


def test_export_user_command_names_an_unknown_user(db, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user called 'ghost'"):
        call_command("export-user", "ghost", "-o", str(tmp_path / "x.zip"))


def test_export_holds_the_profile_and_pseud_icons(author):
    from django.core.files.base import ContentFile

    from fanshelf.accounts.profile import edit_profile

    edit_profile(user=author, owner=author, about="<p>Come chat on tumblr</p>", links=[])
    pseud = author.pseuds.get()
    pseud.icon.save("hux.png", ContentFile(b"\x89PNG icon"))
    files = export_of(author)
    profile = json.loads(files["profile.json"])
    assert profile["profile"]["about"] == "<p>Come chat on tumblr</p>"
    icon = profile["pseuds"][0]["icon"]
    assert files[icon] == b"\x89PNG icon"


def test_export_names_a_work_hidden_since_by_its_id_only(busy_reader):
    work = Work.objects.get(title="Perfect")
    Work.objects.filter(pk=work.pk).update(state=Work.State.HIDDEN)  # as a moderator would
    files = export_of(busy_reader)
    assert b"Perfect" not in b"".join(files.values())
    assert json.loads(files["kudos.json"])[0] == {
        "work_id": work.pk,
        "work_title": None,
        "url": None,
        "created_at": json.loads(files["kudos.json"])[0]["created_at"],
    }
