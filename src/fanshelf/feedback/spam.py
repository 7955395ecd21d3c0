"""The spam check every new comment passes, and the archive's built-in heuristic.

The setting ``SPAM_CHECK`` (environment ``FANSHELF_SPAM_CHECK``) names the check as a
dotted path to a function ``check(comment_text, *, user, guest_email) -> str | None``
that returns a short reason when the comment looks like spam, ``None`` otherwise.
Swap in a call to an outside service by pointing the setting at your own function.

The default, :func:`looks_like_spam`, is deliberately forgiving: fans keysmash,
shout and repeat "more more more", so it only flags what readers seldom write.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

# More links than this in one comment reads as advertising.
MAX_LINKS = 3
# At least this many words, of which fewer than this share are different words.
REPEATED_MIN_WORDS = 30
REPEATED_MIN_DISTINCT_SHARE = 0.2
# The same text from the same person within this time, and long enough that two
# honest comments would not match by chance ("Great chapter!" may come twice).
DUPLICATE_WINDOW = timedelta(hours=24)
DUPLICATE_MIN_LENGTH = 40

LINK = re.compile(r"https?://|www\.|<a\s", re.IGNORECASE)
WORD = re.compile(r"\w+", re.UNICODE)


def count_links(comment_text: str) -> int:
    """How many links (URLs, ``www.`` addresses, ``<a>`` tags) the text holds."""
    return len(LINK.findall(comment_text))


def is_repetitive(comment_text: str) -> bool:
    """Whether the text is mostly the same few words over and over."""
    words = [word.lower() for word in WORD.findall(comment_text)]
    if len(words) < REPEATED_MIN_WORDS:
        return False
    return len(set(words)) / len(words) < REPEATED_MIN_DISTINCT_SHARE


def posted_before(comment_text: str, *, user, guest_email: str) -> bool:
    """Whether the same person posted this very text in the last day, anywhere."""
    from fanshelf.feedback.models import Comment

    if len(comment_text.strip()) < DUPLICATE_MIN_LENGTH:
        return False
    earlier = Comment.objects.filter(
        created_at__gte=timezone.now() - DUPLICATE_WINDOW, text=comment_text
    ).exclude(state=Comment.State.DELETED)
    if getattr(user, "is_authenticated", False):
        earlier = earlier.filter(user=user)
    elif guest_email:
        earlier = earlier.filter(user__isnull=True, guest_email__iexact=guest_email)
    else:
        return False
    return earlier.exists()


def looks_like_spam(comment_text: str, *, user=None, guest_email: str = "") -> str | None:
    """The built-in check: too many links, repeated text, or a comment posted again."""
    if count_links(comment_text) > MAX_LINKS:
        return _("it has more than %(max)d links") % {"max": MAX_LINKS}
    if is_repetitive(comment_text):
        return _("it repeats the same words over and over")
    if posted_before(comment_text, user=user, guest_email=guest_email):
        return _("you already posted the same comment today")
    return None


def check_spam(comment_text: str, *, user=None, guest_email: str = "") -> str | None:
    """Run the configured check (``settings.SPAM_CHECK``) on a comment's text."""
    check = import_string(settings.SPAM_CHECK)
    return check(comment_text, user=user, guest_email=guest_email)
