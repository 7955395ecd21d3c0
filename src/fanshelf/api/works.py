"""The works endpoints: list, read, post, edit and delete works; add chapters.

A work is sent exactly as ``work_to_dict`` builds it (the ``fanshelf export`` format),
with the chapters the caller may read; anonymous works name their creators only to
those creators. Works the caller may not see answer 404, like works that do not exist.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from fanshelf.api.auth import OPTIONAL_TOKEN, READ, WRITE
from fanshelf.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    NewChapterIn,
    WorkIn,
    WorkListQuery,
    WorkOut,
    WorkPageOut,
    WorkPatch,
)
from fanshelf.discovery.filters import parse_filters
from fanshelf.discovery.links import (
    API_NAMES,
    EXCLUDE_PARAM,
    filter_params,
    include_param,
    listing_url,
)
from fanshelf.discovery.selectors import search_works
from fanshelf.works.export import work_to_dict
from fanshelf.works.models import Work
from fanshelf.works.selectors import (
    chapters_for_reader,
    has_unposted_works,
    is_creator_cached,
    visible_works,
    work_for_reader,
)
from fanshelf.works.services import (
    AS_POSTED,
    ChapterText,
    add_chapter,
    delete_work,
    post_work,
    publish_work,
    tags_by_type,
    update_work,
)

PAGE_SIZE = 20

router = Router(tags=["works"])


def work_summary(work: Work, viewer) -> dict:
    summary = work_to_dict(work, chapters=[], reveal_anonymous=is_creator_cached(viewer, work))
    del summary["chapters"]
    return summary


def work_response(*, work_id: int, viewer, status: int = 200) -> JsonResponse:
    """The work as the viewer may read it, in the export format."""
    work = work_for_reader(work_id=work_id, viewer=viewer)
    chapters = chapters_for_reader(work=work, viewer=viewer)
    data = work_to_dict(work, chapters=chapters, reveal_anonymous=is_creator_cached(viewer, work))
    response = JsonResponse(data, status=status)
    if status == 201:
        response["Location"] = reverse("api:v1:work", kwargs={"work_id": work.pk})
    return response


def _listing_params(query: WorkListQuery) -> dict:
    """The API's parameters as ``parse_filters`` reads a query string."""
    params = query.dict(exclude={"facets"})
    params["single_chapter"] = "1" if query.single_chapter else ""
    return {key: "" if value is None else value for key, value in params.items()}


def _unknown_parameters(request) -> list[str]:
    """A note for each parameter the list does not read, naming the one meant if known."""
    notes = []
    for name in request.GET:
        if name in WorkListQuery.model_fields:
            continue
        if name in API_NAMES:
            notes.append(_("Ignored the parameter “%(name)s”: the API calls it “%(api)s”.")
                         % {"name": name, "api": API_NAMES[name]})  # fmt: skip
        else:
            notes.append(_("Ignored the unknown parameter “%(name)s”.") % {"name": name[:40]})
    return notes


def _listing_base(viewer):
    """None (the posted works) unless the caller has unposted works of their own.

    Listing through a base costs a subquery over every visible work, so only
    callers with drafts to see pay for it.
    """
    if getattr(viewer, "is_authenticated", False) and has_unposted_works(user=viewer):
        return visible_works(viewer)
    return None


def _facets_out(request, filters, listing, extra) -> dict:
    def url(params) -> str:
        return request.build_absolute_uri(
            listing_url(request.path, params + extra, names=API_NAMES)
        )

    def facet(param: str, entry) -> dict:
        name = entry.tag.name
        exclude = filter_params(filters, remove=[(param, name)], add=[(EXCLUDE_PARAM, name)])
        return {
            "name": name,
            "count": entry.count,
            "url": url(filter_params(filters, add=[(param, name)])),
            "exclude_url": url(exclude),
        }

    return {
        tag_type: [facet(include_param(tag_type), entry) for entry in entries]
        for tag_type, entries in listing.facets.items()
    }


@router.get(
    "/works",
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    response={200: WorkPageOut, **READ_ERRORS},
    url_name="works",
    summary="List and search works",
    operation_id="listWorks",
)
def list_works(request, query: Query[WorkListQuery]):
    """Works the caller may read that match the filters, 20 a page, without chapter text,
    with the top tags of the matching works (facets).

    Guests see posted works that are not restricted; with a token you also see
    restricted works and your own drafts (after the posted works). A malformed value
    (a page below 1, a word count that is not a whole number, an unknown sort) is a
    400 naming the parameter; a tag nobody uses is not an error: the answer is 200
    with a note saying so in ``notes``. A page past the last one is a 404.
    """
    filters, notes = parse_filters(_listing_params(query))
    notes = _unknown_parameters(request) + notes
    listing = search_works(
        viewer=request.auth,
        filters=filters,
        base=_listing_base(request.auth),
        page_size=PAGE_SIZE,
        with_facets=query.facets,
    )
    current = listing.page
    if filters.page > current.number:
        raise Http404(_("There is no page %(page)d of these works.") % {"page": filters.page})
    # The next and previous pages keep the filters, and facets=false if it was sent.
    extra = [] if query.facets else [("facets", "false")]

    def page_url(number: int) -> str:
        params = filter_params(filters) + extra + [("page", str(number))]
        return request.build_absolute_uri(listing_url(request.path, params, names=API_NAMES))

    return JsonResponse(
        {
            "count": listing.count,
            "count_capped": listing.count_capped,
            "page": current.number,
            "next": page_url(current.next_page_number()) if current.has_next() else None,
            "previous": (
                page_url(current.previous_page_number()) if current.has_previous() else None
            ),
            "results": [work_summary(work, request.auth) for work in current.object_list],
            "facets": _facets_out(request, filters, listing, extra),
            "facets_sampled": listing.facets_sampled,
            "notes": [str(note) for note in notes + listing.notes],
        }
    )


