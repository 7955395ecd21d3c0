"""Pages for kudos and comments. Each parses the request, calls a service, renders.

The work page shows kudos and comments through the ``{% work_feedback work %}`` tag
(templatetags/feedback.py); these views take its forms' posts and serve the pages
that stand alone: writing a comment after an error, replying, editing, deleting,
and the creator's list of comments awaiting approval. Every form works without
JavaScript and keeps what was typed when something is wrong.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanshelf.core.ratelimit import client_ip
from fanshelf.feedback import selectors, services
from fanshelf.feedback.forms import CommentForm
from fanshelf.feedback.models import Comment
from fanshelf.works.models import Chapter, Work
from fanshelf.works.selectors import is_creator_cached, work_for_reader

GUEST_SESSION_FLAG = "feedback_guest"


def guest_key_for(request, *, create: bool = False) -> str | None:
    """The kudos key of a guest (address + session); None for users.

    A guest without a session yet gets one when ``create`` is set (leaving kudos),
    so the page can tell them afterwards that they already did.
    """
    if request.user.is_authenticated:
        return None
    if not request.session.session_key:
        if not create:
            return None
        request.session[GUEST_SESSION_FLAG] = True
        request.session.save()
    return services.guest_kudos_key(
        client_ip=client_ip(request), session_key=request.session.session_key
    )


def _readable_work(request, work_id: int) -> Work:
    try:
        return work_for_reader(work_id=work_id, viewer=request.user)
    except Work.DoesNotExist:
        raise Http404(_("This work does not exist, or you cannot see it.")) from None


def _readable_comment(request, comment_id: int) -> Comment:
    """The comment if the viewer may see it and its work, with the work's creators."""
    comment = (
        Comment.objects.select_related("chapter", "pseud", "user").filter(pk=comment_id).first()
    )
    if comment is None:
        raise Http404(_("This comment does not exist, or you cannot see it."))
    comment.work = _readable_work(request, comment.work_id)
    creator = is_creator_cached(request.user, comment.work)
    own = request.user.is_authenticated and comment.user_id == request.user.pk
    if comment.is_held and not (creator or own):
        raise Http404(_("This comment does not exist, or you cannot see it."))
    selectors.mark_author(
        comment,
        creators=selectors.creator_user_ids(comment.work),
        anonymous=comment.work.anonymous,
    )
    return comment


def comment_location(comment: Comment) -> str:
    """Where a comment is shown: its chapter's page (or the work's), page and anchor."""
    work = comment.work
    if comment.chapter_id and work.chapter_count > 1:
        chapter, base = comment.chapter, comment.chapter.get_absolute_url()
    else:
        chapter, base = None, work.get_absolute_url()
        if work.chapter_count > 1:
            base += "?view_full_work=1"
    page = selectors.thread_page_of(comment, chapter=chapter)
    if page > 1:
        base += ("&" if "?" in base else "?") + f"comments_page={page}"
    return f"{base}#comment-{comment.pk}"


def _back_to(request, fallback: str) -> str:
    """The page a form came from (its ``next`` field) when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You are not allowed to do that.")


def _posted_message(request, comment: Comment) -> None:
    if comment.is_held:
        messages.success(
            request,
            _("Your comment was received. It will appear once the creator approves it."),
        )
    else:
        messages.success(request, _("Your comment was posted. Thank you!"))


@require_POST
def give_kudos(request, work_id: int):
    work = _readable_work(request, work_id)
    user = request.user if request.user.is_authenticated else None
    try:
        new = services.give_kudos(
            work=work,
            user=user,
            guest_key=None if user else guest_key_for(request, create=True),
            client_ip=client_ip(request),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        if new:
            messages.success(request, _("Thank you for leaving kudos!"))
        else:
            messages.info(request, _("You have already left kudos here. :)"))
    return redirect(_back_to(request, work.get_absolute_url()) + "#kudos")


def _chapter_for(request, work: Work) -> tuple[Chapter | None, str]:
    """The chapter named by the form's ``chapter`` field, or an error message."""
    value = (request.POST.get("chapter") or request.GET.get("chapter") or "").strip()
    if not value:
        return None, ""
    chapter = None
    if value.isdigit():
        chapter = work.chapters.filter(pk=int(value), state=Chapter.State.POSTED).first()
    return chapter, "" if chapter else _("This work has no such chapter.")


