from django.apps import AppConfig


class MutingConfig(AppConfig):
    name = "fanshelf.muting"
    verbose_name = "Muting and blocking"
