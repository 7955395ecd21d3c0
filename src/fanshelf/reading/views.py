"""Pages for a reader's history, "Marked for later" list, preferences, and an author's stats."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanshelf.reading import selectors, services, stats
from fanshelf.reading.forms import PreferencesForm
from fanshelf.reading.preferences import preferences_for, update_preferences
from fanshelf.works.models import Work
from fanshelf.works.selectors import work_for_reader

PER_PAGE = 20


def _page(request, readings):
    return Paginator(readings, PER_PAGE).get_page(request.GET.get("page"))


@login_required
def history(request):
    """The reader's own history, last read first."""
    context = {
        "page": _page(request, selectors.history_of(request.user)),
        "history_enabled": selectors.history_enabled(request.user),
    }
    return render(request, "reading/history.html", context)


@login_required
def clear_history(request):
    """Ask for confirmation, then forget what the reader read."""
    if request.method == "POST":
        cleared = services.clear_history(user=request.user)
        messages.success(
            request,
            _("Your history was cleared (%(n)s works). Works marked for later stay on that list.")
            % {"n": cleared},
        )
        return redirect("reading:history")
    return render(request, "reading/confirm_clear.html")


@login_required
@require_POST
def history_setting(request):
    enabled = request.POST.get("enabled") == "1"
    services.set_history_enabled(user=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("Your reading history is on."))
    else:
        messages.success(
            request, _("Your reading history is off: works you read are no longer added.")
        )
    return redirect("reading:history")


@login_required
def preferences(request):
    """The reader's preferences: hidden tags, the adult content notice, time zone and more."""
    current = preferences_for(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                update_preferences(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Your preferences were saved."))
                return redirect("reading:preferences")
    else:
        form = PreferencesForm(initial=PreferencesForm.initial_for(current))
    return render(request, "reading/preferences.html", {"form": form})


@login_required
def later(request):
    """The works the reader marked for later, last marked first."""
    page = _page(request, selectors.marked_for_later(request.user))
    return render(request, "reading/later.html", {"page": page})


def _back(request, work: Work):
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(wanted)
    return redirect(work)


@login_required
@require_POST
def set_later(request, work_id: int):
    """Mark a work for later (``later=1``) or take it off the list (``later=0``)."""
    try:
        work = work_for_reader(work_id=work_id, viewer=request.user)
    except Work.DoesNotExist:
        raise Http404(_("This work does not exist, or you cannot see it.")) from None
    try:
        if request.POST.get("later") == "1":
            services.mark_for_later(user=request.user, work=work)
            messages.success(request, _("“%(title)s” was marked for later.") % {"title": work})
        else:
            services.remove_from_later(user=request.user, work=work)
            messages.success(
                request, _("“%(title)s” was removed from your list for later.") % {"title": work}
            )
    except PermissionDenied as error:
        messages.error(request, str(error))
    return _back(request, work)


@login_required
def statistics(request):
    """The author's statistics: each of their works and the totals, with a chart."""
    sort = stats.Sort.from_query(request.GET)
    period = stats.Range.from_query(request.GET)
    works = stats.works_stats(user=request.user, sort=sort)
    context = {
        "rows": stats.table_rows(works),
        "totals": stats.totals(works),
        "sort": sort,
        "columns": stats.columns(sort),
        "range": period,
        "ranges": stats.Range.choices(),
        "sort_query": f"&sort={sort.key}&order={'desc' if sort.descending else 'asc'}",
        "timeline": stats.timeline(
            work_ids=[work.pk for work in works], period=period, since=stats.first_posted(works)
        ),
    }
    return render(request, "reading/stats.html", context)


@login_required
def work_statistics(request, work_id: int):
    """One work's statistics, for its creators only."""
    try:
        work = stats.work_stats(user=request.user, work_id=work_id)
    except Work.DoesNotExist:
        raise Http404(_("This work does not exist, or you cannot see it.")) from None
    period = stats.Range.from_query(request.GET)
    context = {
        "work": work,
        "figures": stats.figures(work),
        "range": period,
        "ranges": stats.Range.choices(),
        "timeline": stats.timeline(work_ids=[work.pk], period=period, since=work.published_at),
    }
    return render(request, "reading/work_stats.html", context)
