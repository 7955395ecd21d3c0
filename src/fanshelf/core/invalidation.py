"""What makes cached guest pages out of date (``fanshelf.core.pagecache``).

Connected in ``CoreConfig.ready``. Each change bumps its scopes once the transaction
commits:

- a work, its chapters, creators or tags changed: that work's pages and the listings;
- kudos, comments and bookmarks: that work's pages (listings show their counts and
  refresh after ``LISTING_CACHE_SECONDS``);
- a tag, pseud, series or username changed: every page (they are shown on many),
  rebuilt one at a time as they are asked for, never all at once.

Writes that bypass model signals (``QuerySet.update``) bump where they happen
(reordering chapters); counters moved with ``update`` (hits, kudos, comment and
bookmark counts) ride along with the kudos, comment or bookmark row saved beside them.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from fanshelf.core.pagecache import DISPLAY, LISTINGS, bump_after_commit, work_scope

# Saves of a user that change nothing any page shows.
QUIET_USER_FIELDS = frozenset({"last_login", "password"})


def _work_id(instance) -> int | None:
    """The row's work, if loaded: a row fetched with ``only()`` and then deleted cannot
    load it any more (such deletes happen next to a full row's, which bumps)."""
    if instance._meta.model_name == "work":
        return instance.pk
    return instance.__dict__.get("work_id")


def _work_and_listings(sender, instance, **kwargs):
    if work_id := _work_id(instance):
        bump_after_commit(work_scope(work_id), LISTINGS)


def _work_only(sender, instance, **kwargs):
    if work_id := _work_id(instance):
        bump_after_commit(work_scope(work_id))


def _everything(sender, instance, created=False, update_fields=None, **kwargs):
    if created:
        return  # a new tag, pseud or user is on no page yet
    if (
        sender._meta.model_name == "user"
        and update_fields
        and (set(update_fields) <= QUIET_USER_FIELDS)
    ):
        return
    bump_after_commit(DISPLAY)


def _work_tags(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    work_ids = (pk_set or ()) if reverse else (instance.pk,)
    bump_after_commit(*(work_scope(pk) for pk in work_ids), LISTINGS)


# Which receiver handles the saves and deletes of which models.
RECEIVERS = {
    _work_and_listings: ("works.Work", "works.Chapter", "works.Creatorship"),
    _work_only: ("feedback.Kudos", "feedback.Comment", "bookmarks.Bookmark"),
    _everything: ("tags.Tag", "accounts.Pseud", "accounts.User", "works.Series"),
}


def connect() -> None:
    for receiver, labels in RECEIVERS.items():
        for label in labels:
            model = apps.get_model(label)
            post_save.connect(receiver, sender=model, dispatch_uid=f"pagecache:{label}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"pagecache-d:{label}")
    tags = apps.get_model("works.Work").tags.through
    m2m_changed.connect(_work_tags, sender=tags, dispatch_uid="pagecache:work-tags")
