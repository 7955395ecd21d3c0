from django import forms
from django.utils.translation import gettext_lazy as _

from fanshelf.accounts.deletion import WORK_CHOICES
from fanshelf.accounts.models import User


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        """Show a service's ``ValidationError`` on the fields it names (else on the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


def _password_field(label=None, autocomplete="current-password"):
    return forms.CharField(
        label=label or _("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class SignUpForm(ServiceErrorsMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=40,
        help_text=_("Letters, digits and @/./+/-/_ only. It is also your first pseud."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password_field(_("Password"), "new-password")
    password_again = _password_field(_("Password again"), "new-password")

    def __init__(self, *args, invitation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if invitation:
            self.fields = {
                "invitation_code": forms.CharField(
                    label=_("Invitation code"),
                    max_length=100,
                    help_text=_("It is in the email that invited you."),
                ),
                **self.fields,
            }

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class InvitationRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ChangeEmailForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("New email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _password_field()


class ChangeUsernameForm(ServiceErrorsMixin, forms.Form):
    username = forms.CharField(
        label=_("New username"),
        max_length=40,
        help_text=_("Your default pseud is renamed too if it has the same name."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class DeleteAccountForm(ServiceErrorsMixin, forms.Form):
    works = forms.ChoiceField(label=_("Your works"), choices=WORK_CHOICES, widget=forms.RadioSelect)
    password = _password_field()


__all__ = ["SignUpForm", "User"]
