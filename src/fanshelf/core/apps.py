from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fanshelf.core"
    label = "core"

    def ready(self):
        # Fanshelf's own system checks (fanshelf check).
        from fanshelf.core import checks  # noqa: F401
