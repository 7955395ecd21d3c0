"""Counts and metadata: facets, creator pages, exports and downloads give nothing away."""

import io
import re
import zipfile

import pytest

from tests.privacy.world import ANONYMOUS_PSEUD, FANDOM, build_world


@pytest.fixture
def world(db, settings):
    settings.RATE_LIMITS_ENABLED = False
    return build_world()


def _facet_count(html: str, name: str) -> int:
    found = re.search(rf"{name} <span class=\"count\">\((\d+)\)</span>", html)
    assert found, f"no facet for {name}"
    return int(found.group(1))


def _works_count(html: str) -> str:
    return re.search(r"of (\d+) works?", html).group(1)


@pytest.mark.parametrize(("role", "expected"), [("guest", 2), ("reader", 3), ("moderator", 3)])
def test_facet_and_result_counts_leave_out_what_the_viewer_may_not_read(
    client, world, role, expected
):
    if role != "guest":
        client.force_login(world.users[role])
    html = client.get("/works/").content.decode()
    assert _facet_count(html, FANDOM) == expected
    assert _works_count(html) == str(expected)


@pytest.mark.parametrize(("role", "expected"), [("guest", "1 work"), ("reader", "2 works")])
def test_creator_pages_do_not_count_anonymous_restricted_or_unposted_works(
    client, world, role, expected
):
    if role != "guest":
        client.force_login(world.users[role])
    html = client.get("/users/quill/pseuds/").content.decode()
    assert expected in html
    # The anonymous work's pseud is credited with nothing that others can see.
    works = client.get(f"/users/quill/pseuds/{ANONYMOUS_PSEUD}/works/").content.decode()
    assert "Zorbtitleanonymous" not in works


def test_export_of_an_anonymous_work_names_no_creator(world):
    from fanshelf.works.export import work_to_dict

    data = work_to_dict(world.works["anonymous"])
    assert data["creators"] == []
    assert "quill" not in str(data).replace("Masquerade", "")
    revealed = work_to_dict(world.works["anonymous"], reveal_anonymous=True)
    assert {c["pseud"] for c in revealed["creators"]} == {ANONYMOUS_PSEUD, "cowriter"}


@pytest.mark.parametrize("extension", ["epub", "html", "pdf"])
def test_downloads_of_an_anonymous_work_say_anonymous(client, world, extension):

    client.force_login(world.users["reader"])
    work = world.works["anonymous"]
    response = client.get(f"/works/{work.pk}/download/x.{extension}", follow=True)
    assert response.status_code == 200
    text = _download_text(response, extension)
    assert "Anonymous" in text
    for name in (ANONYMOUS_PSEUD, ">quill<", ">cowriter<", "by quill", "by cowriter"):
        assert name not in text


def _download_text(response, extension: str) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if extension == "epub":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    if extension == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
        return metadata + "\n" + "\n".join(page.extract_text() for page in reader.pages)
    return content.decode("utf-8")
