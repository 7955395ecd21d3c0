"""The page a form over Django's body limits gets (fanshelf.core.limits)."""

import pytest


@pytest.fixture
def small_limits(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10


def test_a_form_over_the_size_limit_gets_413_naming_the_limit(client, db, small_limits):
    response = client.post("/login/", {"username": "a" * 5000, "password": "x"})

    assert response.status_code == 413
    page = response.content.decode()
    assert "more than 2.0\xa0KB of text" in page
    assert "split it into two chapters" in page
    assert "Nothing was saved" in page


def test_a_form_with_too_many_fields_gets_413_naming_the_count(client, db, small_limits):
    response = client.post("/login/", {f"field{number}": "x" for number in range(20)})

    assert response.status_code == 413
    assert "more than 10 fields" in response.content.decode()


def test_a_signed_in_fan_gets_the_page_with_the_site_header(client, reader, small_limits):
    client.force_login(reader)

    response = client.post("/works/new/", {"content": "a" * 5000})

    assert response.status_code == 413
    assert reader.username in response.content.decode()


def test_other_bad_requests_keep_the_plain_400_page(client, db):
    response = client.get("/", HTTP_HOST="not-this-archive.example")

    assert response.status_code == 400


def test_the_limits_fit_the_largest_chapter_and_the_import_preview(settings):
    from fanshelf.works.models import CHAPTER_MAX_LENGTH

    # Every character of a chapter as 4 UTF-8 bytes, each URL-encoded as %XX.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= CHAPTER_MAX_LENGTH * 4 * 3
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= settings.FANSHELF_IMPORT_MAX_FILES * 100
