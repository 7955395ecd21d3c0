"""The preferences form: checkboxes and a time zone select, labelled from the model."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from fanshelf.reading.models import ReadingPreference
from fanshelf.reading.preferences import EDITABLE, time_zones


def _checkbox(name: str) -> forms.BooleanField:
    field = ReadingPreference._meta.get_field(name)
    return forms.BooleanField(
        label=capfirst(field.verbose_name), help_text=field.help_text, required=False
    )


class PreferencesForm(forms.Form):
    """Every preference a reader can set; ``initial_for`` fills it from their row."""

    history_enabled = _checkbox("history_enabled")
    hide_warnings = _checkbox("hide_warnings")
    hide_freeform = _checkbox("hide_freeform")
    confirm_adult_content = _checkbox("confirm_adult_content")
    view_entire_work = _checkbox("view_entire_work")
    hide_creator_style = _checkbox("hide_creator_style")
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=ReadingPreference._meta.get_field("time_zone").help_text,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a time zone we know. Choose one from the list, "
                "such as Europe/Berlin or America/New_York."
            ),
            "required": _("Choose a time zone."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(zone, zone) for zone in time_zones()]

    @staticmethod
    def initial_for(preference: ReadingPreference) -> dict:
        initial = {name: getattr(preference, name) for name in EDITABLE}
        initial["time_zone"] = preference.zone_name
        return initial
