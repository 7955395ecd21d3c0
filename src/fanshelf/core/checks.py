"""Fanshelf's own system checks: configuration problems in plain words.

They run with Django's (``fanshelf check``); the ones that need the network (every
database and cache answers) run only with ``fanshelf check --deploy``. Each message
names the environment variable that fixes it.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from fanshelf.core.health import check_cache, check_database

# Django's own "insecure" prefix, and the shortest key Django's deploy check accepts.
INSECURE_PREFIX = "django-insecure-"
MIN_SECRET_KEY_LENGTH = 50


@register(Tags.security)
def check_secret_key(app_configs, **kwargs):
    """fanshelf.E001: a guessable secret key while DEBUG is off."""
    key = settings.SECRET_KEY or ""
    if settings.DEBUG:
        return []
    if key.startswith(INSECURE_PREFIX) or len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        return [
            Error(
                "The secret key is too short or a development default, so sessions and "
                "password-reset links could be forged.",
                hint=(
                    f"Set FANSHELF_SECRET_KEY to a long random value (at least "
                    f"{MIN_SECRET_KEY_LENGTH} characters), or unset it to use the key "
                    "generated in the data directory."
                ),
                id="fanshelf.E001",
            )
        ]
    return []


@register(Tags.security)
def check_allowed_hosts(app_configs, **kwargs):
    """fanshelf.E002: no allowed host names while DEBUG is off."""
    if settings.DEBUG or settings.ALLOWED_HOSTS:
        return []
    return [
        Error(
            "No host names are allowed, so every request would be refused.",
            hint="Set FANSHELF_ALLOWED_HOSTS to the host name, e.g. fanshelf.example.org.",
            id="fanshelf.E002",
        )
    ]


@register(Tags.database, deploy=True)
def check_databases_reachable(app_configs, databases=None, **kwargs):
    """fanshelf.E003: a database that does not answer (with --deploy).

    Every configured alias, or those named with --database. Django's own checks that
    need a database connect without catching errors, so this one runs under --deploy,
    where they do not.
    """
    return [
        Error(
            f"The {reason}.",
            hint="Check FANSHELF_DATABASE_URL and that the database server is running.",
            id="fanshelf.E003",
        )
        for alias in (settings.DATABASES if databases is None else databases)
        if (reason := check_database(alias))
    ]


@register(Tags.caches, deploy=True)
def check_caches_reachable(app_configs, **kwargs):
    """fanshelf.E004: a cache that does not store and return a value (with --deploy)."""
    return [
        Error(
            f"The {reason}.",
            hint="Check FANSHELF_REDIS_URL and that the cache server is running.",
            id="fanshelf.E004",
        )
        for alias in settings.CACHES
        if (reason := check_cache(alias))
    ]


def nearest_existing(path: Path) -> Path:
    """The path itself, or the closest parent that exists (where it would be created)."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@register()
def check_directories_writable(app_configs, **kwargs):
    """fanshelf.E005: the data or media directory cannot be written."""
    errors = []
    for label, variable, directory in (
        ("data", "FANSHELF_DATA_DIR", settings.DATA_DIR),
        ("media", "FANSHELF_DATA_DIR (media is its media/ folder)", settings.MEDIA_ROOT),
    ):
        existing = nearest_existing(directory)
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            errors.append(
                Error(
                    f"The {label} directory {directory} cannot be written by this user.",
                    hint=f"Set {variable} to a directory this user may write, or fix its owner.",
                    id="fanshelf.E005",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_secure_cookies(app_configs, **kwargs):
    """fanshelf.W001: cookies may travel over plain http (with --deploy)."""
    if settings.SESSION_COOKIE_SECURE:
        return []
    return [
        Warning(
            "Session and CSRF cookies may be sent over plain http, and HSTS is off.",
            hint="Serve the archive over HTTPS and set FANSHELF_SECURE_COOKIES=1.",
            id="fanshelf.W001",
        )
    ]
