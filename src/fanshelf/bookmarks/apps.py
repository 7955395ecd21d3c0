from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "fanshelf.bookmarks"
    verbose_name = "Bookmarks"
