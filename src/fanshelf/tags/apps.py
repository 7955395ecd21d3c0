from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "fanshelf.tags"
    label = "tags"
