"""Tag pages for everyone, and the wrangling pages for tag wranglers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanshelf.core.pagecache import guest_cached
from fanshelf.discovery.views import listing_context
from fanshelf.tags import selectors, wrangling
from fanshelf.tags.forms import (
    WRANGLE_FORMS,
    AddParentForm,
    RenameForm,
    SynonymForm,
    TagSearchForm,
    UnwrangledFilterForm,
)
from fanshelf.tags.models import Tag, WranglingChange

TAGS_PER_PAGE = 50
CHANGES_PER_PAGE = 50


def _tag_or_404(name: str) -> Tag:
    try:
        return selectors.tag_named(name)
    except Tag.DoesNotExist:
        raise Http404(_("There is no tag called “%(name)s”.") % {"name": name}) from None


def _page(request, items, per_page: int):
    """One page of ``items`` with the page numbers to link to ("1 2 … 7 8 9 … 20")."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page.page_links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2))
    return page


def tag_index(request):
    """Find a tag by name; without a name, the canonical fandoms."""
    form = TagSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    tags = _page(request, selectors.tag_index(query=query), TAGS_PER_PAGE)
    return render(request, "tags/index.html", {"form": form, "query": query, "page": tags})


def tag_detail(request, name: str):
    tag = _tag_or_404(name)
    context = {
        "tag": tag,
        "page": selectors.tag_page(tag),
        "can_wrangle": wrangling.can_wrangle(request.user),
    }
    return render(request, "tags/detail.html", context)


@guest_cached()
def tag_works(request, name: str):
    """The works found under a tag, with the filters and facets of every listing."""
    tag = _tag_or_404(name)
    context = listing_context(request, base=selectors.works_for_tag(tag=tag, viewer=request.user))
    context.update(tag=tag, found_under=tag.synonym_of or tag)
    return render(request, "tags/works.html", context)


@login_required
def wrangle_index(request):
    """The unwrangled tags, most used first, by type and fandom."""
    wrangling.require_wrangler(request.user)
    form = UnwrangledFilterForm(request.GET)
    tags = _page(request, selectors.unwrangled_tags(**form.filters()), TAGS_PER_PAGE)
    return render(request, "tags/wrangle_index.html", {"form": form, "page": tags})


def _wrangle_forms(tag: Tag, user, bound=None) -> dict:
    """The forms of the wrangle page, the one just submitted keeping what was typed."""
    forms = {
        "synonym_form": SynonymForm(tag=tag, user=user),
        "add_parent_form": AddParentForm(tag=tag, user=user),
        "rename_form": RenameForm(tag=tag, user=user, initial={"name": tag.name}),
    }
    if bound is not None:
        forms[f"{bound.action}_form"] = bound
    return forms


@login_required
def wrangle_tag(request, name: str):
    """Wrangle one tag: every action is shown with its consequence, then confirmed."""
    wrangling.require_wrangler(request.user)
    tag = _tag_or_404(name)
    bound = None
    if request.method == "POST":
        form_class = WRANGLE_FORMS.get(request.POST.get("action", ""))
        if form_class is None:
            messages.error(request, _("Unknown wrangling action."))
            return redirect("tags:edit", name=tag.name)
        bound = form_class(request.POST, tag=tag, user=request.user)
        if bound.is_valid():
            confirmed = request.POST.get("confirm") == "1"
            moved = 0
            try:
                if confirmed:
                    change = bound.apply()
                else:
                    change, moved = bound.preview()
            except ValidationError as error:
                bound.add_service_error(error)
            else:
                if change is None:
                    nothing = _("Nothing to change: “%(tag)s” is already so.")
                    messages.info(request, nothing % {"tag": tag})
                    return redirect("tags:edit", name=tag.name)
                if confirmed:
                    messages.success(request, bound.done())
                    tag.refresh_from_db()
                    return redirect(tag)
                context = {"tag": tag, "form": bound, "moved": moved}
                return render(request, "tags/confirm.html", context)
    context = {
        "tag": tag,
        "page": selectors.tag_page(tag),
        "bound": bound,
        **_wrangle_forms(tag, request.user, bound),
    }
    return render(request, "tags/wrangle.html", context)


@login_required
def wrangling_log(request):
    wrangling.require_wrangler(request.user)
    changes = _page(request, selectors.wrangling_log(), CHANGES_PER_PAGE)
    return render(request, "tags/log.html", {"page": changes})


@login_required
@require_POST
def revert_change(request, change_id: int):
    wrangling.require_wrangler(request.user)
    change = get_object_or_404(WranglingChange.objects.select_related("tag", "other"), pk=change_id)
    try:
        wrangling.revert(user=request.user, change=change)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The change to “%(tag)s” was reverted.") % {"tag": change.tag.name}
        )
    return redirect("wrangling:log")
