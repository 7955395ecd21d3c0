from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "fanshelf.downloads"
    verbose_name = "Downloads and e-reader catalogue"

    def ready(self):
        from fanshelf.downloads import receivers  # noqa: F401  (connects the signal)
