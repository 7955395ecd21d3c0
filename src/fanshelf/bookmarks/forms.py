"""Forms for bookmarking and for filtering bookmark listings. The services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fanshelf.bookmarks.models import NOTES_MAX_LENGTH, Bookmark
from fanshelf.bookmarks.selectors import BookmarkFilters
from fanshelf.tags.services import split_tag_list

TAG_HELP = _("Your own tags for this bookmark. Separate tags with commas.")


class BookmarkForm(forms.Form):
    """A bookmark's notes, tags, rec and private flags, and the pseud it is shown under."""

    pseud = forms.ChoiceField(label=_("Bookmark as"))
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        help_text=_("Plain text or HTML; blank lines make paragraphs."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTES_MAX_LENGTH}),
    )
    tags = forms.CharField(
        label=_("Your tags"),
        required=False,
        help_text=TAG_HELP,
        # The attributes static/fanshelf/autocomplete.js reads (see works.forms).
        widget=forms.TextInput(attrs={"data-autocomplete": "freeform", "autocomplete": "off"}),
    )
    rec = forms.BooleanField(label=_("Rec (recommend this to others)"), required=False)
    private = forms.BooleanField(label=_("Private bookmark (only you see it)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        pseuds = list(user.pseuds.all())
        self.fields["pseud"].choices = [(p.name, p.name) for p in pseuds]
        self.fields["pseud"].initial = next((p.name for p in pseuds if p.is_default), "")
        self.has_pseud_choice = len(pseuds) > 1
        if not self.has_pseud_choice:
            self.fields["pseud"].widget = forms.HiddenInput()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "pseud": data.get("pseud") or None,
            "notes": data.get("notes", ""),
            "tags": split_tag_list(data.get("tags", "")),
            "rec": data.get("rec", False),
            "private": data.get("private", False),
        }

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError beside the fields it names."""
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def initial_for_bookmark(bookmark: Bookmark) -> dict:
    """Form values that show a saved bookmark as its owner left it."""
    return {
        "pseud": bookmark.pseud.name,
        "notes": bookmark.notes,
        "tags": ", ".join(tag.name for tag in bookmark.tags.all()),
        "rec": bookmark.rec,
        "private": bookmark.private,
    }


class BookmarkFilterForm(forms.Form):
    """The filters of a bookmark listing, read from the query string."""

    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("bookmarked", _("Date bookmarked")), ("updated", _("Date updated"))],
    )
    tag = forms.CharField(
        label=_("Bookmarker's tag"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"data-autocomplete": "freeform", "autocomplete": "off"}),
    )
    work_tags = forms.CharField(
        label=_("Work tags"),
        required=False,
        max_length=1000,
        help_text=_("Works with all of these tags. Separate tags with commas."),
        widget=forms.TextInput(attrs={"data-autocomplete": "any", "autocomplete": "off"}),
    )
    rec = forms.BooleanField(label=_("Recs only"), required=False)

    def filters(self) -> BookmarkFilters:
        """The filters as typed; a value that is not valid is left out (and marked on the form)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return BookmarkFilters(
            tag=" ".join((data.get("tag") or "").split()),
            work_tags=split_tag_list(data.get("work_tags") or ""),
            rec=bool(data.get("rec")),
            sort=data.get("sort") or "bookmarked",
        )

    @property
    def in_use(self) -> bool:
        filters = self.filters()
        return bool(filters.tag or filters.work_tags or filters.rec)
