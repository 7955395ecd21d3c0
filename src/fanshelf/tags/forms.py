"""Forms for the tag pages: finding tags, and one form per wrangling action.

A wrangling form checks what was typed (that a named tag exists), says in words what
its action will do, and applies it through ``fanshelf.tags.wrangling``, which holds
every rule. ``preview`` runs the action in a transaction that is always rolled back,
so a refusal shows before the wrangler confirms, with the same message as after.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanshelf.tags import selectors, wrangling
from fanshelf.tags.models import FIXED_TYPES, Tag, WranglingChange


class TagSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tag name"), required=False, strip=True)


class UnwrangledFilterForm(forms.Form):
    """The wrangling bins: unwrangled tags by type, by fandom, by part of their name."""

    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    fandom = forms.ChoiceField(label=gettext_lazy("Fandom"), required=False)
    q = forms.CharField(label=gettext_lazy("Name contains"), required=False, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fandoms = {str(tag.pk): tag for tag in selectors.canonical_fandoms()}
        self.fields["type"].choices = [("", _("All types"))] + [
            (value, label) for value, label in Tag.Type.choices if value not in FIXED_TYPES
        ]
        self.fields["fandom"].choices = [
            ("", _("All fandoms")),
            (selectors.NO_FANDOM, _("No fandom")),
        ] + [(pk, tag.name) for pk, tag in self.fandoms.items()]

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.unwrangled_tags``; none when the form is invalid."""
        if not self.is_valid():
            return {}
        fandom = self.cleaned_data["fandom"]
        return {
            "tag_type": self.cleaned_data["type"],
            "fandom": self.fandoms.get(fandom, fandom or None),
            "query": self.cleaned_data["q"],
        }


def _tag_field(label, help_text=""):
    return forms.CharField(label=label, help_text=help_text, strip=True)


def _existing_tag(name: str) -> Tag:
    tag = selectors.tag_named_or_none(name)
    if tag is None:
        raise ValidationError(_("There is no tag called “%(name)s”.") % {"name": name})
    return tag


class WrangleForm(forms.Form):
    """One wrangling action on one tag."""

    action = ""
    # The field a refusal from the service is shown on; None for the form as a whole.
    error_field: str | None = None
    # Whether the action can move works between filters (renaming cannot).
    moves_works = True

    def __init__(self, *args, tag: Tag, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.tag = tag
        self.user = user

    def apply(self) -> WranglingChange | None:
        raise NotImplementedError

    def title(self) -> str:
        raise NotImplementedError

    def consequence(self) -> str:
        raise NotImplementedError

    def done(self) -> str:
        raise NotImplementedError

    def preview(self) -> tuple[WranglingChange | None, int]:
        """The change the action would log and the works it would move, changing nothing."""
        return wrangling.dry_run(self.tag, self.apply)

    def add_service_error(self, error: ValidationError) -> None:
        self.add_error(self.error_field, error.messages)


class CanonicalForm(WrangleForm):
    action = "canonical"
    canonical = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )

    def apply(self):
        canonical = self.cleaned_data["canonical"]
        return wrangling.set_canonical(user=self.user, tag=self.tag, canonical=canonical)

    def title(self):
        if self.cleaned_data["canonical"]:
            return _("Make “%(tag)s” canonical") % {"tag": self.tag}
        return _("Make “%(tag)s” not canonical") % {"tag": self.tag}

    def consequence(self):
        if self.cleaned_data["canonical"]:
            return _(
                "Works tagged “%(tag)s” will be found under it, and it can take synonyms, "
                "fandoms and meta tags."
            ) % {"tag": self.tag}
        return _("Works will no longer be found under “%(tag)s”.") % {"tag": self.tag}

    def done(self):
        if self.cleaned_data["canonical"]:
            return _("“%(tag)s” is now canonical.") % {"tag": self.tag}
        return _("“%(tag)s” is no longer canonical.") % {"tag": self.tag}


