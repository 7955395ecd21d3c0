"""Fanshelf settings, read from the environment only.

Every knob is a ``FANSHELF_*`` variable with a safe default, so the same file serves
a laptop (one SQLite file under ``var/``) and a cluster (PostgreSQL, Redis).
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("FANSHELF_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def load_secret_key() -> str:
    """Use FANSHELF_SECRET_KEY, or a key generated once and kept in the data dir."""
    if key := os.environ.get("FANSHELF_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = load_secret_key()
DEBUG = env_bool("FANSHELF_DEBUG")
ALLOWED_HOSTS = env_list("FANSHELF_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("FANSHELF_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "fanshelf.core",
    "fanshelf.accounts",
    "fanshelf.tags",
    "fanshelf.works",
    "fanshelf.discovery",
    "fanshelf.feedback",
    "fanshelf.bookmarks",
    "fanshelf.notifications",
    "fanshelf.reading",
    "fanshelf.muting",
    "fanshelf.downloads",
    "fanshelf.imports",
    "fanshelf.moderation",
    "fanshelf.portability",
    "fanshelf.api",
    # Listed so the API docs use django-ninja's bundled Swagger UI, not a CDN.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

# Django's model backend, loading the signed-in user with their preferences and
# sanction state in one query (fanshelf.core.auth).
AUTHENTICATION_BACKENDS = ["fanshelf.core.auth.ArchiveBackend"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # One line per request to the fanshelf.requests log (method, path, status, ms, user id).
    "fanshelf.core.timing.RequestTimingMiddleware",
    # Before WhiteNoise, so static files carry the policy too.
    "fanshelf.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The reader's chosen time zone for dates on pages (one cached preference query).
    "fanshelf.reading.timezone.ReaderTimeZoneMiddleware",
    # A banned user's session ends; the sanction is read once for the banner too.
    "fanshelf.moderation.sessions.EndBannedSessionsMiddleware",
    # Security events met inside a rolled-back transaction are written afterwards.
    "fanshelf.moderation.security.SecurityEventMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so its process_exception sees a view's errors first: a database that is
    # away answers 503 with Retry-After, not 500 (handler500 covers the middleware).
    "fanshelf.core.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "fanshelf.urls"
WSGI_APPLICATION = "fanshelf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The unread count in the header ("Inbox (3)"): one count, only when shown.
                "fanshelf.notifications.context_processors.inbox",
                # The sanction banner, and the open-report count for moderators.
                "fanshelf.moderation.context_processors.moderation",
                # While a guest page is rendered for the cache: a placeholder CSRF token.
                "fanshelf.core.pagecache.csrf_placeholder",
            ],
        },
    },
]


def database_config(url: str | None = None) -> dict:
    """`url` (a replica's), else FANSHELF_DATABASE_URL, else an SQLite file in WAL mode."""
    url = url or os.environ.get("FANSHELF_DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "fanshelf.sqlite3",
            # Each web thread keeps its connection: opening one reads the whole schema
            # and runs the PRAGMAs below, which cost a cached work page more than
            # everything else it does (docs/performance.md).
            "CONN_MAX_AGE": int(os.environ.get("FANSHELF_SQLITE_CONN_MAX_AGE", "600")),
            "CONN_HEALTH_CHECKS": True,
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while a writer commits; IMMEDIATE avoids the
        # "database is locked" upgrade deadlock between two writers.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            # Seconds a writer waits for another's lock before "database is locked"
            # (then a 503 page, fanshelf.core.unavailable).
            "timeout": float(os.environ.get("FANSHELF_SQLITE_TIMEOUT", "20")),
            # A 64 MB page cache per connection and the file mapped into memory (up
            # to 1 GB, shared by every process): listings read thousands of rows
            # scattered through the file, and one read() per 4 kB page was most of
            # their time at a million works (docs/performance.md).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;"
            ),
        }
    return config


DATABASES = {"default": database_config()}

