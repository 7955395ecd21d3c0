"""Settings for the `fanshelf serve` the fault and deploy tests start: production ones,
but static files found in the source tree (as in every test), so no collectstatic run
is needed (``tests.live_servers``)."""

from fanshelf.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
