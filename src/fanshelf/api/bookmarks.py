"""The bookmarks endpoints: bookmark a work or series, delete a bookmark, list a user's bookmarks.

Writes need a token. A work or series the caller may not see answers 404 like one
that does not exist; someone else's private bookmark is a 404 too, their public one
a 403 on delete.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict, Field

from fanshelf.accounts.models import User
from fanshelf.api import errors
from fanshelf.api.auth import OPTIONAL_TOKEN, READ, WRITE
from fanshelf.api.schemas import LIMITED_WRITE_ERRORS, READ_ERRORS
from fanshelf.bookmarks import selectors, services
from fanshelf.bookmarks.models import Bookmark
from fanshelf.works.models import Series, Work

router = Router(tags=["bookmarks"])


class BookmarkIn(BaseModel):
    """A bookmark of one work or one series; sending it again changes the bookmark."""

    model_config = ConfigDict(extra="forbid")

    work: int | None = Field(None, description="The id of the work to bookmark.")
    series: int | None = Field(None, description="The id of the series to bookmark.")
    notes: str = Field("", description="Plain text (blank lines make paragraphs) or HTML.")
    tags: list[str] = Field([], description="Your own tags for it, at most 75.")
    rec: bool = False
    private: bool = False
    pseud: str | None = Field(None, description="One of your pseuds; your default if left out.")


class BookmarkedOut(Schema):
    id: int
    title: str
    url: str


class BookmarkOut(Schema):
    id: int
    user: str
    pseud: str
    work: BookmarkedOut | None
    series: BookmarkedOut | None
    notes: str
    tags: list[str]
    rec: bool
    private: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BookmarkPageOut(Schema):
    count: int
    page: int
    next: str | None
    previous: str | None
    results: list[BookmarkOut]


class BookmarkListQuery(Schema):
    user: str | None = Field(None, description="Whose bookmarks; yours if you send a token.")
    tag: str = Field("", description="One of the bookmarker's tags.")
    work_tags: list[str] = Field([], description="Tags the bookmarked works all have.")
    rec: bool = False
    sort: str = Field("bookmarked", pattern="^(bookmarked|updated)$")
    page: int = Field(1, ge=1)


def _target_out(request, target) -> dict | None:
    if target is None:
        return None
    url = request.build_absolute_uri(target.get_absolute_url())
    return {"id": target.pk, "title": target.title, "url": url}


def bookmark_to_dict(request, bookmark: Bookmark) -> dict:
    """A bookmark as the API sends it (tags and pseud should be prefetched)."""
    return {
        "id": bookmark.pk,
        "user": bookmark.pseud.user.username,
        "pseud": bookmark.pseud.name,
        "work": _target_out(request, bookmark.work),
        "series": _target_out(request, bookmark.series),
        "notes": bookmark.notes,
        "tags": [tag.name for tag in bookmark.tags.all()],
        "rec": bookmark.rec,
        "private": bookmark.private,
        "created_at": bookmark.created_at,
        "updated_at": bookmark.updated_at,
    }


def _one(request, bookmark_id: int) -> dict:
    bookmark = (
        Bookmark.objects.select_related("pseud__user", "work", "series")
        .prefetch_related("tags")
        .get(pk=bookmark_id)
    )
    return bookmark_to_dict(request, bookmark)


@router.post(
    "/bookmarks",
    auth=WRITE,
    response={200: BookmarkOut, 201: BookmarkOut, **LIMITED_WRITE_ERRORS},
    url_name="bookmarks",
    summary="Bookmark a work or a series",
    operation_id="createBookmark",
)
def create_bookmark(request, payload: BookmarkIn):
    """Bookmark a work or a series (give exactly one id): 201 with the new bookmark,
    or 200 when you had bookmarked it already and the bookmark was changed.

    Notes, tags, rec, private and pseud replace what the bookmark had. Your own
    drafts cannot be bookmarked (400); too many bookmarks in a short time answer 429.
    """
    if (payload.work is None) == (payload.series is None):
        raise ValidationError({"__all__": _("Bookmark either a work or a series.")})
    work = series = None
    if payload.work is not None:
        work = Work.objects.filter(pk=payload.work).first()
        if work is None:
            raise Http404(_("This work does not exist, or you cannot see it."))
    if payload.series is not None:
        series = Series.objects.filter(pk=payload.series).first()
        if series is None:
            raise Http404(_("This series does not exist, or you cannot see it."))
    try:
        bookmark, created = services.bookmark(
            user=request.auth,
            work=work,
            series=series,
            notes=payload.notes,
            tags=payload.tags,
            rec=payload.rec,
            private=payload.private,
            pseud=payload.pseud,
        )
    except (Work.DoesNotExist, Series.DoesNotExist) as error:
        # The services say which: "This series does not exist, or you cannot see it."
        raise Http404(str(error)) from None
    except services.TooManyBookmarks as error:
        return errors.error_response(" ".join(error.messages), 429)
    status = 201 if created else 200
    response = JsonResponse(_one(request, bookmark.pk), status=status)
    if created:
        response["Location"] = reverse("api:v1:bookmark", kwargs={"bookmark_id": bookmark.pk})
    return response


@router.get(
    "/bookmarks/{bookmark_id}",
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    response={200: BookmarkOut, **READ_ERRORS},
    url_name="bookmark",
    summary="Read a bookmark",
    operation_id="readBookmark",
)
def read_bookmark(request, bookmark_id: int):
    """A bookmark you may see: a public one of a work you may read, or one of yours."""
    if not selectors.visible_bookmarks(request.auth).filter(pk=bookmark_id).exists():
        raise Http404(_("This bookmark does not exist, or you cannot see it."))
    return JsonResponse(_one(request, bookmark_id))


@router.delete(
    "/bookmarks/{bookmark_id}",
    auth=WRITE,
    response={204: None, **LIMITED_WRITE_ERRORS},
    summary="Delete a bookmark",
    operation_id="deleteBookmark",
)
def remove_bookmark(request, bookmark_id: int):
    """Delete one of your bookmarks: 204. Someone else's public bookmark is a 403."""
    bookmark = Bookmark.objects.filter(pk=bookmark_id).first()
    if bookmark is None or (bookmark.private and bookmark.user_id != request.auth.pk):
        raise Http404(_("This bookmark does not exist, or you cannot see it."))
    services.delete_bookmark(user=request.auth, bookmark=bookmark)
    return HttpResponse(status=204)


