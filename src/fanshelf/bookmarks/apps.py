from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "fanshelf.bookmarks"
    verbose_name = "Bookmarks"

    def ready(self):
        from fanshelf.bookmarks import signals  # noqa: F401  (connects the receivers)
