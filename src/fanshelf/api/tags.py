"""The tags endpoints: autocomplete, reading a tag, wrangling, the log, suggestions.

Anyone may autocomplete and read tags, as on the tag pages. Wrangling, the log and
the unwrangled bins need a wrangler's token (401 without a token, 403 for others).
Every wrangling action takes ``dry_run``: the action then runs inside a transaction
that is rolled back (``wrangling.dry_run``), so the preview applies exactly the rules
the real action does and answers with the tag as it would be and the works it would
move.

Tags are addressed by id (``/tags/{id}``), since names hold "/" and other characters
awkward in a path; ``/tags/lookup?name=`` finds the id for a name.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from fanshelf.api.auth import OPTIONAL_TOKEN, READ, WRITE
from fanshelf.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, ValidationErrorOut
from fanshelf.api.tag_schemas import (
    SUGGEST_TEXT_MAX_LENGTH,
    CanonicalIn,
    ChangePageOut,
    ParentIn,
    RenameIn,
    SuggestIn,
    SuggestionsOut,
    SynonymIn,
    TagHitsOut,
    TagOut,
    UnwrangledPageOut,
    WrangleIn,
    WrangleOut,
)
from fanshelf.tags import wrangling
from fanshelf.tags.autocomplete import DEFAULT_LIMIT, MAX_LIMIT, autocomplete_tags
from fanshelf.tags.models import Tag, WranglingChange
from fanshelf.tags.selectors import tag_named, unwrangled_tags, wrangling_log
from fanshelf.tags.suggestions import suggest_tags

PAGE_SIZE = 50
# Autocomplete answers the same for everyone and may be a minute stale: let the
# browser reuse them while the author types and deletes.
AUTOCOMPLETE_MAX_AGE = 60

router = Router(tags=["tags"])

TYPE_PARAM = Query(None, description="Only tags of this type.")
FANDOMS_PARAM = Query(
    [], description="Fandom names (repeat it): characters and relationships of these only."
)

WRANGLER_ERRORS = WRITE_ERRORS


def tag_url(tag: Tag) -> str:
    return settings.SITE_URL + tag.get_absolute_url()


def tag_ref(tag: Tag | None) -> dict | None:
    if tag is None:
        return None
    return {
        "id": tag.pk,
        "name": tag.name,
        "type": tag.type,
        "canonical": tag.canonical,
        "url": tag_url(tag),
    }


def tag_hit(tag: Tag) -> dict:
    return {
        "id": tag.pk,
        "name": tag.name,
        "type": tag.type,
        "canonical": tag.canonical,
        "usage_count": tag.usage_count,
        "url": tag_url(tag),
    }


def tag_to_dict(tag_id: int) -> dict:
    """A tag with its place in the graph, read fresh from the database."""
    tag = Tag.objects.select_related("synonym_of").get(pk=tag_id)
    return {
        **tag_hit(tag),
        "synonym_of": tag_ref(tag.synonym_of),
        "synonyms": [tag_ref(other) for other in tag.synonyms.order_by("name")],
        "parents": [tag_ref(other) for other in tag.parents.order_by("type", "name")],
        "children": [tag_ref(other) for other in tag.children.order_by("type", "name")],
    }


def change_to_dict(change: WranglingChange) -> dict:
    reverts = getattr(change, "reverts", None)
    return {
        "id": change.pk,
        "action": change.action,
        "summary": str(change),
        "tag": tag_ref(change.tag),
        "other": tag_ref(change.other),
        "old_value": change.old_value,
        "new_value": change.new_value,
        "user": change.user.username if change.user else None,
        "created_at": change.created_at.isoformat(),
        "reverted_by": change.reverted_by_id,
        "reverts": reverts.pk if reverts else None,
    }


def _tag_by_id(tag_id: int) -> Tag:
    try:
        return Tag.objects.get(pk=tag_id)
    except Tag.DoesNotExist:
        raise Http404(_("There is no tag with id %(id)d.") % {"id": tag_id}) from None


def _tag_by_name(name: str | None, *, field: str) -> Tag | None:
    """The tag called ``name`` for a field of the request, or a 400 naming the field."""
    if name is None:
        return None
    try:
        return tag_named(name)
    except Tag.DoesNotExist:
        raise ValidationError(
            {field: _("There is no tag called “%(name)s”.") % {"name": name}}
        ) from None


def _page(request, items, page: int, to_dict, what: str) -> JsonResponse:
    paginator = Paginator(items, PAGE_SIZE)
    try:
        current = paginator.page(page)
    except EmptyPage:
        raise Http404(
            _("There is no page %(page)d of %(what)s.") % {"page": page, "what": what}
        ) from None

    def url(number: int) -> str:
        params = {**request.GET.dict(), "page": number}
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

    return JsonResponse(
        {
            "count": paginator.count,
            "page": current.number,
            "next": url(current.next_page_number()) if current.has_next() else None,
            "previous": url(current.previous_page_number()) if current.has_previous() else None,
            "results": [to_dict(item) for item in current.object_list],
        }
    )


@router.get(
    "/tags",
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    response={200: TagHitsOut, **READ_ERRORS},
    url_name="tags",
    summary="Autocomplete tags",
    operation_id="autocompleteTags",
)
def autocomplete(
    request,
    q: str = Query("", description="What the author typed so far."),
    type: Tag.Type | None = TYPE_PARAM,
    fandom: list[str] = FANDOMS_PARAM,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """Tags whose name starts with ``q`` (any case or accents), canonical first, then the
    most used, then by name. With ``fandom``, characters and relationships are those of
    the fandoms named, unless none of theirs matches."""
    tags = autocomplete_tags(q=q, type=type, fandoms=fandom, limit=limit)
    response = JsonResponse({"results": [tag_hit(tag) for tag in tags]})
    response["Cache-Control"] = f"max-age={AUTOCOMPLETE_MAX_AGE}"
    return response


@router.get(
    "/tags/lookup",
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    response={200: TagOut, **READ_ERRORS},
    summary="Find a tag by name",
    operation_id="lookupTag",
)
def lookup_tag(request, name: str):
    """The tag called ``name``, in any case, spacing or Unicode form."""
    try:
        tag = tag_named(name)
    except Tag.DoesNotExist:
        raise Http404(_("There is no tag called “%(name)s”.") % {"name": name}) from None
    return JsonResponse(tag_to_dict(tag.pk))


@router.get(
    "/tags/{int:tag_id}",
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    response={200: TagOut, **READ_ERRORS},
    url_name="tag",
    summary="Read a tag",
    operation_id="readTag",
)
def read_tag(request, tag_id: int):
    """A tag with its canonical, synonyms, parents and children."""
    return JsonResponse(tag_to_dict(_tag_by_id(tag_id).pk))


def _wrangle(tag: Tag, payload: WrangleIn, action) -> JsonResponse:
    """Run a wrangling action, or only preview it, and answer with its consequence.

    Both count the works moved the same way (``wrangling.counting_moves``); a
    preview reads the tag as it would be before its transaction is rolled back.
    """
    seen = {}

    def apply():
        change = action()
        seen["tag"] = tag_to_dict(tag.pk)
        return change

    if payload.dry_run:
        change, works_moved = wrangling.dry_run(tag, apply)
    else:
        with transaction.atomic(), wrangling.counting_moves(tag) as moves:
            change = apply()
        works_moved = moves.works
    return JsonResponse(
        {
            "dry_run": payload.dry_run,
            "changed": change is not None,
            "works_moved": works_moved,
            "tag": seen["tag"],
            "change": change_to_dict(change) if change and not payload.dry_run else None,
        }
    )


def _wrangler_and_tag(request, tag_id: int) -> Tag:
    # Checked first, so that only wranglers learn which ids exist.
    wrangling.require_wrangler(request.auth)
    return _tag_by_id(tag_id)


def wrangling_action(path: str, summary: str, operation_id: str):
    return router.post(
        path,
        auth=WRITE,
        response={200: WrangleOut, **WRANGLER_ERRORS},
        summary=summary,
        operation_id=operation_id,
    )


@wrangling_action("/tags/{int:tag_id}/canonical", "Make canonical or not", "setCanonical")
def set_canonical(request, tag_id: int, payload: CanonicalIn):
    """Make the tag canonical (or, with ``"canonical": false``, not). Wranglers only."""
    tag = _wrangler_and_tag(request, tag_id)
    return _wrangle(
        tag,
        payload,
        lambda: wrangling.set_canonical(user=request.auth, tag=tag, canonical=payload.canonical),
    )


@wrangling_action("/tags/{int:tag_id}/synonym", "Make a synonym", "makeSynonym")
def make_synonym(request, tag_id: int, payload: SynonymIn):
    """Make the tag another name for a canonical tag of its type (null: for none)."""
    tag = _wrangler_and_tag(request, tag_id)
    canonical = _tag_by_name(payload.synonym_of, field="synonym_of")
    return _wrangle(
        tag,
        payload,
        lambda: wrangling.make_synonym(user=request.auth, tag=tag, canonical=canonical),
    )


@wrangling_action("/tags/{int:tag_id}/parents/add", "Add a parent", "addParent")
def add_parent(request, tag_id: int, payload: ParentIn):
    """Put the tag under a canonical fandom, or a meta tag of its own type."""
    tag = _wrangler_and_tag(request, tag_id)
    parent = _tag_by_name(payload.parent, field="parent")
    return _wrangle(
        tag,
        payload,
        lambda: wrangling.add_parent(user=request.auth, tag=tag, parent=parent),
    )


@wrangling_action("/tags/{int:tag_id}/parents/remove", "Remove a parent", "removeParent")
def remove_parent(request, tag_id: int, payload: ParentIn):
    """Take the tag out from under one of its parents."""
    tag = _wrangler_and_tag(request, tag_id)
    parent = _tag_by_name(payload.parent, field="parent")
    return _wrangle(
        tag,
        payload,
        lambda: wrangling.remove_parent(user=request.auth, tag=tag, parent=parent),
    )


@wrangling_action("/tags/{int:tag_id}/rename", "Rename", "renameTag")
def rename(request, tag_id: int, payload: RenameIn):
    """Give the tag a new name; works keep the tag, so no work moves."""
    tag = _wrangler_and_tag(request, tag_id)
    return _wrangle(
        tag,
        payload,
        lambda: wrangling.rename(user=request.auth, tag=tag, name=payload.name),
    )


@router.get(
    "/tags/changes",
    auth=WRITE,
    response={200: ChangePageOut, **WRANGLER_ERRORS},
    url_name="tag_changes",
    summary="The wrangling log",
    operation_id="listTagChanges",
)
def list_changes(request, page: int = Query(1, ge=1), tag: int | None = None):
    """Logged wrangling changes, newest first, 50 a page; ``tag`` keeps one tag's."""
    wrangling.require_wrangler(request.auth)
    changes = wrangling_log()
    if tag is not None:
        changes = changes.filter(tag_id=tag)
    return _page(request, changes, page, change_to_dict, _("changes"))