@router.post(
    "/works",
    auth=WRITE,
    response={201: WorkOut, **WRITE_ERRORS},
    summary="Post a work",
    operation_id="createWork",
)
def create_work(request, payload: WorkIn):
    """Post a work, or save it as a draft with ``"state": "draft"``.

    The body is the export format: an exported work can be posted back as it is.
    """
    chapters = [
        ChapterText(
            body=chapter.body_html,
            title=chapter.title,
            summary=chapter.summary,
            notes=chapter.notes,
            end_notes=chapter.end_notes,
            text_format=payload.text_format,
        )
        for chapter in payload.chapters
    ]
    expected = payload.expected_chapters
    if "expected_chapters" not in payload.model_fields_set:
        expected = AS_POSTED
    work = post_work(
        user=request.auth,
        title=payload.title,
        chapters=chapters,
        tags=payload.tags.model_dump(),
        pseud=payload.pseud,
        summary=payload.summary,
        notes=payload.notes,
        end_notes=payload.end_notes,
        text_format=payload.text_format,
        language=payload.language,
        series=payload.series,
        expected_chapters=expected,
        restricted=payload.restricted,
        anonymous=payload.anonymous,
        comment_policy=payload.comment_policy,
        source=payload.source,
        state=payload.state,
    )
    return work_response(work_id=work.pk, viewer=request.auth, status=201)


@router.get(
    "/works/{work_id}",
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    response={200: WorkOut, **READ_ERRORS},
    url_name="work",
    summary="Read a work",
    operation_id="readWork",
)
def read_work(request, work_id: int):
    """A work with the chapters the caller may read (its creators also see drafts)."""
    return work_response(work_id=work_id, viewer=request.auth)


@router.patch(
    "/works/{work_id}",
    auth=WRITE,
    response={200: WorkOut, **WRITE_ERRORS},
    summary="Edit a work",
    operation_id="editWork",
)
def edit_work(request, work_id: int, payload: WorkPatch):
    """Change a work's details; only the fields sent change. Creators only.

    ``"state": "posted"`` posts a draft (after the other changes, all or nothing).
    """
    user = request.auth
    work = work_for_reader(work_id=work_id, viewer=user)
    sent = payload.model_fields_set - {"text_format"}
    changes = {name: getattr(payload, name) for name in sent - {"tags", "series", "state"}}
    tags = None
    if "tags" in sent:
        # Tag types left out of the request keep their tags.
        tags = {**tags_by_type(work), **payload.tags.model_dump(exclude_unset=True)}
    with transaction.atomic():
        if changes or tags is not None or "series" in sent:
            update_work(
                user=user,
                work=work,
                tags=tags,
                text_format=payload.text_format,
                series=payload.series if "series" in sent else None,
                **changes,
            )
        if payload.state is not None:
            _change_state(user=user, work=work, state=payload.state)
    return work_response(work_id=work.pk, viewer=user)


def _change_state(*, user, work: Work, state: str) -> None:
    if state == work.state:
        return
    if state == Work.State.POSTED and work.state == Work.State.DRAFT:
        publish_work(user=user, work=work)
        return
    if state == Work.State.DRAFT and work.state == Work.State.POSTED:
        message = _("A posted work cannot go back to being a draft.")
    else:
        message = _("Only a draft can be posted.")
    raise ValidationError({"state": message})


@router.delete(
    "/works/{work_id}",
    auth=WRITE,
    response={204: None, **WRITE_ERRORS},
    summary="Delete a work",
    operation_id="deleteWork",
)
def remove_work(request, work_id: int):
    """Delete a work and its chapters. Creators only."""
    work = work_for_reader(work_id=work_id, viewer=request.auth)
    delete_work(user=request.auth, work=work)
    return HttpResponse(status=204)


@router.post(
    "/works/{work_id}/chapters",
    auth=WRITE,
    response={201: WorkOut, **WRITE_ERRORS},
    summary="Add a chapter",
    operation_id="addChapter",
)
def create_chapter(request, work_id: int, payload: NewChapterIn):
    """Add a chapter at the end of a work; answers with the whole work. Creators only.

    Posting a chapter beyond the expected count raises the expected count with it.
    """
    work = work_for_reader(work_id=work_id, viewer=request.auth)
    chapter = ChapterText(
        body=payload.body_html,
        title=payload.title,
        summary=payload.summary,
        notes=payload.notes,
        end_notes=payload.end_notes,
        text_format=payload.text_format,
    )
    add_chapter(user=request.auth, work=work, chapter=chapter, state=payload.state)
    return work_response(work_id=work.pk, viewer=request.auth, status=201)
