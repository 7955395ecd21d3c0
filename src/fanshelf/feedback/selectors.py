"""Read paths for feedback: comment threads for a viewer, kudos for a work.

A page of threads costs three queries whatever its size: the count of threads, the
ids of this page's threads, and every comment in them (``root`` points each reply
at its thread). Nesting is done in Python.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanshelf.feedback.models import Comment, Kudos
from fanshelf.muting.selectors import BLOCKED_FROM_COMMENTS, is_blocked_from, without_muted_users
from fanshelf.works.models import Chapter, Work

THREADS_PER_PAGE = 20
KUDOS_NAMES_SHOWN = 50


def policy_note(
    work: Work, *, user, creator: bool, blocked: bool | None = None
) -> tuple[bool, str]:
    """Whether the viewer may comment here, and the sentence explaining the policy.

    ``blocked`` says whether a creator blocks the viewer, when the caller knows it.
    """
    signed_in = getattr(user, "is_authenticated", False)
    policy = work.comment_policy
    if work.state == Work.State.HIDDEN:
        return False, _("Comments are closed while a moderator hides this work.")
    if not work.is_posted:
        return False, _("Comments open when the work is posted.")
    if blocked is None:
        blocked = not creator and is_blocked_from(work=work, user=user)
    if blocked:
        return False, str(BLOCKED_FROM_COMMENTS)
    if policy == Work.CommentPolicy.DISABLED:
        return False, _("The creator has turned comments off on this work.")
    if policy == Work.CommentPolicy.REGISTERED and not signed_in:
        return False, _("Only registered users can comment on this work.")
    if policy == Work.CommentPolicy.MODERATED and not creator:
        return True, _(
            "Comments on this work are moderated: yours will appear once the creator approves it."
        )
    return True, ""


def comments_for_viewer(
    *, work: Work, viewer, creator: bool, chapter: Chapter | None = None
) -> QuerySet[Comment]:
    """Comments on ``work`` (or one chapter) that ``viewer`` may see.

    Everyone sees visible comments and deleted placeholders; the work's creators
    also see comments awaiting approval, and a writer sees their own held ones.
    Comments by users the viewer mutes are left out (replies inside them too).
    """
    comments = without_muted_users(in_scope(Comment.objects.filter(work=work), chapter), viewer)
    shown = Q(state__in=[Comment.State.VISIBLE, Comment.State.DELETED])
    if creator:
        return comments
    if getattr(viewer, "is_authenticated", False):
        shown |= Q(state=Comment.State.HELD, user=viewer)
    return comments.filter(shown)


def in_scope(comments: QuerySet[Comment], chapter: Chapter | None) -> QuerySet[Comment]:
    """The comments shown with ``chapter``; all of the work's when it is None.

    Comments on the work as a whole (left while it was a one-shot, or on the
    entire-work page) are shown with its first chapter too.
    """
    if chapter is None:
        return comments
    if chapter.position == 1:
        return comments.filter(Q(chapter=chapter) | Q(chapter__isnull=True))
    return comments.filter(chapter=chapter)


def creator_user_ids(work: Work) -> set[int]:
    """The ids of the work's creators' accounts (from prefetched creatorships if any)."""
    return {creatorship.pseud.user_id for creatorship in work.creatorships.all()}


def comment_threads(
    *, work: Work, viewer, chapter: Chapter | None = None, page: int | str = 1
) -> Page:
    """One page of top-level comments, oldest first, each with ``shown_replies`` nested.

    Each comment gets ``shown_replies`` (the replies shown inside it), ``by_creator``
    and, for a reply flattened beside its parent at the deepest level,
    ``in_reply_to``. Deleted comments stay only as placeholders above replies.
    """
    creators = creator_user_ids(work)
    creator = getattr(viewer, "pk", None) in creators
    readable = comments_for_viewer(work=work, viewer=viewer, creator=creator, chapter=chapter)
    roots = readable.filter(root__isnull=True).order_by("created_at", "pk")
    threads = Paginator(roots.values_list("pk", flat=True), THREADS_PER_PAGE).get_page(page)
    if not threads.paginator.count:
        threads.object_list = []
        return threads
    ids = list(threads.object_list)
    comments = list(
        readable.filter(Q(pk__in=ids) | Q(root_id__in=ids))
        .select_related("pseud", "user", "chapter")
        .order_by("created_at", "pk")
    )
    threads.object_list = nest(comments, creators=creators, anonymous=work.anonymous)
    return threads


def nest(
    comments: list[Comment], *, creators: set[int] = frozenset(), anonymous: bool = False
) -> list[Comment]:
    """Top-level comments with their replies in ``shown_replies``, in the given order."""
    by_id = {comment.pk: comment for comment in comments}
    top = []
    for comment in comments:
        comment.shown_replies = []
        comment.in_reply_to = None
        mark_author(comment, creators=creators, anonymous=anonymous)
    for comment in comments:
        if comment.parent_id is None:
            top.append(comment)
            continue
        parent = by_id.get(comment.parent_id)
        if parent is None:
            continue
        shown_in = parent
        # At the deepest level a reply sits beside the comment it answers.
        while shown_in.depth >= comment.depth and shown_in.parent_id in by_id:
            shown_in = by_id[shown_in.parent_id]
        if shown_in is not parent:
            comment.in_reply_to = parent
        shown_in.shown_replies.append(comment)
    return _without_empty_placeholders(top)


def mark_author(comment: Comment, *, creators: set[int], anonymous: bool) -> None:
    """Set ``by_creator`` and ``display_name``: an anonymous work's creators stay anonymous."""
    comment.by_creator = comment.user_id is not None and comment.user_id in creators
    hidden = anonymous and comment.by_creator
    comment.display_name = _("Anonymous Creator") if hidden else comment.author_name
    comment.author_hidden = hidden