@router.get(
    "/bookmarks",
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    response={200: BookmarkPageOut, **READ_ERRORS},
    summary="List a user's bookmarks",
    operation_id="listBookmarks",
)
def list_bookmarks(request, query: Query[BookmarkListQuery]):
    """A user's bookmarks, 20 a page, newest first (or ``sort=updated``).

    Public ones of works you may read; with a token and ``user`` left out (or your own
    name), also your private ones.
    """
    if query.user:
        owner = User.objects.filter(username__iexact=query.user, is_active=True).first()
        if owner is None:
            raise Http404(_("There is no user called “%(name)s”.") % {"name": query.user})
    elif getattr(request.auth, "is_authenticated", False):
        owner = request.auth
    else:
        return errors.validation_response(
            {"user": [_("Name the user whose bookmarks you want, or send a token.")]}
        )
    filters = selectors.BookmarkFilters(
        tag=query.tag, work_tags=query.work_tags, rec=query.rec, sort=query.sort
    )
    bookmarks = selectors.bookmarks_by_user(owner=owner, viewer=request.auth, filters=filters)
    try:
        page = selectors.bookmark_page(
            bookmarks, viewer=request.auth, number=query.page, strict=True
        )
    except EmptyPage:
        message = _("There is no page %(page)d of these bookmarks.") % {"page": query.page}
        raise Http404(message) from None

    def page_url(number: int) -> str:
        params = [(key, value) for key, value in request.GET.lists() if key != "page"]
        flat = [(key, item) for key, values in params for item in values]
        return request.build_absolute_uri(f"{request.path}?{urlencode(flat + [('page', number)])}")

    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": [bookmark_to_dict(request, bookmark) for bookmark in page.object_list],
        }
    )
