"""What the feedback app tells the rest of the archive, sent once the change is committed.

- ``comment_posted(sender=Comment, comment=…)``: a comment is visible on its work
  (posted, or approved from the moderation queue). The work's creators hear of it,
  and so does the writer of the comment it replies to.
- ``kudos_given(sender=Kudos, kudos=…)``: someone left kudos on a work.
"""

from django.dispatch import Signal

comment_posted = Signal()
kudos_given = Signal()
