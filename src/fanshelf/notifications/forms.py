from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    """What a Subscribe button sends: one of a work id, a series id or a username."""

    work = forms.IntegerField(required=False, min_value=1, label=_("Work"))
    series = forms.IntegerField(required=False, min_value=1, label=_("Series"))
    user = forms.CharField(required=False, max_length=150, label=_("User"))
