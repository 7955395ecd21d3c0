from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "fanshelf.reading"
    verbose_name = "Hits, reading history and statistics"
