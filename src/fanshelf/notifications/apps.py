from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "fanshelf.notifications"
    verbose_name = "Subscriptions and notifications"

    def ready(self) -> None:
        from fanshelf.feedback.signals import comment_posted, kudos_given
        from fanshelf.notifications import receivers
        from fanshelf.works.signals import chapter_posted, work_posted

        work_posted.connect(receivers.on_work_posted, dispatch_uid="notifications.work_posted")
        chapter_posted.connect(
            receivers.on_chapter_posted, dispatch_uid="notifications.chapter_posted"
        )
        comment_posted.connect(
            receivers.on_comment_posted, dispatch_uid="notifications.comment_posted"
        )
        kudos_given.connect(receivers.on_kudos_given, dispatch_uid="notifications.kudos_given")
