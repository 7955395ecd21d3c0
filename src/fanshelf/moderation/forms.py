"""Forms of moderation: a report, and the moderators' actions on it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fanshelf.accounts.forms import ServiceErrorsMixin
from fanshelf.moderation.models import DETAILS_MAX_LENGTH, MESSAGE_MAX_LENGTH, Report
from fanshelf.moderation.services import SUSPENSION_DAYS


class ReportForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Report.Reason.choices)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is wrong, and where? Up to 5,000 characters."),
    )
    reporter_email = forms.EmailField(
        label=_("Your email"),
        help_text=_("Only moderators see it, to write to you about the report."),
    )

    def __init__(self, *args, guest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["reporter_email"]


class NoteForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Resolution note"),
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None, empty_label=None)

    def __init__(self, *args, moderators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = moderators


class MessageForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the user or creators"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (for the log)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SanctionForm(MessageForm):
    kind = forms.ChoiceField(
        label=_("Sanction"), choices=[("suspend", _("Suspend")), ("ban", _("Ban"))]
    )
    days = forms.IntegerField(
        label=_("Days (for a suspension)"),
        required=False,
        min_value=SUSPENSION_DAYS[0],
        max_value=SUSPENSION_DAYS[1],
    )