class SynonymForm(WrangleForm):
    action = "synonym"
    error_field = "synonym_of"
    synonym_of = _tag_field(
        gettext_lazy("Synonym of"),
        gettext_lazy("The canonical tag this one is another name for, as it is spelled."),
    )

    def clean_synonym_of(self):
        self.canonical = _existing_tag(self.cleaned_data["synonym_of"])
        return self.cleaned_data["synonym_of"]

    def apply(self):
        return wrangling.make_synonym(user=self.user, tag=self.tag, canonical=self.canonical)

    def title(self):
        return _("Make “%(tag)s” a synonym of “%(canonical)s”") % {
            "tag": self.tag,
            "canonical": self.canonical,
        }

    def consequence(self):
        return _(
            "Works tagged “%(tag)s” will be found under “%(canonical)s” and its fandoms and "
            "meta tags, and no longer under “%(tag)s” itself."
        ) % {"tag": self.tag, "canonical": self.canonical}

    def done(self):
        return _("“%(tag)s” is now a synonym of “%(canonical)s”.") % {
            "tag": self.tag,
            "canonical": self.canonical,
        }


class UnsynonymForm(WrangleForm):
    action = "unsynonym"

    def apply(self):
        return wrangling.make_synonym(user=self.user, tag=self.tag, canonical=None)

    def title(self):
        return _("Make “%(tag)s” no longer a synonym") % {"tag": self.tag}

    def consequence(self):
        return _("Works tagged “%(tag)s” will no longer be found under “%(canonical)s”.") % {
            "tag": self.tag,
            "canonical": self.tag.synonym_of,
        }

    def done(self):
        return _("“%(tag)s” is no longer a synonym.") % {"tag": self.tag}


class AddParentForm(WrangleForm):
    action = "add_parent"
    error_field = "parent"
    parent = _tag_field(
        gettext_lazy("Add a fandom or meta tag"),
        gettext_lazy("A canonical fandom, or a canonical tag of the same type above this one."),
    )

    def clean_parent(self):
        self.parent_tag = _existing_tag(self.cleaned_data["parent"])
        return self.cleaned_data["parent"]

    def apply(self):
        return wrangling.add_parent(user=self.user, tag=self.tag, parent=self.parent_tag)

    def title(self):
        return _("Put “%(tag)s” under “%(parent)s”") % {"tag": self.tag, "parent": self.parent_tag}

    def consequence(self):
        return _(
            "Works found under “%(tag)s” will also be found under “%(parent)s” and everything "
            "above it."
        ) % {"tag": self.tag, "parent": self.parent_tag}

    def done(self):
        return _("“%(tag)s” is now under “%(parent)s”.") % {
            "tag": self.tag,
            "parent": self.parent_tag,
        }


class RemoveParentForm(WrangleForm):
    action = "remove_parent"
    parent = forms.ModelChoiceField(queryset=Tag.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, tag: Tag, **kwargs):
        super().__init__(*args, tag=tag, **kwargs)
        self.fields["parent"].queryset = tag.parents.all()
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "That tag is not a parent of “%(tag)s”."
        ) % {"tag": tag}

    def apply(self):
        parent = self.cleaned_data["parent"]
        return wrangling.remove_parent(user=self.user, tag=self.tag, parent=parent)

    def title(self):
        return _("Take “%(tag)s” out from under “%(parent)s”") % {
            "tag": self.tag,
            "parent": self.cleaned_data["parent"],
        }

    def consequence(self):
        return _(
            "Works found under “%(tag)s” will no longer be found under “%(parent)s”, unless "
            "another of their tags leads there."
        ) % {"tag": self.tag, "parent": self.cleaned_data["parent"]}

    def done(self):
        return _("“%(tag)s” is no longer under “%(parent)s”.") % {
            "tag": self.tag,
            "parent": self.cleaned_data["parent"],
        }


class RenameForm(WrangleForm):
    action = "rename"
    error_field = "name"
    moves_works = False
    name = _tag_field(gettext_lazy("New name"))

    def apply(self):
        return wrangling.rename(user=self.user, tag=self.tag, name=self.cleaned_data["name"])

    def title(self):
        return _("Rename “%(tag)s” to “%(name)s”") % {
            "tag": self.tag,
            "name": self.cleaned_data["name"],
        }

    def consequence(self):
        return _("Works keep the tag and show its new name; no work moves.")

    def done(self):
        return _("The tag is now called “%(name)s”.") % {"name": self.cleaned_data["name"]}


WRANGLE_FORMS = {
    form.action: form
    for form in (
        CanonicalForm,
        SynonymForm,
        UnsynonymForm,
        AddParentForm,
        RemoveParentForm,
        RenameForm,
    )
}
