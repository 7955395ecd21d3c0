from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fanshelf.accounts.forms import InvitationRequestForm, SignUpForm
from fanshelf.accounts.invitations import request_invitation, signup_by_invitation
from fanshelf.accounts.models import User
from fanshelf.accounts.services import sign_up as sign_up_service
from fanshelf.core.pagecache import guest_cached
from fanshelf.core.ratelimit import allow, client_ip
from fanshelf.discovery.views import listing_context
from fanshelf.works.selectors import works_by_user

TOO_MANY_REQUESTS = 429


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("home")
    by_invitation = signup_by_invitation()
    initial = {"invitation_code": request.GET.get("code", "")}
    form = SignUpForm(request.POST or None, initial=initial, invitation=by_invitation)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not allow("sign_up", f"address:{client_ip(request)}"):
            form.add_error(None, _("Too many sign-ups from your address. Try again later."))
            status = TOO_MANY_REQUESTS
        else:
            try:
                user = sign_up_service(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    invitation_code=form.cleaned_data.get("invitation_code", ""),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                messages.success(request, _("Welcome to the archive, %(name)s!") % {"name": user})
                if not user.email_confirmed:
                    messages.info(
                        request,
                        _("We sent a link to %(email)s: open it to confirm your email.")
                        % {"email": user.email},
                    )
                return redirect("home")
    context = {"form": form, "by_invitation": by_invitation}
    return render(request, "accounts/sign_up.html", context, status=status)


def invitation_request(request):
    """Join the invitation queue; the answer is the same for every address."""
    if request.user.is_authenticated:
        return redirect("home")
    form = InvitationRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not allow("invitation_request", f"address:{client_ip(request)}"):
            form.add_error(None, _("Too many requests from your address. Try again later."))
            status = TOO_MANY_REQUESTS
        else:
            request_invitation(email=form.cleaned_data["email"])
            messages.success(
                request,
                _("Thank you! You are in the queue; your invitation will come by email."),
            )
            return redirect("home")
    return render(request, "accounts/invitation_request.html", {"form": form}, status=status)


@guest_cached()
def user_works(request, username: str):
    """A user's works, with the filters and facets of every listing; drafts for the owner."""
    owner = get_object_or_404(User, username__iexact=username, is_active=True)
    context = listing_context(request, base=works_by_user(owner=owner, viewer=request.user))
    return render(request, "accounts/works.html", {"owner": owner, **context})
