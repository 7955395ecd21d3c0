"""Security headers on pages, API answers, error pages and static files; HTTPS settings."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import include, path

import fanshelf
from fanshelf.core.security import HEADER

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' http: https: data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SETTINGS_FILE = Path(fanshelf.__file__).with_name("settings.py")
TEMPLATES_DIR = Path(fanshelf.__file__).with_name("templates")


def _broken_view(request):
    raise RuntimeError("a bug in a view")


def _forbidden_view(request):
    raise PermissionDenied


# The site's own urls plus two that fail, for the 403 and 500 pages
# (used with pytest.mark.urls(__name__)).
urlpatterns = [
    path("broken/", _broken_view),
    path("forbidden/", _forbidden_view),
    path("", include("fanshelf.urls")),
]


def assert_security_headers(response):
    assert response["Content-Security-Policy"] == STRICT_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_policy_allows_only_the_archives_own_scripts_and_styles():
    directives = dict(part.split(" ", 1) for part in HEADER.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in HEADER
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/works/", "/login/", "/signup/"])
def test_guest_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/works/new/", "/works/import/"])
def test_pages_for_a_logged_in_fan_carry_the_security_headers(client, reader, url):
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_a_work_page_carries_the_security_headers(client, make_work):
    work = make_work(title="Come Find Me")
    response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/works", "/api/v1/no-such-endpoint"])
def test_api_json_answers_carry_the_security_headers(client, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/json")
    assert_security_headers(response)


@pytest.mark.django_db
def test_the_not_found_page_carries_the_security_headers(client):
    response = client.get("/works/999999/")
    assert response.status_code == 404
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_forbidden_page_carries_the_security_headers(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_server_error_page_carries_the_security_headers(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert_security_headers(response)


@pytest.mark.django_db
def test_static_files_carry_the_policy_too(client):
    response = client.get("/static/fanshelf/fanshelf.css")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/")


@pytest.mark.django_db
def test_hsts_is_sent_on_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.django_db
def test_a_proxys_forwarded_proto_counts_only_when_trusted(client, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    forwarded = {"HTTP_X_FORWARDED_PROTO": "https"}
    assert "Strict-Transport-Security" not in client.get("/", **forwarded)

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/", **forwarded)
    assert response["Strict-Transport-Security"] == "max-age=3600"


@pytest.mark.django_db
def test_secure_cookies_are_marked_secure(client, settings, reader):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.get("/login/")
    assert response.cookies["csrftoken"]["secure"] is True
    response = client.post(
        "/login/",
        {
            "username": "reader",
            "password": "correct horse battery",
            "csrfmiddlewaretoken": response.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True


def load_settings(monkeypatch, tmp_path, **environ):
    """Read settings.py afresh with ``environ``, as a new process would."""
    monkeypatch.setenv("FANSHELF_DATA_DIR", str(tmp_path))
    for name in (
        "FANSHELF_SECURE_COOKIES",
        "FANSHELF_HSTS_SECONDS",
        "FANSHELF_TRUST_X_FORWARDED_PROTO",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("fanshelf_settings_copy", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_by_default_cookies_are_not_secure_and_there_is_no_hsts(monkeypatch, tmp_path):
    loaded = load_settings(monkeypatch, tmp_path)
    assert loaded.SESSION_COOKIE_SECURE is False
    assert loaded.CSRF_COOKIE_SECURE is False
    assert loaded.SECURE_HSTS_SECONDS == 0
    assert not hasattr(loaded, "SECURE_PROXY_SSL_HEADER")


def test_fanshelf_secure_cookies_turns_on_secure_cookies_and_hsts(monkeypatch, tmp_path):
    loaded = load_settings(monkeypatch, tmp_path, FANSHELF_SECURE_COOKIES="1")
    assert loaded.SESSION_COOKIE_SECURE is True
    assert loaded.CSRF_COOKIE_SECURE is True
    assert loaded.SECURE_HSTS_SECONDS == 31536000
    assert loaded.X_FRAME_OPTIONS == "DENY"


def test_the_proxy_header_is_trusted_only_when_asked(monkeypatch, tmp_path):
    loaded = load_settings(
        monkeypatch,
        tmp_path,
        FANSHELF_SECURE_COOKIES="1",
        FANSHELF_HSTS_SECONDS="600",
        FANSHELF_TRUST_X_FORWARDED_PROTO="1",
    )
    assert loaded.SECURE_HSTS_SECONDS == 600
    assert loaded.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_the_middleware_is_installed_before_whitenoise(monkeypatch, tmp_path):
    middleware = load_settings(monkeypatch, tmp_path).MIDDLEWARE
    assert middleware.index("fanshelf.core.security.ContentSecurityPolicyMiddleware") < (
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    )


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>"  # a script element without src
    r"|\son[a-z]+\s*="  # an inline event handler
    r"|\sstyle\s*="  # a style attribute
    r"|<style[\s>]"  # a style element
    r"|javascript:",
    re.IGNORECASE,
)


# Downloaded books are files opened from the reader's disk, not pages of the archive:
# they keep their stylesheet inline, and the policy never applies to them.
DOWNLOADED_FILES = TEMPLATES_DIR / "downloads" / "html"


def test_no_template_holds_inline_scripts_handlers_or_styles():
    found = [
        f"{template.relative_to(TEMPLATES_DIR)}: {match.group(0)!r}"
        for template in sorted(TEMPLATES_DIR.rglob("*.html"))
        if not template.is_relative_to(DOWNLOADED_FILES)
        for match in INLINE_CODE.finditer(template.read_text(encoding="utf-8"))
    ]
    assert not found, "the Content-Security-Policy would block:\n" + "\n".join(found)
