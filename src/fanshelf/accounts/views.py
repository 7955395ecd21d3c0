from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fanshelf.accounts.forms import SignUpForm
from fanshelf.accounts.models import User
from fanshelf.accounts.services import create_user
from fanshelf.discovery.views import listing_context
from fanshelf.works.selectors import works_by_user


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = create_user(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to the archive, %(name)s!") % {"name": user})
            return redirect("home")
    return render(request, "accounts/sign_up.html", {"form": form})


def user_works(request, username: str):
    """A user's works, with the filters and facets of every listing; drafts for the owner."""
    owner = get_object_or_404(User, username__iexact=username, is_active=True)
    context = listing_context(request, base=works_by_user(owner=owner, viewer=request.user))
    return render(request, "accounts/works.html", {"owner": owner, **context})
