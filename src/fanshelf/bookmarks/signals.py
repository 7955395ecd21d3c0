"""Keep ``Work.bookmark_count`` exact when bookmarks go with something else.

Deleting a user or a pseud deletes their bookmarks by cascade, without passing
through ``services.delete_bookmark``; this receiver counts every deleted public
bookmark of a work, however it was deleted (the service relies on it too).
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from fanshelf.bookmarks.models import Bookmark


@receiver(post_delete, sender=Bookmark, dispatch_uid="bookmarks.uncount_deleted_bookmark")
def uncount_deleted_bookmark(sender, instance: Bookmark, **kwargs) -> None:
    from fanshelf.bookmarks.services import uncount

    uncount(instance)
