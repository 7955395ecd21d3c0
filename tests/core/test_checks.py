"""Fanshelf's system checks name the problem and the variable that fixes it."""

import os

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def fanshelf_ids(**kwargs):
    return sorted(
        message.id for message in run_checks(**kwargs) if message.id.startswith("fanshelf.")
    )


@pytest.fixture
def production(db, settings, tmp_path):
    """A correct production configuration; each test breaks one thing.

    ``db``: the deploy checks ask the database for ``SELECT 1``.
    """
    settings.DEBUG = False
    settings.SECRET_KEY = GOOD_KEY
    settings.ALLOWED_HOSTS = ["fanshelf.example.org"]
    settings.SESSION_COOKIE_SECURE = True
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = settings.DATA_DIR / "media"
    return settings


def test_a_correct_configuration_raises_nothing(production):
    assert fanshelf_ids(include_deployment_checks=True) == []


@pytest.mark.parametrize("key", ["short-key", "django-insecure-" + "x" * 60, "ab" * 40])
def test_a_weak_secret_key_is_an_error_while_debug_is_off(production, key):
    production.SECRET_KEY = key
    (error,) = [m for m in run_checks() if m.id == "fanshelf.E001"]
    assert "FANSHELF_SECRET_KEY" in error.hint


def test_a_weak_secret_key_is_allowed_while_debugging(production):
    production.SECRET_KEY = "short-key"
    production.DEBUG = True
    assert "fanshelf.E001" not in fanshelf_ids()


def test_no_allowed_hosts_is_an_error_while_debug_is_off(production):
    production.ALLOWED_HOSTS = []
    assert fanshelf_ids() == ["fanshelf.E002"]
    production.DEBUG = True
    assert fanshelf_ids() == []


def test_an_unreachable_database_is_an_error_under_deploy(production, broken_database):
    assert fanshelf_ids() == []
    (error,) = [m for m in run_checks(include_deployment_checks=True) if m.id == "fanshelf.E003"]
    assert "database 'broken' could not be reached" in error.msg
    assert "FANSHELF_DATABASE_URL" in error.hint


def test_an_unreachable_cache_is_an_error_under_deploy(production, unreachable_cache):
    production.CACHES = {**production.CACHES, "broken": {"BACKEND": unreachable_cache}}
    assert fanshelf_ids() == []
    assert fanshelf_ids(include_deployment_checks=True) == ["fanshelf.E004"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_media_directory_is_an_error(production):
    production.DATA_DIR.chmod(0o500)
    try:
        assert fanshelf_ids() == ["fanshelf.E005", "fanshelf.E005"]
    finally:
        production.DATA_DIR.chmod(0o700)


def test_a_data_directory_that_is_a_file_is_an_error(production):
    production.MEDIA_ROOT.write_text("not a directory")
    (error,) = [m for m in run_checks() if m.id == "fanshelf.E005"]
    assert "media directory" in error.msg
    assert "FANSHELF_DATA_DIR" in error.hint


def test_insecure_cookies_are_a_warning_under_deploy(production):
    production.SESSION_COOKIE_SECURE = False
    assert fanshelf_ids() == []
    (warning,) = [m for m in run_checks(include_deployment_checks=True) if m.id == "fanshelf.W001"]
    assert "FANSHELF_SECURE_COOKIES=1" in warning.hint


def test_fanshelf_check_fails_with_the_message(production, capsys):
    production.ALLOWED_HOSTS = []
    with pytest.raises(SystemCheckError, match="Set FANSHELF_ALLOWED_HOSTS"):
        call_command("check")


def test_fanshelf_check_passes_in_the_development_setup(capsys):
    call_command("check")
    assert "no issues" in capsys.readouterr().out
