"""Pages for co-creator invitations: inviting from a work, answering as the invited user."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fanshelf.accounts import cocreators, selectors
from fanshelf.accounts.forms import ServiceErrorsMixin
from fanshelf.accounts.models import CoCreatorInvitation


class InviteForm(ServiceErrorsMixin, forms.Form):
    username = forms.CharField(label=gettext_lazy("Their username"), max_length=150)
    pseud = forms.CharField(
        label=gettext_lazy("Their pseud"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Leave empty for their default pseud."),
    )


def _own_page(request, username: str):
    owner = selectors.active_user(username)
    if request.user.pk != owner.pk:
        raise PermissionDenied(_("Only %(name)s can do that.") % {"name": owner.username})
    return owner


@login_required
def invite(request, username: str, work_id: int):
    """Invite another user's pseud to be credited on one of the owner's works."""
    from fanshelf.works.models import Work
    from fanshelf.works.selectors import work_for_reader

    owner = _own_page(request, username)
    try:
        work = work_for_reader(work_id=work_id, viewer=request.user)
    except Work.DoesNotExist:
        raise Http404 from None
    cocreators.check_creator(request.user, work)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = cocreators.invite_co_creator(
                user=request.user,
                work=work,
                username=form.cleaned_data["username"],
                pseud_name=form.cleaned_data["pseud"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(name)s is invited; they will be credited once they accept.")
                % {"name": invitation.pseud},
            )
            return redirect("users:co_creators", owner.username, work.pk)
    context = {
        "owner": owner,
        "work": work,
        "form": form,
        "pending": cocreators.invitations_for_work(work),
    }
    return render(
        request, "accounts/pseud_invite.html", context, status=400 if form.errors else 200
    )


@login_required
def invitations(request, username: str):
    """The co-creator invitations waiting for the owner's answer."""
    owner = _own_page(request, username)
    context = {"owner": owner, "invitations": cocreators.pending_invitations(owner)}
    return render(request, "accounts/pseud_invitations.html", context)


@require_POST
@login_required
def answer(request, username: str, invitation_id: int, accept: bool):
    owner = _own_page(request, username)
    invitation = get_object_or_404(CoCreatorInvitation, pk=invitation_id)
    try:
        if accept:
            cocreators.accept_invitation(user=request.user, invitation=invitation)
            messages.success(
                request,
                _("You are now credited on “%(title)s”.") % {"title": invitation.work.title},
            )
        else:
            cocreators.decline_invitation(user=request.user, invitation=invitation)
            messages.success(request, _("Invitation declined."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("users:invitations", owner.username)
