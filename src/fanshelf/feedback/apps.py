from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "fanshelf.feedback"
    verbose_name = "Comments and kudos"
