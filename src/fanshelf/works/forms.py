"""Forms for posting and editing. They gather input; the services validate and save."""

from django import forms
from django.conf import global_settings
from django.utils.translation import gettext_lazy as _

from fanshelf.tags.defaults import ARCHIVE_WARNINGS, CATEGORIES, RATINGS
from fanshelf.tags.services import split_tag_list
from fanshelf.works.models import (
    CHAPTER_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Work,
)
from fanshelf.works.services import ChapterText, WorkTags

TEXT_FORMAT_CHOICES = [
    ("html", _("Rich text (HTML)")),
    ("plain", _("Plain text")),
    ("markdown", _("Markdown")),
]
LANGUAGE_CHOICES = sorted(global_settings.LANGUAGES, key=lambda item: str(item[1]))
TAG_HELP = _("Separate tags with commas.")


def _text_area(rows: int, maxlength: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": maxlength})


def _autocomplete(tag_type: str) -> dict:
    """Attributes that let static/fanshelf/autocomplete.js suggest tags of this type."""
    return {"data-autocomplete": tag_type, "autocomplete": "off"}


class ChapterFieldsMixin(forms.Form):
    chapter_title = forms.CharField(
        label=_("Chapter title"), max_length=TITLE_MAX_LENGTH, required=False
    )
    chapter_summary = forms.CharField(
        label=_("Chapter summary"),
        required=False,
        widget=_text_area(3, SUMMARY_MAX_LENGTH),
    )
    chapter_notes = forms.CharField(
        label=_("Chapter notes"), required=False, widget=_text_area(3, NOTES_MAX_LENGTH)
    )
    body = forms.CharField(
        label=_("Work text"),
        widget=forms.Textarea(attrs={"rows": 20, "maxlength": CHAPTER_MAX_LENGTH}),
        error_messages={"required": _("The chapter text is empty.")},
    )
    chapter_end_notes = forms.CharField(
        label=_("Chapter end notes"), required=False, widget=_text_area(3, NOTES_MAX_LENGTH)
    )
    text_format = forms.ChoiceField(
        label=_("Text format"),
        choices=TEXT_FORMAT_CHOICES,
        initial="html",
        help_text=_("How to read the text, summary and notes you typed."),
    )

    def chapter_text(self) -> ChapterText:
        data = self.cleaned_data
        return ChapterText(
            title=data.get("chapter_title", ""),
            summary=data.get("chapter_summary", ""),
            notes=data.get("chapter_notes", ""),
            body=data.get("body", ""),
            end_notes=data.get("chapter_end_notes", ""),
            text_format=data.get("text_format", "html"),
        )


class WorkMetadataForm(forms.Form):
    """A work's metadata and tags, as on AO3's posting form."""

    rating = forms.ChoiceField(
        label=_("Rating"), choices=[("", _("Choose a rating"))] + [(r, r) for r in RATINGS]
    )
    warning = forms.MultipleChoiceField(
        label=_("Archive warnings"),
        choices=[(w, w) for w in ARCHIVE_WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one archive warning.")},
    )
    category = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=[(c, c) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fandom = forms.CharField(
        label=_("Fandoms"),
        help_text=TAG_HELP,
        error_messages={"required": _("Please add at least one fandom.")},
        widget=forms.TextInput(attrs=_autocomplete("fandom")),
    )
    relationship = forms.CharField(
        label=_("Relationships"),
        required=False,
        help_text=TAG_HELP,
        widget=forms.TextInput(attrs=_autocomplete("relationship")),
    )
    character = forms.CharField(
        label=_("Characters"),
        required=False,
        help_text=TAG_HELP,
        widget=forms.TextInput(attrs=_autocomplete("character")),
    )
    freeform = forms.CharField(
        label=_("Additional tags"),
        required=False,
        help_text=TAG_HELP,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 12000, **_autocomplete("freeform")}),
    )
    title = forms.CharField(label=_("Work title"), max_length=TITLE_MAX_LENGTH)
    pseud = forms.ChoiceField(label=_("Creator/Pseud"))
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=_text_area(4, SUMMARY_MAX_LENGTH)
    )
    notes = forms.CharField(
        label=_("Beginning notes"), required=False, widget=_text_area(4, NOTES_MAX_LENGTH)
    )
    end_notes = forms.CharField(
        label=_("End notes"), required=False, widget=_text_area(4, NOTES_MAX_LENGTH)
    )
    series = forms.CharField(
        label=_("Series"),
        required=False,
        max_length=TITLE_MAX_LENGTH,
        help_text=_("The title of one of your series, or a new one."),
    )
    expected_chapters = forms.IntegerField(
        label=_("Expected number of chapters"),
        required=False,
        min_value=1,
        help_text=_("Leave empty if you don't know yet (shown as “?”)."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="en")
    restricted = forms.BooleanField(
        label=_("Only show this work to registered users"), required=False
    )
    anonymous = forms.BooleanField(label=_("Post anonymously"), required=False)
    comment_policy = forms.ChoiceField(
        label=_("Who can comment"), choices=Work.CommentPolicy.choices, initial="open"
    )
    show_source = forms.BooleanField(
        label=_("Show readers where this work was first posted"),
        required=False,
        help_text=_("Imported works remember the address or file they came from."),
    )

    SECTIONS = [
        (_("Tags"), ["rating", "warning", "category", "fandom", "relationship", "character",
                     "freeform"]),
        (_("Preface"), ["title", "pseud", "summary", "notes", "series", "expected_chapters",
                        "language"]),
        (_("Privacy and comments"), ["restricted", "anonymous", "comment_policy",
                                     "show_source"]),
        (_("Work text"), ["chapter_title", "text_format", "body", "end_notes"]),
    ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pseud"].choices = [(p.name, p.name) for p in user.pseuds.all()]

    def sections(self) -> list[tuple[str, list]]:
        """The form's fieldsets in order, each with the bound fields this form has."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.SECTIONS
        ]

    def tags(self) -> WorkTags:
        data = self.cleaned_data
        return WorkTags(
            rating=data.get("rating", ""),
            warning=data.get("warning", []),
            category=data.get("category", []),
            fandom=split_tag_list(data.get("fandom", "")),
            relationship=split_tag_list(data.get("relationship", "")),
            character=split_tag_list(data.get("character", "")),
            freeform=split_tag_list(data.get("freeform", "")),
        )

    def work_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in (
                "title",
                "summary",
                "notes",
                "end_notes",
                "language",
                "expected_chapters",
                "restricted",
                "anonymous",
                "comment_policy",
            )
        }
        if "show_source" in self.fields:
            fields["show_source"] = data.get("show_source", False)
        return fields

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError beside the fields it names."""
        for field, messages in error.message_dict.items():
            name = {"chapter_title": "chapter_title", "__all__": None}.get(field, field)
            if name not in self.fields:
                name = None
            for message in messages:
                self.add_error(name, message)


class NewWorkForm(ChapterFieldsMixin, WorkMetadataForm):
    """Post a new work: metadata and its first chapter."""

    field_order = [
        "rating", "warning", "category", "fandom", "relationship", "character", "freeform",
        "title", "pseud", "summary", "notes", "series", "expected_chapters", "language",
        "restricted", "anonymous", "comment_policy", "chapter_title", "text_format", "body",
        "end_notes",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A work typed in here has no source to show (imported works do).
        for name in ("chapter_summary", "chapter_notes", "chapter_end_notes", "show_source"):
            del self.fields[name]
        self.fields["expected_chapters"].initial = 1


class EditWorkForm(WorkMetadataForm):
    text_format = ChapterFieldsMixin.base_fields["text_format"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.initial.get("source")
        if not source:
            del self.fields["show_source"]
        else:
            self.fields["show_source"].help_text = _("It came from %(source)s.") % {
                "source": source
            }


class ChapterForm(ChapterFieldsMixin):
    def add_service_errors(self, error) -> None:
        WorkMetadataForm.add_service_errors(self, error)


def initial_for_work(work: Work) -> dict:
    """Form values that show a saved work as the author left it."""
    grouped: dict[str, list[str]] = {}
    for tag in work.tags.all():
        grouped.setdefault(tag.type, []).append(tag.name)
    first_pseud = work.creatorships.select_related("pseud").first()
    return {
        "title": work.title,
        "pseud": first_pseud.pseud.name if first_pseud else "",
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "series": work.series.title if work.series else "",
        "expected_chapters": work.expected_chapters,
        "restricted": work.restricted,
        "anonymous": work.anonymous,
        "comment_policy": work.comment_policy,
        "source": work.source,
        "show_source": work.show_source,
        "rating": (grouped.get("rating") or [""])[0],
        "warning": grouped.get("warning", []),
        "category": grouped.get("category", []),
        "fandom": ", ".join(grouped.get("fandom", [])),
        "relationship": ", ".join(grouped.get("relationship", [])),
        "character": ", ".join(grouped.get("character", [])),
        "freeform": ", ".join(grouped.get("freeform", [])),
        "text_format": "html",
    }


# Suggested tags (fanshelf.tags.suggestions) come back as ticked checkboxes named
# "accept_<type>"; they join the typed tags as if the author had typed them.
SUGGESTED_TAG_FIELDS = ("fandom", "relationship", "character")


def accepted_suggestions(data) -> dict[str, list[str]]:
    """The suggested tags the author ticked, by tag field."""
    accepted = {name: data.getlist(f"accept_{name}") for name in SUGGESTED_TAG_FIELDS}
    return {name: names for name, names in accepted.items() if names}


def with_accepted_suggestions(data):
    """Posted form data with the ticked suggestions added to their tag fields."""
    accepted = accepted_suggestions(data)
    if not accepted:
        return data
    data = data.copy()
    for name, names in accepted.items():
        data[name] = ", ".join(split_tag_list(", ".join([data.get(name, ""), *names])))
        del data[f"accept_{name}"]
    return data
