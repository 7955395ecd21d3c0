"""What the works app tells the rest of the archive, sent once the change is committed.

- ``work_posted(sender=Work, work=…)``: a work became visible to readers (posted
  at once, or a draft posted). Subscribers to its creators and series hear of it.
- ``chapter_posted(sender=Chapter, chapter=…)``: a new chapter of an already posted
  work became visible. Subscribers to the work hear of it.

Receivers run after the transaction commits (``transaction.on_commit``), so they
never see a work that was rolled back, and a failing receiver cannot undo a post.
"""

from django.db import transaction
from django.dispatch import Signal

work_posted = Signal()
chapter_posted = Signal()


def send_after_commit(signal: Signal, sender, **kwargs) -> None:
    """Send ``signal`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
