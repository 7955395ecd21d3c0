"""Bookmark pages: the bookmark form, deleting, a user's bookmarks and a work's bookmarks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fanshelf.accounts.models import User
from fanshelf.bookmarks import selectors, services
from fanshelf.bookmarks.forms import BookmarkFilterForm, BookmarkForm, initial_for_bookmark
from fanshelf.bookmarks.models import Bookmark
from fanshelf.works.models import Series, Work
from fanshelf.works.selectors import visible_works, work_for_reader


def _readable_work(request, work_id: int) -> Work:
    try:
        return work_for_reader(work_id=work_id, viewer=request.user)
    except Work.DoesNotExist:
        raise Http404(_("This work does not exist, or you cannot see it.")) from None


def _readable_series(request, series_id: int) -> Series:
    series = get_object_or_404(Series, pk=series_id)
    if not visible_works(request.user).filter(series=series).exists():
        raise Http404(_("This series does not exist, or you cannot see any of its works."))
    return series


def _bookmark_form(request, *, work: Work | None = None, series: Series | None = None):
    """Show, create or change the user's bookmark of a work or series.

    The work and series pages post here; a form with errors is shown again on this
    page with everything typed, so nothing is lost.
    """
    target = work or series
    existing = selectors.bookmark_of(user=request.user, work=work, series=series)
    initial = initial_for_bookmark(existing) if existing else None
    form = BookmarkForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _bookmark, created = services.bookmark(
                user=request.user, work=work, series=series, **form.service_arguments()
            )
        except (Work.DoesNotExist, Series.DoesNotExist):
            raise Http404(_("This does not exist, or you cannot see it.")) from None
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if created:
                messages.success(request, _("Bookmarked “%(title)s”.") % {"title": target})
            else:
                messages.success(request, _("Your bookmark was updated."))
            return redirect(target)
    context = {"form": form, "work": work, "series": series, "target": target, "bookmark": existing}
    return render(request, "bookmarks/form.html", context)


@login_required
def bookmark_work(request, work_id: int):
    return _bookmark_form(request, work=_readable_work(request, work_id))


@login_required
def bookmark_series(request, series_id: int):
    return _bookmark_form(request, series=_readable_series(request, series_id))


@login_required
def delete_bookmark(request, bookmark_id: int):
    """Ask, then delete one of the user's own bookmarks."""
    bookmark = get_object_or_404(
        Bookmark.objects.select_related("work", "series"), pk=bookmark_id, user=request.user
    )
    if request.method == "POST":
        services.delete_bookmark(user=request.user, bookmark=bookmark)
        messages.success(request, _("Your bookmark was deleted."))
        return redirect("bookmarks:user", username=request.user.username)
    return render(request, "bookmarks/confirm_delete.html", {"bookmark": bookmark})


def user_bookmarks(request, username: str):
    """A user's bookmarks with filters in the query string; private ones for the owner only."""
    owner = get_object_or_404(User, username__iexact=username, is_active=True)
    filter_form = BookmarkFilterForm(request.GET or None)
    bookmarks = selectors.bookmarks_by_user(
        owner=owner, viewer=request.user, filters=filter_form.filters()
    )
    page = selectors.bookmark_page(bookmarks, viewer=request.user, number=request.GET.get("page"))
    context = {
        "owner": owner,
        "filter_form": filter_form,
        "page": page,
        "is_owner": request.user == owner,
    }
    return render(request, "bookmarks/user_bookmarks.html", context)


def work_bookmarks(request, work_id: int):
    """The public bookmarks of a work: who bookmarked it, with their notes and tags."""
    work = _readable_work(request, work_id)
    bookmarks = selectors.public_bookmarks_of_work(work=work, viewer=request.user)
    page = selectors.bookmark_page(bookmarks, viewer=request.user, number=request.GET.get("page"))
    return render(request, "bookmarks/work_bookmarks.html", {"work": work, "page": page})
