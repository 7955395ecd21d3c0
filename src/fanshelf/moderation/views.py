"""Pages of moderation: report forms for everyone, the queue and actions for moderators."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fanshelf.core.ratelimit import client_ip
from fanshelf.moderation import selectors, services
from fanshelf.moderation.forms import (
    AssignForm,
    MessageForm,
    NoteForm,
    ReasonForm,
    ReportForm,
    SanctionForm,
)
from fanshelf.moderation.models import Report, Sanction
from fanshelf.moderation.roles import is_moderator

PAGE_SIZE = 50


def moderators_only(view):
    """A 404 for everyone else: the moderation pages do not admit they exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise Http404(_("Page not found."))
        return view(request, *args, **kwargs)

    return wrapper


def report_target(request, kind: str, pk: int):
    """The report form for a work, comment, user or bookmark the reporter can see."""
    target = selectors.reportable_target(kind=kind, pk=pk, viewer=request.user)
    if target is None:
        raise Http404(_("This does not exist, or you cannot see it."))
    guest = not request.user.is_authenticated
    form = ReportForm(request.POST or None, guest=guest)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                kind=kind,
                target=target,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                reporter=request.user,
                reporter_email=form.cleaned_data.get("reporter_email", ""),
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("moderation:thanks")
    context = {
        "form": form,
        "kind": kind,
        "target": target,
        "description": services.describe(kind, target),
    }
    return render(request, "moderation/report_form.html", context)


def thanks(request):
    return render(request, "moderation/thanks.html")


@moderators_only
def queue(request):
    filters = selectors.QueueFilters.from_query(request.GET)
    reports = selectors.report_queue(filters=filters, viewer=request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": Report.Status.choices,
        "kinds": Report.Kind.choices,
        "moderators": list(selectors.moderators()),
        "query": _without_page(request.GET),
    }
    return render(request, "moderation/queue.html", context)


def _without_page(query) -> str:
    """The filters of a listing's address, ready to have ``page=`` appended."""
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode() + "&" if kept else ""


def _report_context(request, report, **forms) -> dict:
    moderators = selectors.moderators()
    return {
        "report": report,
        "actions": selectors.report_actions(report),
        "assign_form": forms.get("assign_form") or AssignForm(moderators=moderators),
        "note_form": forms.get("note_form") or NoteForm(),
    }


@moderators_only
def report_detail(request, pk: int):
    """One report: its target, assignment, resolution and the actions taken on it."""
    try:
        report = selectors.report_detail(pk)
    except Report.DoesNotExist:
        raise Http404(_("No such report.")) from None
    forms = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "assign_me":
                services.assign(moderator=request.user, report=report)
                messages.success(request, _("The report is assigned to you."))
                return redirect("moderation:report", pk=pk)
            if action == "assign":
                form = AssignForm(request.POST, moderators=selectors.moderators())
                forms["assign_form"] = form
                if form.is_valid():
                    assignee = form.cleaned_data["assignee"]
                    services.assign(moderator=request.user, report=report, assignee=assignee)
                    messages.success(request, _("The report was assigned."))
                    return redirect("moderation:report", pk=pk)
            if action == "resolve":
                form = NoteForm(request.POST)
                forms["note_form"] = form
                if form.is_valid():
                    services.resolve(
                        moderator=request.user, report=report, note=form.cleaned_data["note"]
                    )
                    messages.success(request, _("The report was resolved."))
                    return redirect("moderation:queue")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return render(request, "moderation/report.html", _report_context(request, report, **forms))


def _linked_report(request) -> Report | None:
    pk = request.POST.get("report") or request.GET.get("report") or ""
    return Report.objects.filter(pk=int(pk)).first() if pk.isdigit() else None


def _act(request, form, act, success: str, template: str, context: dict):
    """Run one moderator action from a bound form; the form keeps its text on errors."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, success)
            report = context.get("report")
            if report is not None:
                return redirect("moderation:report", pk=report.pk)
            return redirect(request.path)
    return render(request, template, {**context, "form": form})


@moderators_only
def moderate_work(request, pk: int):
    """Hide a work (with a message to its creators) or unhide it."""
    from fanshelf.works.models import Work

    work = get_object_or_404(Work, pk=pk)
    report = _linked_report(request)
    hidden = work.state == Work.State.HIDDEN
    context = {
        "work": work,
        "report": report,
        "hidden": hidden,
        "notice": selectors.hidden_work_notice(work),
    }
    if hidden:
        form = ReasonForm(request.POST or None)

        def act(data):
            services.unhide_work(
                moderator=request.user, work=work, reason=data["reason"], report=report
            )

        done = _("The work is visible again.")
    else:
        form = MessageForm(request.POST or None)

        def act(data):
            services.hide_work(
                moderator=request.user, work=work, message=data["message"], report=report
            )

        done = _("The work is hidden.")
    return _act(request, form, act, done, "moderation/work.html", context)


@moderators_only
def moderate_comment(request, pk: int):
    from fanshelf.feedback.models import Comment

    comment = get_object_or_404(Comment.objects.select_related("work"), pk=pk)
    report = _linked_report(request)
    form = ReasonForm(request.POST or None)

    def act(data):
        services.delete_comment(
            moderator=request.user, comment=comment, reason=data["reason"], report=report
        )

    context = {"comment": comment, "report": report}
    if comment.is_deleted:
        context["deleted"] = True
    return _act(
        request, form, act, _("The comment was deleted."), "moderation/comment.html", context
    )


@moderators_only
def moderate_user(request, pk: int):
    """A user's sanctions, and the form to suspend or ban them."""
    from django.contrib.auth import get_user_model

    target = get_object_or_404(get_user_model(), pk=pk)
    report = _linked_report(request)
    form = SanctionForm(request.POST or None)

    def act(data):
        common = {"moderator": request.user, "user": target, "message": data["message"]}
        if data["kind"] == "ban":
            services.ban(**common, report=report)
        else:
            if not data.get("days"):
                raise ValidationError({"days": _("Say for how many days (1 to 365).")})
            services.suspend(**common, days=data["days"], report=report)

    context = {
        "target": target,
        "report": report,
        "sanctions": selectors.sanctions_of(target),
    }
    try:
        return _act(
            request, form, act, _("The sanction is in force."), "moderation/user.html", context
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("moderation:user", pk=pk)


@moderators_only
def lift_sanction(request, pk: int):
    sanction = get_object_or_404(Sanction, pk=pk)
    if request.method == "POST":
        try:
            services.lift(
                moderator=request.user, sanction=sanction, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The sanction was lifted."))
    return redirect("moderation:user", pk=sanction.user_id)


@moderators_only
def action_log(request):
    page = Paginator(selectors.action_log(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page})


@moderators_only
def security_events(request):
    page = Paginator(selectors.security_events(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/security.html", {"page": page})
