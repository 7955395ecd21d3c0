from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fanshelf.core"
    label = "core"
