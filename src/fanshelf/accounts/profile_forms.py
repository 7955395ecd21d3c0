"""Forms for pseuds and profiles; the services check everything again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fanshelf.accounts.forms import ServiceErrorsMixin
from fanshelf.accounts.links import SITE_CHOICES, clean_link
from fanshelf.accounts.profile import MAX_LINKS
from fanshelf.accounts.pseuds import ICON_ALT_MAX_LENGTH, NAME_MAX_LENGTH


class PseudForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("HTML allowed: <p>, <em>, <strong>, <a> and the like."),
    )
    icon = forms.FileField(
        label=_("Icon"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, up to 500 KB; shown as a 100×100 square."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    icon_alt = forms.CharField(
        label=_("Icon description (alt text)"),
        max_length=ICON_ALT_MAX_LENGTH,
        required=False,
        help_text=_("What the icon shows, for people who cannot see it."),
    )
    remove_icon = forms.BooleanField(label=_("Remove the icon"), required=False)

    def __init__(self, *args, has_icon: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_icon:
            del self.fields["remove_icon"]


class ProfileForm(ServiceErrorsMixin, forms.Form):
    about = forms.CharField(
        label=_("About you"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("HTML allowed: <p>, <em>, <strong>, <a> and the like."),
    )


class ProfileLinkForm(forms.Form):
    site = forms.ChoiceField(label=_("Site"), choices=SITE_CHOICES, required=False)
    handle_or_url = forms.CharField(
        label=_("Your name there, or the address"), max_length=500, required=False
    )

    def clean(self):
        data = super().clean()
        value = (data.get("handle_or_url") or "").strip()
        if value:
            try:
                data["handle_or_url"] = clean_link(data.get("site") or "", value)
            except ValidationError as error:
                self.add_error("handle_or_url", error)
        return data


class BaseProfileLinkFormSet(forms.BaseFormSet):
    def links(self) -> list[tuple[str, str]]:
        return [
            (form.cleaned_data.get("site") or "", form.cleaned_data.get("handle_or_url") or "")
            for form in self.forms
            if form.cleaned_data.get("handle_or_url")
        ]


ProfileLinkFormSet = forms.formset_factory(
    ProfileLinkForm,
    formset=BaseProfileLinkFormSet,
    extra=2,
    max_num=MAX_LINKS,
    absolute_max=MAX_LINKS,
    validate_max=True,
)
