"""The feedback endpoints: leave kudos, read and post comments on a work.

A work the caller may not see answers 404, like one that does not exist. Writes
need a token; too many in a short time answer 429. Comments come in threads, 20
top-level comments a page, each with its replies nested under ``replies`` (and its
``parent`` id), the way the work page shows them.
"""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field

from fanshelf.api import errors
from fanshelf.api.auth import OPTIONAL_TOKEN, READ, WRITE
from fanshelf.api.schemas import LIMITED_WRITE_ERRORS, READ_ERRORS
from fanshelf.core.ratelimit import client_ip
from fanshelf.feedback import selectors, services
from fanshelf.feedback.models import Comment
from fanshelf.works.models import Chapter, Work
from fanshelf.works.selectors import work_for_reader

router = Router(tags=["feedback"])


class KudosOut(Schema):
    detail: str
    new: bool = Field(description="False when you had already left kudos (nothing changed).")
    kudos_count: int


class CommentIn(BaseModel):
    """A comment on the work, on one of its chapters, or a reply to a comment."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field(description="Plain text (blank lines make paragraphs) or simple HTML.")
    chapter: int | None = Field(None, description="The id of a chapter of the work.")
    parent: int | None = Field(None, description="The id of the comment you reply to.")
    pseud: str = Field("", description="One of your pseuds; your default if left out.")


class CommentAuthorOut(Schema):
    name: str
    guest: bool
    creator: bool = Field(description="Written by one of the work's creators.")


class CommentOut(Schema):
    id: int
    work: int
    chapter: int | None
    parent: int | None
    depth: int = Field(description="0 for a top-level comment; replies stop at 4.")
    state: Literal["visible", "held", "deleted"]
    author: CommentAuthorOut | None = Field(description="null for a deleted comment.")
    body_html: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    url: str
    replies: list["CommentOut"]


CommentOut.model_rebuild()


class CommentPageOut(Schema):
    count: int = Field(description="Top-level comments (threads) in all pages.")
    page: int
    next: str | None
    previous: str | None
    results: list[CommentOut]


class CommentListQuery(Schema):
    chapter: int | None = Field(None, description="Only the comments shown with this chapter.")
    page: int = Field(1, ge=1)


def comment_to_dict(request, comment: Comment) -> dict:
    """A comment and its nested replies, as ``comment_threads`` marked them."""
    deleted = comment.is_deleted
    author = None
    if not deleted:
        author = {
            "name": comment.display_name,
            "guest": comment.is_guest,
            "creator": comment.by_creator and not comment.author_hidden,
        }
    return {
        "id": comment.pk,
        "work": comment.work_id,
        "chapter": comment.chapter_id,
        "parent": comment.parent_id,
        "depth": comment.depth,
        "state": comment.state,
        "author": author,
        "body_html": "" if deleted else comment.body,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "url": request.build_absolute_uri(comment.get_absolute_url()),
        "replies": [comment_to_dict(request, reply) for reply in comment.shown_replies],
    }


def _chapter_of(work: Work, chapter_id: int | None) -> Chapter | None:
    if chapter_id is None:
        return None
    chapter = work.chapters.filter(pk=chapter_id, state=Chapter.State.POSTED).first()
    if chapter is None:
        raise ValidationError(
            {"chapter": _("This work has no chapter with the id %(id)s.") % {"id": chapter_id}}
        )
    return chapter


@router.post(
    "/works/{work_id}/kudos",
    auth=WRITE,
    response={200: KudosOut, 201: KudosOut, **LIMITED_WRITE_ERRORS},
    url_name="kudos",
    summary="Leave kudos",
    operation_id="giveKudos",
)
def give_kudos(request, work_id: int):
    """Leave kudos on a work: 201 when new, 200 when you had already (nothing changes).

    Creators cannot leave kudos on their own work (403).
    """
    work = work_for_reader(work_id=work_id, viewer=request.auth)
    try:
        new = services.give_kudos(work=work, user=request.auth, client_ip=client_ip(request))
    except services.RateLimited as error:
        return errors.error_response(" ".join(error.messages), 429)
    work.refresh_from_db(fields=["kudos_count"])
    detail = _("Thank you for leaving kudos!") if new else _("You had already left kudos here.")
    return JsonResponse(
        {"detail": detail, "new": new, "kudos_count": work.kudos_count},
        status=201 if new else 200,
    )


@router.get(
    "/works/{work_id}/comments",
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    response={200: CommentPageOut, **READ_ERRORS},
    url_name="comments",
    summary="List a work's comments",
    operation_id="listComments",
)
def list_comments(request, work_id: int, query: Query[CommentListQuery]):
    """The work's comments in threads, oldest first, 20 threads a page.

    A deleted comment that has replies stays as a placeholder (``state`` "deleted",
    no author or text). The work's creators also see comments awaiting approval
    (``state`` "held"), and so does each one's writer. A page past the last is 404.
    """
    work = work_for_reader(work_id=work_id, viewer=request.auth)
    chapter = _chapter_of(work, query.chapter)
    threads = selectors.comment_threads(
        work=work, viewer=request.auth, chapter=chapter, page=query.page
    )
    if query.page > threads.number:
        raise Http404(_("There is no page %(page)d of these comments.") % {"page": query.page})

    def page_url(number: int) -> str:
        params = {"page": number, **({"chapter": chapter.pk} if chapter else {})}
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

    return JsonResponse(
        {
            "count": threads.paginator.count,
            "page": threads.number,
            "next": page_url(threads.next_page_number()) if threads.has_next() else None,
            "previous": (
                page_url(threads.previous_page_number()) if threads.has_previous() else None
            ),
            "results": [comment_to_dict(request, comment) for comment in threads.object_list],
        }
    )


@router.post(
    "/works/{work_id}/comments",
    auth=WRITE,
    response={201: CommentOut, **LIMITED_WRITE_ERRORS},
    summary="Post a comment",
    operation_id="postComment",
)
def post_comment(request, work_id: int, payload: CommentIn):
    """Comment on a work or one of its chapters, or reply to a comment (``parent``).

    201 with the comment; on a moderated work its ``state`` is "held" until a
    creator approves it. The work's comment policy applies: 403 when comments are
    off. An empty or too long text, a reply to a deleted comment or a comment
    that looks like spam is a 400 saying why.
    """
    work = work_for_reader(work_id=work_id, viewer=request.auth)
    chapter = _chapter_of(work, payload.chapter)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, work=work).first()
        if parent is None:
            raise ValidationError(
                {
                    "parent": _("This work has no comment with the id %(id)s.")
                    % {"id": payload.parent}
                }
            )
    try:
        comment = services.post_comment(
            work=work,
            chapter=chapter,
            parent=parent,
            user=request.auth,
            pseud=payload.pseud,
            body=payload.body,
            client_ip=client_ip(request),
        )
    except services.RateLimited as error:
        return errors.error_response(" ".join(error.messages), 429)
    comment = (
        Comment.objects.select_related("pseud", "user", "work").prefetch_related(
            "work__creatorships__pseud"
        )
    ).get(pk=comment.pk)
    selectors.mark_author(
        comment, creators=selectors.creator_user_ids(comment.work), anonymous=work.anonymous
    )
    comment.shown_replies = []
    response = JsonResponse(comment_to_dict(request, comment), status=201)
    response["Location"] = reverse("feedback:comment", args=[comment.pk])
    return response
