from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "fanshelf.feedback"
    verbose_name = "Comments and kudos"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from fanshelf.feedback.receivers import forget_kudos_of_deleted_user

        pre_delete.connect(
            forget_kudos_of_deleted_user,
            sender=get_user_model(),
            dispatch_uid="feedback.forget_kudos_of_deleted_user",
        )