def _without_empty_placeholders(comments: list[Comment]) -> list[Comment]:
    kept = []
    for comment in comments:
        comment.shown_replies = _without_empty_placeholders(comment.shown_replies)
        if not comment.is_deleted or comment.shown_replies:
            kept.append(comment)
    return kept


def thread_page_of(comment: Comment, *, chapter: Chapter | None = None) -> int:
    """The page of ``comment_threads`` (for ``chapter``) that shows this comment's thread.

    Counted over every top-level comment, held ones too, so for readers who do not
    see those it may be a page early: the link still lands near the comment.
    """
    root_id = comment.root_id or comment.pk
    root = Comment.objects.filter(pk=root_id).values("created_at", "pk").first()
    if root is None:
        return 1
    earlier = in_scope(Comment.objects.filter(work_id=comment.work_id), chapter).filter(
        Q(created_at__lt=root["created_at"]) | Q(created_at=root["created_at"], pk__lt=root["pk"]),
        root__isnull=True,
    )
    return earlier.count() // THREADS_PER_PAGE + 1


def visible_comment_count(*, work: Work, chapter: Chapter | None = None) -> int:
    """Visible comments on the work (its kept count), or on one chapter (counted)."""
    if chapter is None:
        return work.comment_count
    return (
        in_scope(Comment.objects.filter(work=work), chapter)
        .filter(state=Comment.State.VISIBLE)
        .count()
    )


def held_comments(*, user) -> QuerySet[Comment]:
    """Comments awaiting approval on works ``user`` created, oldest first."""
    from fanshelf.works.models import Creatorship

    own = Creatorship.objects.filter(pseud__user=user).values("work_id")
    return (
        Comment.objects.filter(state=Comment.State.HELD, work_id__in=own)
        .select_related("work", "chapter", "pseud", "user")
        .order_by("created_at", "pk")
    )


@dataclass
class KudosSummary:
    """Who left kudos: the newest users' names, how many more users, how many guests."""

    names: list[str]
    more_users: int
    guests: int

    @property
    def total(self) -> int:
        return len(self.names) + self.more_users + self.guests


def kudos_summary(work: Work, *, names_shown: int = KUDOS_NAMES_SHOWN) -> KudosSummary:
    """The kudos on a work for its kudos line: one query, two for a very popular work.

    Leans on the work's exact ``kudos_count``: users are counted only when there
    are more names than are shown.
    """
    if not work.kudos_count:
        return KudosSummary(names=[], more_users=0, guests=0)
    names = list(
        Kudos.objects.filter(work=work, user__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("user__username", flat=True)[:names_shown]
    )
    users = len(names)
    if users == names_shown:
        users = Kudos.objects.filter(work=work, user__isnull=False).count()
    return KudosSummary(
        names=names, more_users=users - len(names), guests=max(work.kudos_count - users, 0)
    )


def kudos_parts(summary: KudosSummary) -> list[str]:
    """The kudos line's items after the names: "3 more users", "12 guests"."""
    parts = []
    if summary.more_users:
        parts.append(
            ngettext("%(n)d more user", "%(n)d more users", summary.more_users)
            % {"n": summary.more_users}
        )
    if summary.guests:
        parts.append(
            ngettext("%(n)d guest", "%(n)d guests", summary.guests) % {"n": summary.guests}
        )
    return parts


def join_names(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def kudos_sentence(summary: KudosSummary) -> str:
    """ "demo-reader, alice and 12 guests left kudos on this work!" ("" without kudos)."""
    if not summary.total:
        return ""
    return _("%(names)s left kudos on this work!") % {
        "names": join_names(summary.names + kudos_parts(summary))
    }


def has_left_kudos(*, work: Work, user=None, guest_key: str | None = None) -> bool:
    """Whether this user, or this guest, already left kudos on the work."""
    if getattr(user, "is_authenticated", False):
        return Kudos.objects.filter(work=work, user=user).exists()
    if guest_key:
        return Kudos.objects.filter(work=work, guest_key=guest_key).exists()
    return False