# Read replicas (fanshelf.core.routers): reads go to one of them, writes and a
# writer's own reads for FANSHELF_REPLICA_PIN_SECONDS afterwards to the primary.
# Tests use the primary for every alias (TEST MIRROR).
for number, replica_url in enumerate(env_list("FANSHELF_DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = {**database_config(replica_url), "TEST": {"MIRROR": "default"}}
FANSHELF_REPLICA_PIN_SECONDS = int(os.environ.get("FANSHELF_REPLICA_PIN_SECONDS", "10"))
# A replica that failed a query gets no reads from that process for this long.
FANSHELF_REPLICA_AWAY_SECONDS = int(os.environ.get("FANSHELF_REPLICA_AWAY_SECONDS", "30"))
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["fanshelf.core.routers.ReplicaRouter"]
    # First, so the session and user loads and the session save run inside it.
    MIDDLEWARE.insert(0, "fanshelf.core.routers.PinAfterWriteMiddleware")

# Background tasks (Django's tasks API, backported by django-tasks), run by `fanshelf
# worker`: queued in the database by default, in Redis (RQ) when FANSHELF_REDIS_URL is
# set. FANSHELF_TASK_BACKEND=db|rq chooses (or a backend's dotted path). A failed task
# is retried TASK_MAX_ATTEMPTS times in all, after TASK_BACKOFF_SECONDS × 2^n
# (fanshelf.core.tasks).
TASK_BACKENDS = {"db": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
TASK_BACKEND = os.environ.get(
    "FANSHELF_TASK_BACKEND", "rq" if os.environ.get("FANSHELF_REDIS_URL") else "db"
)
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(TASK_BACKEND, TASK_BACKEND)}}
if TASKS["default"]["BACKEND"] == TASK_BACKENDS["rq"]:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("FANSHELF_REDIS_URL", "redis://127.0.0.1:6379/0"),
            # Writing a long work's download or importing a big file can take minutes.
            "DEFAULT_TIMEOUT": 1800,
        }
    }
