"""Claiming archived works: ask for a link by email, open it, confirm.

Whoever is logged in when the emailed link is opened claims the works: the link is
the proof that they own the address the works were archived with (as a password
reset link is), and the confirmation page names the pseud the works will move to.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from fanshelf.imports import archive


class ClaimRequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        help_text=gettext_lazy("The address your works were archived with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _link_days() -> int:
    return max(1, round(archive.claim_link_seconds() / 86400))


@login_required
@require_http_methods(["GET", "POST"])
def request_link(request):
    """The "Claim works archived under your name" form."""
    form = ClaimRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            archive.request_claim(user=request.user, email=form.cleaned_data["email"])
        except archive.ClaimRateLimited as error:
            form.add_error(None, error)
            status = 429
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("claims:sent")
    elif request.method == "POST":
        status = 400
    return render(request, "imports/claims/request.html", {"form": form}, status=status)


@login_required
@require_GET
def link_sent(request):
    """The same answer for every address, known or not."""
    return render(request, "imports/claims/sent.html", {"days": _link_days()})


def _problem(request, problem: archive.ClaimLinkProblem):
    if isinstance(problem, archive.ClaimAlreadyUsed):
        return render(request, "imports/claims/claimed.html", {"message": str(problem)})
    return render(request, "imports/claims/problem.html", {"message": str(problem)}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """The works a claim link covers, and the button that claims them."""
    try:
        link = archive.read_claim_token(token)
    except archive.ClaimLinkProblem as problem:
        return _problem(request, problem)
    if request.method == "POST":
        try:
            works = archive.claim_works(user=request.user, token=token)
        except archive.ClaimLinkProblem as problem:
            return _problem(request, problem)
        messages.success(
            request,
            ngettext(
                "You claimed %(count)d work: it is now yours.",
                "You claimed %(count)d works: they are now yours.",
                len(works),
            )
            % {"count": len(works)},
        )
        return redirect("users:works", request.user.username)
    creators = archive.claimable(link)
    if not creators:
        return _problem(request, archive.ClaimAlreadyUsed())
    context = {
        "creators": creators,
        "works": archive.works_to_claim(creators),
        "pseud": request.user.default_pseud,
        "token": token,
    }
    return render(request, "imports/claims/confirm.html", context)
