"""WSGI entry point for gunicorn: ``gunicorn fanshelf.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanshelf.settings")

application = get_wsgi_application()

from fanshelf.core.runtime import tune_garbage_collector  # noqa: E402 - after Django's set-up

tune_garbage_collector()
