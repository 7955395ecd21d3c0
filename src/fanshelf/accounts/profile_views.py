"""Profile and pseud pages: the profile, its editing, pseuds and their works and bookmarks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanshelf.accounts import pseuds as pseud_services
from fanshelf.accounts import selectors
from fanshelf.accounts.profile import edit_profile
from fanshelf.accounts.profile_forms import ProfileForm, ProfileLinkFormSet, PseudForm


def _owner_only(request, owner) -> None:
    if request.user.pk != owner.pk:
        raise PermissionDenied(_("Only %(name)s can do that.") % {"name": owner.username})


def profile(request, username: str):
    """A user's profile: icon, about, links, pseuds with what the viewer may see of each."""
    owner = selectors.active_user(username)
    context = {
        "owner": owner,
        "profile": selectors.profile_of(owner),
        "links": selectors.profile_links(owner),
        "summaries": selectors.pseud_summaries(owner=owner, viewer=request.user),
        "series": selectors.series_by_user(owner=owner, viewer=request.user),
        "is_owner": request.user.pk == owner.pk,
    }
    context["default_pseud"] = next(
        (s.pseud for s in context["summaries"] if s.pseud.is_default), None
    )
    return render(request, "accounts/profile.html", context)


@login_required
def profile_edit(request, username: str):
    owner = selectors.active_user(username)
    _owner_only(request, owner)
    profile = selectors.profile_of(owner)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        links = ProfileLinkFormSet(request.POST, prefix="links")
        if form.is_valid() and links.is_valid():
            try:
                edit_profile(
                    user=request.user,
                    owner=owner,
                    about=form.cleaned_data["about"],
                    links=links.links(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("users:profile", owner.username)
    else:
        form = ProfileForm(initial={"about": profile.about if profile else ""})
        initial = [
            {"site": link.site, "handle_or_url": link.handle_or_url}
            for link in owner.profile_links.all()
        ]
        links = ProfileLinkFormSet(initial=initial, prefix="links")
    context = {"owner": owner, "form": form, "links": links}
    return render(request, "accounts/profile_edit.html", context)


def pseud_list(request, username: str):
    owner = selectors.active_user(username)
    context = {
        "owner": owner,
        "summaries": selectors.pseud_summaries(owner=owner, viewer=request.user),
        "is_owner": request.user.pk == owner.pk,
    }
    return render(request, "accounts/pseuds.html", context)


def _pseud_form_page(request, owner, pseud=None):
    has_icon = bool(pseud and pseud.icon)
    if request.method == "POST":
        form = PseudForm(request.POST, request.FILES, has_icon=has_icon)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "user": request.user,
                "name": data["name"],
                "description": data["description"],
                "icon": data["icon"],
                "icon_alt": data["icon_alt"],
            }
            try:
                if pseud is None:
                    saved = pseud_services.create_pseud(**fields)
                else:
                    saved = pseud_services.edit_pseud(
                        pseud=pseud, remove_icon=data.get("remove_icon", False), **fields
                    )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Pseud “%(name)s” saved.") % {"name": saved.name})
                return redirect("users:pseuds", owner.username)
    else:
        initial = {}
        if pseud is not None:
            initial = {
                "name": pseud.name,
                "description": pseud.description,
                "icon_alt": pseud.icon_alt,
            }
        form = PseudForm(initial=initial, has_icon=has_icon)
    context = {"owner": owner, "pseud": pseud, "form": form}
    return render(request, "accounts/pseud_form.html", context, status=400 if form.errors else 200)


@login_required
def pseud_new(request, username: str):
    owner = selectors.active_user(username)
    _owner_only(request, owner)
    return _pseud_form_page(request, owner)


@login_required
def pseud_edit(request, username: str, name: str):
    owner = selectors.active_user(username)
    pseud = selectors.pseud_of(owner, name)
    _owner_only(request, owner)
    return _pseud_form_page(request, owner, pseud)


@login_required
def pseud_delete(request, username: str, name: str):
    owner = selectors.active_user(username)
    pseud = selectors.pseud_of(owner, name)
    _owner_only(request, owner)
    error = ""
    if request.method == "POST":
        try:
            default = pseud_services.delete_pseud(user=request.user, pseud=pseud)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                _(
                    "Pseud “%(name)s” deleted; its works, bookmarks and comments "
                    "are now under “%(default)s”."
                )
                % {"name": pseud.name, "default": default.name},
            )
            return redirect("users:pseuds", owner.username)
    context = {"owner": owner, "pseud": pseud, "error": error}
    return render(request, "accounts/pseud_delete.html", context, status=400 if error else 200)


@require_POST
@login_required
def pseud_make_default(request, username: str, name: str):
    owner = selectors.active_user(username)
    pseud = selectors.pseud_of(owner, name)
    pseud_services.make_default(user=request.user, pseud=pseud)
    messages.success(request, _("“%(name)s” is now your default pseud.") % {"name": pseud.name})
    return redirect("users:pseuds", owner.username)


def pseud_works(request, username: str, name: str):
    """A pseud's works, with the filters and facets of every listing."""
    from fanshelf.discovery.views import listing_context

    owner = selectors.active_user(username)
    pseud = selectors.pseud_of(owner, name)
    base = selectors.works_by_pseud(pseud=pseud, viewer=request.user)
    context = listing_context(request, base=base)
    return render(request, "accounts/pseud_works.html", {"owner": owner, "pseud": pseud, **context})


def pseud_bookmarks(request, username: str, name: str):
    """The bookmarks made under a pseud, with the filters of a user's bookmarks page."""
    from fanshelf.bookmarks.forms import BookmarkFilterForm
    from fanshelf.bookmarks.selectors import bookmark_page

    owner = selectors.active_user(username)
    pseud = selectors.pseud_of(owner, name)
    filter_form = BookmarkFilterForm(request.GET or None)
    bookmarks = selectors.bookmarks_by_pseud(
        pseud=pseud, viewer=request.user, filters=filter_form.filters()
    )
    page = bookmark_page(bookmarks, viewer=request.user, number=request.GET.get("page"))
    context = {
        "owner": owner,
        "pseud": pseud,
        "filter_form": filter_form,
        "page": page,
        "is_owner": request.user.pk == owner.pk,
    }
    return render(request, "accounts/pseud_bookmarks.html", context)
