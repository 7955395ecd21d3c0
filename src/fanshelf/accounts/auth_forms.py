"""Forms of the ways in: log in and password reset, with their throttles."""

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fanshelf.accounts.throttling import login_allowed, password_reset_allowed


class LoginForm(AuthenticationForm):
    """Django's log-in form, throttled per account name and per address.

    A throttled attempt is refused before the password is checked, so guessing
    stops costing the server argon2 hashes too.
    """

    throttled = False

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password and not login_allowed(self.request, username):
            self.throttled = True
            raise ValidationError(
                _(
                    "Too many log-in attempts for this account or from your address. "
                    "Please wait a few minutes and try again, or reset your password."
                ),
                code="throttled",
            )
        return super().clean()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from fanshelf.moderation.standing import refuse_banned_login

        refuse_banned_login(user)


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, limited per email and per address.

    The answer is the same whether or not the email belongs to an account; only
    a throttled request is told to wait (and is counted whoever it names).
    """

    throttled = False

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if not password_reset_allowed(self.request, email):
            self.throttled = True
            raise ValidationError(
                _("Too many password reset requests. Please try again in an hour."),
                code="throttled",
            )
        return email
