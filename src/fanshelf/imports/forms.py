"""Forms for importing on the web: the upload, and the choices on the preview."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fanshelf.tags.defaults import RATINGS
from fanshelf.tags.services import split_tag_list

ACTION_CHOICES = [("post", _("Post them")), ("draft", _("Save them as drafts"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; empty ones pass, so the reader can say which was empty."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        clean_one = super().clean
        return [clean_one(upload, initial) for upload in files]


class ImportForm(forms.Form):
    """Files to import and what to do with them."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "One file or several, or a zip of them: text (.txt), Markdown (.md), web pages "
            "(.html), EPUB and Word (.docx) files, AO3 downloads, a tumblr blog export."
        ),
        error_messages={"required": _("Please choose at least one file to import.")},
    )
    pseud = forms.ChoiceField(label=_("Creator/Pseud"))
    action = forms.ChoiceField(
        label=_("After the preview"),
        choices=ACTION_CHOICES,
        initial="post",
        widget=forms.RadioSelect,
    )
    fandom = forms.CharField(
        label=_("Fandoms for files that name none"),
        required=False,
        help_text=_("Separate fandoms with commas. Left empty, such works get “No Fandom”."),
        widget=forms.TextInput(attrs={"data-autocomplete": "fandom", "autocomplete": "off"}),
    )
    rating = forms.ChoiceField(
        label=_("Rating for files that give none"),
        choices=[("", _("Not Rated (the archive's default)"))] + [(r, r) for r in RATINGS[1:]],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pseud"].choices = [(p.name, p.name) for p in user.pseuds.all()]
        self.fields["pseud"].initial = user.default_pseud.name
        self.max_files = settings.FANSHELF_IMPORT_MAX_FILES
        self.max_bytes = settings.FANSHELF_IMPORT_MAX_UPLOAD_BYTES
        self.fields["files"].help_text = "{} {}".format(
            self.fields["files"].help_text,
            _("At most %(count)d files, %(size)s in all.")
            % {"count": self.max_files, "size": filesizeformat(self.max_bytes)},
        )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > self.max_files:
            raise forms.ValidationError(
                ngettext(
                    "You chose %(count)d files; at most %(max)d can be imported at once.",
                    "You chose %(count)d files; at most %(max)d can be imported at once.",
                    len(files),
                )
                % {"count": len(files), "max": self.max_files}
            )
        total = sum(upload.size for upload in files)
        if total > self.max_bytes:
            raise forms.ValidationError(
                _(
                    "The files come to %(size)s; at most %(max)s can be imported at once. "
                    "Choose fewer files, or import them in several goes."
                )
                % {"size": filesizeformat(total), "max": filesizeformat(self.max_bytes)}
            )
        return files

    def choices(self) -> dict:
        """Keyword arguments for ``batches.read_into_batch`` (all but the files)."""
        data = self.cleaned_data
        return {
            "pseud": data["pseud"],
            "as_draft": data["action"] == "draft",
            "fandoms": split_tag_list(data.get("fandom", "")),
            "rating": data.get("rating", ""),
        }

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError beside the fields it names."""
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class PostBatchForm(forms.Form):
    """The preview's choices: which works, posted or as drafts, and the source line."""

    work = forms.TypedMultipleChoiceField(
        label=_("Import this"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please tick at least one work to import.")},
    )
    action = forms.ChoiceField(choices=ACTION_CHOICES, initial="post")
    show_source = forms.BooleanField(
        label=_("Show readers where these works were first posted"),
        required=False,
        help_text=_("Adds “originally posted at …” to each work's preface."),
    )
    on_behalf = forms.BooleanField(
        label=_("Import on behalf of the creators named in the files"),
        required=False,
        help_text=_(
            "For archive migrations: the works keep their creators' names, and the "
            "creators can claim them later."
        ),
    )

    def __init__(self, *args, indexes, may_archive=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].choices = [(index, index) for index in indexes]
        if not may_archive:
            del self.fields["on_behalf"]

    def titles(self) -> dict[int, str]:
        """Titles typed for chosen works whose files give none."""
        titles = {index: self.data.get(f"title-{index}", "") for index in self.cleaned_data["work"]}
        return {index: " ".join(title.split()) for index, title in titles.items() if title.strip()}

    def accepted(self) -> dict[int, list[str]]:
        """The suggested tags ticked for each chosen work (``"type:name"``)."""
        return {index: self.data.getlist(f"accept-{index}") for index in self.cleaned_data["work"]}
