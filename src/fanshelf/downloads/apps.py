from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "fanshelf.downloads"
    verbose_name = "Downloads and e-reader catalogue"
