"""Small builders shared by test modules."""

import importlib

from django.apps import apps as django_apps


def work_tags(**extra):
    """The tags a posted work needs (rating, warning, fandom), plus ``extra``."""
    base = {
        "rating": "Teen And Up Audiences",
        "warning": ["No Archive Warnings Apply"],
        "fandom": ["Star Wars"],
    }
    return {**base, **extra}


def add_default_tags():
    """Run the data migration that gives every archive its ratings, warnings, categories.

    Transactional tests (browser stories, threads) empty the database afterwards, data
    migration rows included, so a later one puts them back with this. Idempotent.
    """
    migration = importlib.import_module("fanshelf.tags.migrations.0002_default_tags")
    migration.add_default_tags(django_apps, schema_editor=None)