def _form_page(request, form, *, work, title, **context):
    creator = is_creator_cached(request.user, work)
    can_comment, note = selectors.policy_note(work, user=request.user, creator=creator)
    if context.get("editing"):
        can_comment, note = True, ""
    context = {
        "form": form,
        "work": work,
        "title": title,
        "can_comment": can_comment,
        "policy_note": note,
        **context,
    }
    return render(request, "feedback/comment_form.html", context)


def _post_comment(request, form, **where):
    """Post the form's comment ``where`` asked; its page, or None with the errors on ``form``."""
    try:
        comment = services.post_comment(
            user=request.user,
            client_ip=client_ip(request),
            **where,
            **form.service_arguments(),
        )
    except ValidationError as error:
        form.add_service_errors(error)
    except PermissionDenied as error:
        form.add_error(None, _error_text(error))
    else:
        _posted_message(request, comment)
        return redirect(comment_location(comment))
    return None


def new_comment(request, work_id: int):
    """Post a comment on a work or chapter; shown again with the text kept on errors."""
    work = _readable_work(request, work_id)
    chapter, chapter_error = _chapter_for(request, work)
    form = CommentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if chapter_error:
            form.add_error(None, chapter_error)
        elif posted := _post_comment(request, form, work=work, chapter=chapter):
            return posted
    title = _("Comment on “%(title)s”") % {"title": work.title}
    return _form_page(request, form, work=work, title=title, chapter=chapter)


def reply(request, comment_id: int):
    """Reply to a comment, on a page of its own (works without JavaScript)."""
    parent = _readable_comment(request, comment_id)
    form = CommentForm(request.POST or None, user=request.user)
    posting = request.method == "POST" and form.is_valid()
    if posting and (posted := _post_comment(request, form, work=parent.work, parent=parent)):
        return posted
    title = _("Reply to %(name)s") % {"name": parent.author_name}
    return _form_page(request, form, work=parent.work, title=title, replying_to=parent)


@login_required
def edit(request, comment_id: int):
    comment = _readable_comment(request, comment_id)
    if not services.can_edit(request.user, comment):
        raise PermissionDenied(_("Only the person who wrote a comment can edit it."))
    form = CommentForm(
        request.POST or None, user=request.user, editing=True, initial={"body": comment.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.edit_comment(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Your comment was saved."))
            return redirect(comment_location(comment))
    title = _("Edit your comment")
    return _form_page(request, form, work=comment.work, title=title, editing=comment)


@login_required
def delete(request, comment_id: int):
    comment = _readable_comment(request, comment_id)
    if not services.can_delete(request.user, comment):
        raise PermissionDenied(
            _("Only the person who wrote a comment, or the work's creators, can delete it.")
        )
    if request.method == "POST":
        fallback = comment.work.get_absolute_url() + "#comments"
        services.delete_comment(comment=comment, user=request.user)
        messages.success(request, _("The comment was deleted."))
        return redirect(_back_to(request, fallback))
    return render(request, "feedback/confirm_delete.html", {"comment": comment})


@login_required
@require_POST
def approve(request, comment_id: int):
    comment = _readable_comment(request, comment_id)
    try:
        comment = services.approve_comment(comment=comment, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(_back_to(request, comment.work.get_absolute_url()))
    messages.success(request, _("The comment was approved and is now shown on your work."))
    return redirect(_back_to(request, comment_location(comment)))


def comment_link(request, comment_id: int):
    """A comment's permanent address: sends the reader to where it is shown."""
    return redirect(comment_location(_readable_comment(request, comment_id)))


@login_required
def held(request):
    """Comments awaiting approval on the logged-in creator's works."""
    page = Paginator(selectors.held_comments(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "feedback/held.html", {"page": page})
