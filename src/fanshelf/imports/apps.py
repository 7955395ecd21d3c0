from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "fanshelf.imports"
    label = "imports"

    def ready(self) -> None:
        from fanshelf.imports import signals
        from fanshelf.works.signals import chapter_posted, work_posted

        work_posted.connect(signals.on_work_posted, dispatch_uid="imports.work_posted")
        chapter_posted.connect(signals.on_chapter_posted, dispatch_uid="imports.chapter_posted")
