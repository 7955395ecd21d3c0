from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "fanshelf.moderation"
    verbose_name = "Moderation"