@router.post(
    "/tags/changes/{int:change_id}/revert",
    auth=WRITE,
    response={200: WrangleOut, **WRANGLER_ERRORS},
    summary="Revert a change",
    operation_id="revertTagChange",
)
def revert_change(request, change_id: int, payload: WrangleIn | None = None):
    """Undo a logged change with the opposite action, itself logged. The body
    (``{"dry_run": true}``) is optional."""
    wrangling.require_wrangler(request.auth)
    try:
        change = WranglingChange.objects.select_related("tag", "other").get(pk=change_id)
    except WranglingChange.DoesNotExist:
        raise Http404(_("There is no change with id %(id)d.") % {"id": change_id}) from None
    return _wrangle(
        change.tag,
        payload or WrangleIn(),
        lambda: wrangling.revert(user=request.auth, change=change),
    )


@router.get(
    "/tags/unwrangled",
    auth=WRITE,
    response={200: UnwrangledPageOut, **WRANGLER_ERRORS},
    summary="Tags to wrangle",
    operation_id="listUnwrangledTags",
)
def list_unwrangled(
    request,
    type: Tag.Type | None = None,
    fandom: str | None = Query(None, description="Only tags under this fandom (a name)."),
    page: int = Query(1, ge=1),
):
    """Tags neither canonical nor a synonym, most used first, 50 a page."""
    wrangling.require_wrangler(request.auth)
    scope = _tag_by_name(fandom, field="fandom")
    tags = unwrangled_tags(tag_type=type or "", fandom=scope)
    return _page(request, tags, page, tag_hit, _("tags"))


@router.post(
    "/tags/suggest",
    auth=WRITE,
    response={
        200: SuggestionsOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        413: ErrorOut,
        429: ErrorOut,
        503: ErrorOut,
    },
    summary="Suggest tags for a text",
    operation_id="suggestTags",
)
def suggest(request, payload: SuggestIn):
    """Canonical fandoms, characters and relationships the text seems to need.

    Nothing is added to any work: the author chooses.
    """
    if len(payload.text) > SUGGEST_TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("The text is longer than %(max)s characters; send less of it.")
                % {"max": f"{SUGGEST_TEXT_MAX_LENGTH:,}"}
            }
        )
    suggestions = suggest_tags(text=payload.text, fandoms=payload.fandoms, tagged=payload.tagged)
    return JsonResponse(suggestions.as_dict())
