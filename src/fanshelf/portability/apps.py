from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "fanshelf.portability"
    verbose_name = "Data export, backup and restore"