TASK_MAX_ATTEMPTS = int(os.environ.get("FANSHELF_TASK_MAX_ATTEMPTS", "5"))
TASK_BACKOFF_SECONDS = float(os.environ.get("FANSHELF_TASK_BACKOFF_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# Uploaded and generated files (pseud icons, downloads) go through Django's default
# storage: a folder, FANSHELF_MEDIA_ROOT (the data dir's media/ by default; with
# several web machines, one they share), or any Django storage backend
# (FANSHELF_MEDIA_STORAGE, a dotted path, with FANSHELF_MEDIA_STORAGE_OPTIONS as a
# JSON object, e.g. an object store's backend from django-storages).
MEDIA_URL = os.environ.get("FANSHELF_MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("FANSHELF_MEDIA_ROOT") or DATA_DIR / "media")


def media_storage() -> dict:
    default = "django.core.files.storage.FileSystemStorage"
    backend = os.environ.get("FANSHELF_MEDIA_STORAGE", default)
    try:
        options = json.loads(os.environ.get("FANSHELF_MEDIA_STORAGE_OPTIONS") or "{}")
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"FANSHELF_MEDIA_STORAGE_OPTIONS is not JSON: {error}") from None
    if not isinstance(options, dict):
        raise ImproperlyConfigured("FANSHELF_MEDIA_STORAGE_OPTIONS must be a JSON object.")
    return {"BACKEND": backend, "OPTIONS": options}


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The Content-Security-Policy is fanshelf.core.security's (no inline scripts or styles).
# FANSHELF_SECURE_COOKIES=1 when the archive is served over HTTPS: cookies only travel
# over HTTPS and browsers are told (HSTS) to use nothing else for FANSHELF_HSTS_SECONDS.
SESSION_COOKIE_SECURE = env_bool("FANSHELF_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(
    os.environ.get("FANSHELF_HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0")
)
# Behind a proxy that ends TLS, Django sees plain http (so no HSTS header) unless it
# trusts the proxy's X-Forwarded-Proto. Turn this on only when the proxy always sets
# that header itself (docs/deploy.md): a client could otherwise claim https.
if env_bool("FANSHELF_TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Rate limits, "count/seconds" per action; see fanshelf.core.ratelimit. Each can be
# changed with FANSHELF_RATE_LIMIT_<NAME> (e.g. FANSHELF_RATE_LIMIT_COMMENT=5/600);
# FANSHELF_RATE_LIMITS=0 turns every limit off (load tests, benchmarks).
RATE_LIMITS_ENABLED = env_bool("FANSHELF_RATE_LIMITS", default=True)
RATE_LIMITS = {
    name: os.environ.get(f"FANSHELF_RATE_LIMIT_{name.upper()}", default)
    for name, default in {
        # AO3's setting: three comments per fifteen minutes, per user and per address.
        "comment": "3/900",
        # Reports of works, comments, users, bookmarks: per user, or per address.
        "report": "10/3600",
        "kudos": "60/3600",
        "bookmark": "60/3600",
        "subscription": "60/3600",
        # Asking for a link to claim archived works (imports.archive): per user.
        "claim": "5/3600",
        # Uploads to "Import a work" (imports.views): per user.
        "import": "20/3600",
        # Log-in attempts (accounts.login): per account name, and per address.
        "login": "10/900",
        "login_address": "30/900",
        # Password reset emails: per email and per address.
        "password_reset": "5/3600",
        # "Send the confirmation email again": per user and per address.
        "confirmation_email": "3/3600",
        # Sign-ups and invitation requests: per address.
        "sign_up": "10/3600",
        # "Download my data" (portability): per user; each builds a zip of everything.
        "data_export": "3/3600",
        "invitation_request": "5/3600",
        # Every API request (api.urls): per bearer token, or per address without one.
        "api": "300/60",
    }.items()
}

# Hits wait in each web process's buffer (fanshelf.reading.hits) until it is this many
# seconds old or holds this many (work, day) pairs; then one task carries them to the
# database. Lower values: fresher counts, more queue rows.
# Django's cache holds rate-limit counts, hit buffers and dedupe keys: in each
# process's memory by default, with room for 50,000 keys (Django's default of 300
# would evict the hit buffer of a busy process before it is flushed).
# FANSHELF_REDIS_URL (redis://host:6379/0, or unix:///run/redis.sock?db=0) puts the
# cache in Redis, shared by every process: rate limits then count across them all.
# Without it each process has its own memory cache. A lost Redis degrades to no
# cache, never to errors (fanshelf.core.cache).
REDIS_URL = os.environ.get("FANSHELF_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "fanshelf.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FANSHELF_CACHE_ENTRIES", "50000"))},
        }
    }

# Whole pages for guests (fanshelf.core.pagecache): work pages for
# FANSHELF_PAGE_CACHE_SECONDS, listings for FANSHELF_LISTING_CACHE_SECONDS (their
# kudos and hit counts are only refreshed this often); 0 turns either off. They live
# in the "pages" cache: Redis when set, else files under the data dir that every web
# process on this machine shares (one process's memory would not hear of another's
# changes).
PAGE_CACHE_SECONDS = int(os.environ.get("FANSHELF_PAGE_CACHE_SECONDS", "600"))
LISTING_CACHE_SECONDS = int(os.environ.get("FANSHELF_LISTING_CACHE_SECONDS", "60"))
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
else:
    CACHES["pages"] = {
        # Django's file cache, counting its files at most every 30 s (core/filecache.py).
        "BACKEND": "fanshelf.core.filecache.FilePageCache",
        "LOCATION": str(DATA_DIR / "cache" / "pages"),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FANSHELF_PAGE_CACHE_ENTRIES", "10000"))},
    }

# Proxies whose X-Forwarded-For is believed (addresses or networks, e.g.
# "127.0.0.1,10.0.0.0/24"): behind them, rate limits, hit counts and guest kudos go by
# the reader's address instead of the proxy's (fanshelf.core.ratelimit.client_ip).
TRUSTED_PROXIES = env_list("FANSHELF_TRUSTED_PROXIES")

HITS_FLUSH_SECONDS = int(os.environ.get("FANSHELF_HITS_FLUSH_SECONDS", "60"))
HITS_FLUSH_ENTRIES = int(os.environ.get("FANSHELF_HITS_FLUSH_ENTRIES", "500"))

# The spam check each new comment passes: a dotted path to a function
# check(comment_text, *, user, guest_email) -> reason or None (fanshelf.feedback.spam).
SPAM_CHECK = os.environ.get("FANSHELF_SPAM_CHECK", "fanshelf.feedback.spam.looks_like_spam")

# Email: the console by default (messages are printed by the worker); SMTP when
# FANSHELF_EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("FANSHELF_EMAIL_FROM", "Fanshelf <fanshelf@localhost>")
EMAIL_HOST = os.environ.get("FANSHELF_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "FANSHELF_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("FANSHELF_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("FANSHELF_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FANSHELF_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("FANSHELF_EMAIL_TLS", default=bool(EMAIL_HOST))
# Notification emails: one per notification while at most this many are waiting for a
# reader, one digest of them all once more arrive ("5 new notifications on Fanshelf").
FANSHELF_EMAIL_DIGEST_AFTER = int(os.environ.get("FANSHELF_EMAIL_DIGEST_AFTER", "3"))

# Downloads of works longer than this many words are written by the worker (the reader
# sees "being prepared" until the file is stored); shorter ones during the request.
FANSHELF_DOWNLOADS_ASYNC_WORDS = int(os.environ.get("FANSHELF_DOWNLOADS_ASYNC_WORDS", "200000"))
# PDFs take about a hundred times as long per word: their own limit (docs/performance.md).
FANSHELF_DOWNLOADS_ASYNC_PDF_WORDS = int(
    os.environ.get("FANSHELF_DOWNLOADS_ASYNC_PDF_WORDS", "20000")
)

# The public address used in exports and downloads ("read it at …").
SITE_URL = os.environ.get("FANSHELF_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# "Import a work" on the web: the most bytes and files one upload may carry. Django's
# DATA_UPLOAD_MAX_NUMBER_FILES (100) stays above the file limit, so the form can say
# so; uploads over FILE_UPLOAD_MAX_MEMORY_SIZE wait in temporary files, not in memory.
FANSHELF_IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("FANSHELF_IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
)
FANSHELF_IMPORT_MAX_FILES = int(os.environ.get("FANSHELF_IMPORT_MAX_FILES", "50"))

# Request bodies (docs/deploy.md, "Request limits"). The largest legitimate form is a
# chapter: 510,000 characters (works.models.CHAPTER_MAX_LENGTH), up to 4 bytes each in
# UTF-8 and 3 characters per byte once URL-encoded, about 6.1 MB, plus notes: 8 MB.
# Uploaded files do not count against it; they are bounded by the import limits above
# and wait in temporary files once over FILE_UPLOAD_MAX_MEMORY_SIZE. A form over either
# number gets a 413 page naming the limit (fanshelf.core.limits). The most fields: the
# import preview, a tick, a title and a box per suggested tag (up to 75 freeform tags
# and the rest) for each of FANSHELF_IMPORT_MAX_FILES works, about 5,000: 10,000.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FANSHELF_MAX_FORM_BYTES", str(8 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("FANSHELF_MAX_FORM_FIELDS", "10000"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# How long a link to claim archived works (emailed by imports.archive) stays valid.
FANSHELF_CLAIM_LINK_SECONDS = int(os.environ.get("FANSHELF_CLAIM_LINK_SECONDS", str(7 * 86400)))

# How many users one person may mute, and block (fanshelf.muting): every listing the
# muter opens excludes their muted users, so the list stays bounded.
FANSHELF_MUTE_LIMIT = int(os.environ.get("FANSHELF_MUTE_LIMIT", "2000"))
FANSHELF_BLOCK_LIMIT = int(os.environ.get("FANSHELF_BLOCK_LIMIT", "2000"))

# Pseuds (fanshelf.accounts.pseuds): how many names one user may write under, and the
# largest icon upload accepted (it is re-encoded to a 100×100 PNG in MEDIA_ROOT/icons).
FANSHELF_MAX_PSEUDS = int(os.environ.get("FANSHELF_MAX_PSEUDS", "20"))
FANSHELF_ICON_MAX_BYTES = int(os.environ.get("FANSHELF_ICON_MAX_BYTES", str(500 * 1024)))

# Accounts (fanshelf.accounts): sign-up "open" or by "invitation" (a queue served by
# `fanshelf invitations send`, at most FANSHELF_INVITATIONS_PER_DAY a day); how long
# an email-confirmation link stays valid; the account that keeps orphaned works.
FANSHELF_SIGNUP = os.environ.get("FANSHELF_SIGNUP", "open")
FANSHELF_INVITATIONS_PER_DAY = int(os.environ.get("FANSHELF_INVITATIONS_PER_DAY", "100"))
FANSHELF_EMAIL_CONFIRM_SECONDS = int(
    os.environ.get("FANSHELF_EMAIL_CONFIRM_SECONDS", str(3 * 86400))
)
FANSHELF_ORPHAN_ACCOUNT = os.environ.get("FANSHELF_ORPHAN_ACCOUNT", "orphan_account")
PASSWORD_RESET_TIMEOUT = int(os.environ.get("FANSHELF_PASSWORD_RESET_SECONDS", str(86400)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FANSHELF_LOG_LEVEL", "WARNING")},
    # fanshelf.core.timing's line per request, to stderr through the root handler;
    # FANSHELF_REQUEST_LOG_LEVEL=WARNING silences it.
    "loggers": {
        "fanshelf.requests": {"level": os.environ.get("FANSHELF_REQUEST_LOG_LEVEL", "INFO")}
    },
}
