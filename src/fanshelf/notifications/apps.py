from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fanshelf.notifications"
    verbose_name = "Subscriptions and notifications"
