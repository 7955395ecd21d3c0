"""The comment form. It gathers what was typed; ``feedback.services`` validates it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fanshelf.feedback.models import COMMENT_MAX_LENGTH, GUEST_NAME_MAX_LENGTH


class CommentForm(forms.Form):
    """A new comment, a reply or an edit: the text, and who is writing it.

    Users with several pseuds choose one; guests give a name and an email address.
    Fields are not required here: the service says what is missing, in one place.
    """

    pseud = forms.ChoiceField(label=_("Comment as"), required=False)
    guest_name = forms.CharField(
        label=_("Name"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": GUEST_NAME_MAX_LENGTH, "autocomplete": "name"}),
    )
    guest_email = forms.CharField(
        label=_("Email"),
        required=False,
        help_text=_("Never shown to anyone."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label=_("Comment"),
        required=False,
        strip=False,
        help_text=_(
            "Plain text or simple HTML; leave a blank line between paragraphs. "
            "At most %(max)s characters."
        )
        % {"max": f"{COMMENT_MAX_LENGTH:,}"},
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": COMMENT_MAX_LENGTH}),
    )

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        authenticated = getattr(user, "is_authenticated", False)
        pseuds = list(user.pseuds.all()) if authenticated and not editing else []
        if len(pseuds) > 1:
            self.fields["pseud"].choices = [(p.name, p.name) for p in pseuds]
            self.fields["pseud"].initial = next((p.name for p in pseuds if p.is_default), "")
        else:
            del self.fields["pseud"]
        if authenticated or editing:
            del self.fields["guest_name"]
            del self.fields["guest_email"]

    def service_arguments(self) -> dict:
        """The typed values as keyword arguments for ``post_comment``."""
        data = self.cleaned_data
        return {
            name: data.get(name, "")
            for name in ("pseud", "guest_name", "guest_email", "body")
            if name in self.fields
        }

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError beside the fields it names."""
        for field, messages in error.message_dict.items():
            name = field if field in self.fields else None
            for message in messages:
                self.add_error(name, message)
