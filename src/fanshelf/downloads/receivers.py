"""Keeping stored downloads in step with works: a deleted work leaves no files behind."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from fanshelf.downloads import services
from fanshelf.works.models import Work


@receiver(post_delete, sender=Work, dispatch_uid="downloads_forget_deleted_work")
def forget_deleted_work(sender, instance, **kwargs):
    work_id = instance.pk
    transaction.on_commit(lambda: services.forget_work(work_id=work_id))
