"""The account page: confirm the email, change email or username, delete the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanshelf.accounts import deletion, services
from fanshelf.accounts.confirmation import confirm_email, send_confirmation_email
from fanshelf.accounts.forms import ChangeEmailForm, ChangeUsernameForm, DeleteAccountForm
from fanshelf.core.ratelimit import allow, client_ip

TOO_MANY_REQUESTS = 429
FORMS = {
    "email_form": ChangeEmailForm,
    "username_form": ChangeUsernameForm,
    "delete_form": DeleteAccountForm,
}


def _page(request, status=200, **bound):
    forms = {name: bound.get(name) or form_class() for name, form_class in FORMS.items()}
    if "username_form" not in bound:
        forms["username_form"] = ChangeUsernameForm(initial={"username": request.user.username})
    return render(request, "accounts/account.html", forms, status=status)


@login_required
def account(request):
    return _page(request)


@login_required
@require_POST
def change_email(request):
    form = ChangeEmailForm(request.POST)
    if form.is_valid():
        try:
            services.change_email(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Your email is now %(email)s. We sent it a link: open it to confirm.")
                % {"email": request.user.email},
            )
            return redirect("account:page")
    return _page(request, email_form=form)


@login_required
@require_POST
def change_username(request):
    form = ChangeUsernameForm(request.POST)
    if form.is_valid():
        try:
            services.change_username(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            request.user.refresh_from_db()
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("Your username is now %(name)s.") % {"name": request.user.username}
            )
            return redirect("account:page")
    return _page(request, username_form=form)


@login_required
@require_POST
def delete_account(request):
    form = DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            deletion.delete_account(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Goodbye, and thank you."))
            return redirect("home")
    return _page(request, delete_form=form)


def confirm(request, token: str):
    """GET shows a button (mail scanners follow links); POST confirms the address."""
    if request.method == "POST":
        try:
            user = confirm_email(token=token)
        except ValidationError as error:
            return render(
                request, "accounts/confirm_email.html", {"error": error.messages[0]}, status=400
            )
        messages.success(request, _("Thank you, %(email)s is confirmed.") % {"email": user.email})
        return redirect("account:page" if request.user.is_authenticated else "login")
    return render(request, "accounts/confirm_email.html", {"token": token})


@login_required
@require_POST
def send_confirmation_again(request):
    user = request.user
    if user.email_confirmed:
        messages.info(request, _("Your email is already confirmed."))
    elif not allow("confirmation_email", f"user:{user.pk}", f"address:{client_ip(request)}"):
        messages.error(request, _("We sent several links already; try again in an hour."))
        return _page(request, status=TOO_MANY_REQUESTS)
    else:
        send_confirmation_email(user=user)
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": user.email})
    return redirect("account:page")
