from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fanshelf.core"
    label = "core"

    def ready(self):
        # Fanshelf's own system checks (fanshelf check), and what makes cached guest
        # pages out of date.
        from fanshelf.core import checks, invalidation  # noqa: F401

        invalidation.connect()
