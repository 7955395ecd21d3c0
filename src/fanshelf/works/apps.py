from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "fanshelf.works"
    label = "works"
