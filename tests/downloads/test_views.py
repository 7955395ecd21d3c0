"""Downloading a work from its page: permissions, addresses, headers, the Download menu."""

import re
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from fanshelf.downloads import formats, services
from fanshelf.downloads.models import DownloadFile
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db

AVAILABLE = services.available_extensions()


def url(work, extension="txt", slug="perfect"):
    return reverse(
        "downloads:file", kwargs={"work_id": work.pk, "slug": slug, "extension": extension}
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def looks_like(extension: str, content: bytes) -> bool:
    """Whether ``content`` is a file of this format at first sight (the format tests check
    the rest)."""
    if extension == "epub":
        with zipfile.ZipFile(BytesIO(content)) as epub:
            return epub.read("mimetype") == b"application/epub+zip"
    if extension == "pdf":
        return content.startswith(b"%PDF-")
    if extension == "html":
        return content.lstrip().lower().startswith(b"<!doctype html")
    return b"Perfect" in content and content.decode("utf-8")


def test_the_address_is_the_works_address_with_download_slug_and_format(make_work):
    work = make_work()
    assert url(work) == f"/works/{work.pk}/download/perfect.txt"


@pytest.mark.parametrize("extension", AVAILABLE)
def test_guest_downloads_a_posted_work_in_each_format(client, make_work, extension):
    work = make_work()
    response = client.get(url(work, extension))
    assert response.status_code == 200
    assert response["Content-Type"] == formats.media_type(extension)
    assert response["Content-Disposition"] == f'attachment; filename="perfect.{extension}"'
    assert looks_like(extension, body(response))


def test_the_file_carries_its_revision_and_may_be_cached_publicly(client, make_work):
    work = make_work()
    response = client.get(url(work))
    revision = DownloadFile.objects.get().revision
    assert response["ETag"] == f'"{revision}"'
    assert response["Cache-Control"].startswith("public, max-age=")
    assert f"downloads/{work.pk}/{revision}.txt" == DownloadFile.objects.get().name


def test_a_known_revision_answers_not_modified(client, make_work):
    work = make_work()
    etag = client.get(url(work))["ETag"]
    response = client.get(url(work), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_guest_gets_404_for_a_restricted_work(client, make_work):
    work = make_work(restricted=True)
    response = client.get(url(work))
    assert response.status_code == 404
    assert b"you cannot see it" in response.content
    assert not DownloadFile.objects.exists()


def test_logged_in_reader_downloads_a_restricted_work_privately(client, make_work, reader):
    work = make_work(restricted=True)
    client.force_login(reader)
    response = client.get(url(work))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private, max-age=")
    assert b"Perfect" in body(response)


def test_a_draft_is_never_downloaded_not_even_by_its_creator(client, make_work, author):
    draft = make_work(state=Work.State.DRAFT)
    client.force_login(author)
    response = client.get(url(draft))
    assert response.status_code == 404
    assert b"Drafts cannot be downloaded" in response.content


def test_an_anonymous_work_does_not_reveal_its_creator(client, make_work):
    work = make_work(anonymous=True)
    content = body(client.get(url(work)))
    assert b"Anonymous" in content
    assert b"smolhux" not in content


def test_a_wrong_slug_redirects_permanently_to_the_right_one(client, make_work):
    work = make_work(title="Perfect: A Kylux Story!")
    response = client.get(url(work, slug="old-title"))
    assert response.status_code == 301
    assert response["Location"] == f"/works/{work.pk}/download/perfect-a-kylux-story.txt"
    assert not DownloadFile.objects.exists()


def test_a_title_without_letters_gets_a_slug_from_the_work_id(client, make_work):
    work = make_work(title="！？")
    response = client.get(url(work, slug=f"work-{work.pk}"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="work-{work.pk}.txt"'


@pytest.mark.parametrize("extension", ["mobi", "TXT", "txt.zip", "exe"])
def test_an_unknown_format_is_404(client, make_work, extension):
    work = make_work()
    response = client.get(url(work, extension))
    assert response.status_code == 404


def test_a_missing_work_is_404(client, db):
    response = client.get("/works/987654/download/perfect.txt")
    assert response.status_code == 404


def test_only_reading_methods_are_allowed(client, make_work):
    assert client.post(url(make_work())).status_code == 405


def test_a_long_work_answers_being_prepared_then_sends_the_file(client, make_work, settings):
    settings.FANSHELF_DOWNLOADS_ASYNC_WORDS = 5
    work = make_work(chapters=["<p>Kylo had always seen Hux as perfect, from the start.</p>"])
    response = client.get(url(work))
    assert response.status_code == 202
    assert response["Refresh"] == "5"
    assert "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    assert "is being prepared" in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert f'href="/works/{work.pk}/"' in page
    # The worker (run at once in tests) wrote it: the refresh gets the file.
    response = client.get(url(work))
    assert response.status_code == 200
    assert b"Perfect" in body(response)


def test_a_stored_file_is_sent_with_few_queries(client, make_work, django_assert_max_num_queries):
    work = make_work()
    client.get(url(work))
    with django_assert_max_num_queries(8):
        response = client.get(url(work))
    assert response.status_code == 200


# --- the Download menu --------------------------------------------------------------


def menu_links(html: str) -> list[tuple[str, str]]:
    menu = re.search(r'<details class="download-menu">.*?</details>', html, re.S)
    assert menu, "no Download menu on the page"
    return re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', menu.group(0))


def test_the_work_page_has_a_download_menu_whose_links_work(client, make_work):
    work = make_work()
    page = client.get(work.get_absolute_url()).content.decode()
    assert "<summary>Download</summary>" in page
    links = menu_links(page)
    assert [label for _, label in links] == [extension.upper() for extension in AVAILABLE]
    for href, label in links:
        assert href == url(work, label.lower())
        assert client.get(href).status_code == 200


def test_a_draft_page_has_no_download_menu(client, make_work, author):
    draft = make_work(state=Work.State.DRAFT)
    client.force_login(author)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "download-menu" not in page
