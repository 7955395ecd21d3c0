"""``{% work_feedback work %}``: kudos and comments below a work.

The work page loads this tag at its marked comment. It reads what it needs from
the page's context (``request``, ``shown`` chapters, ``entire_work``): on the page
of one chapter of several it shows that chapter's comments and the form posts
there; on the entire work (or a one-shot) it shows every comment of the work.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from fanshelf.feedback import selectors
from fanshelf.feedback.forms import CommentForm
from fanshelf.feedback.views import guest_key_for
from fanshelf.muting.selectors import is_blocked_from
from fanshelf.works.selectors import is_creator_cached

register = template.Library()


def mark_permissions(comments, *, user, creator: bool, can_comment: bool) -> None:
    """Set ``may_reply``, ``may_edit``, ``may_delete`` and ``may_approve`` on each comment."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    for comment in comments:
        own = user_id is not None and comment.user_id == user_id
        comment.may_reply = can_comment and comment.is_visible
        comment.may_edit = own and not comment.is_deleted
        comment.may_delete = (own or creator) and not comment.is_deleted and user_id is not None
        comment.may_approve = creator and comment.is_held
        mark_permissions(comment.shown_replies, user=user, creator=creator, can_comment=can_comment)


@register.simple_tag
def kudos_line(summary) -> str:
    """The kudos sentence with each user's name linking to their works."""
    if not summary.total:
        return ""
    names = [
        format_html('<a href="{}">{}</a>', reverse("users:works", args=[name]), name)
        for name in summary.names
    ]
    joined = selectors.join_names(names + selectors.kudos_parts(summary))
    # The names are escaped above; the sentence is our own translation.
    return mark_safe(_("%(names)s left kudos on this work!") % {"names": joined})  # noqa: S308


@register.inclusion_tag("feedback/_work_feedback.html", takes_context=True)
def work_feedback(context, work):
    """Kudos button and list, the comment form or the policy note, and the thread."""
    request = context["request"]
    user = request.user
    shown = context.get("shown") or []
    entire = context.get("entire_work", True)
    chapter = shown[0] if shown and not entire else None
    creator = is_creator_cached(user, work)
    blocked = not creator and is_blocked_from(work=work, user=user)
    can_comment, note = selectors.policy_note(work, user=user, creator=creator, blocked=blocked)
    threads = selectors.comment_threads(
        work=work, viewer=user, chapter=chapter, page=request.GET.get("comments_page") or 1
    )
    mark_permissions(threads.object_list, user=user, creator=creator, can_comment=can_comment)
    form = None
    if can_comment:
        form = CommentForm(user=user, auto_id="id_comment_%s")
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "work": work,
        "chapter": chapter,
        "creator": creator,
        "blocked": blocked,
        "kudos": selectors.kudos_summary(work),
        "left_kudos": selectors.has_left_kudos(
            work=work, user=user, guest_key=guest_key_for(request)
        ),
        "can_comment": can_comment,
        "policy_note": note,
        "form": form,
        "threads": threads,
        "comment_count": selectors.visible_comment_count(work=work, chapter=chapter),
        "here": request.get_full_path(),
    }


@register.filter
def page_link(request, number: int) -> str:
    """The current page's address with ``comments_page`` set to ``number``."""
    params = request.GET.copy()
    params["comments_page"] = number
    return f"{request.path}?{params.urlencode()}#comments"
