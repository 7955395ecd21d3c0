"""Write paths for tags. Wrangling (canonical, synonyms, parents) comes later."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fanshelf.tags.models import FIXED_TYPES, NAME_MAX_LENGTH, Tag, normalize_tag_name


def split_tag_list(text: str) -> list[str]:
    """Split what an author typed ("Kylux, hurt/comfort,  angst") into tag names."""
    names, seen = [], set()
    for piece in text.split(","):
        name = " ".join(piece.split())
        key = normalize_tag_name(name)
        if name and key not in seen:
            seen.add(key)
            names.append(name)
    return names


def validate_tag_name(name: str) -> None:
    """Refuse empty names, commas, names of punctuation only, and names over 150 characters."""
    if not name:
        raise ValidationError(_("A tag needs a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("Tag “%(start)s…” is longer than %(max)d characters.")
            % {"start": name[:30], "max": NAME_MAX_LENGTH}
        )
    if "," in name:
        raise ValidationError(
            _("Tag “%(name)s” contains a comma; commas separate tags.") % {"name": name}
        )
    if not any(character.isalnum() for character in name):
        raise ValidationError(_("Tag “%(name)s” has no letters or digits.") % {"name": name})


def find_or_create_tag(*, name: str, type: str) -> Tag:
    """The tag called ``name`` (in any case or spacing), created as typed if new.

    Tag names are unique across types, as on AO3: an existing tag keeps its type.
    """
    validate_tag_name(name)
    key = normalize_tag_name(name)
    tag = Tag.objects.filter(normalized_name=key).first()
    if tag is not None:
        if tag.type != type and (tag.is_fixed or type in FIXED_TYPES):
            raise ValidationError(
                _("“%(name)s” is already the archive's %(type)s tag; choose another name.")
                % {"name": tag.name, "type": tag.get_type_display().lower()}
            )
        return tag
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name, type=type)
    except IntegrityError:
        # Another request created it between our read and write.
        return Tag.objects.get(normalized_name=key)


def fixed_tags(tag_type: str, names) -> list[Tag]:
    """The default rating/warning/category tags named, or ValidationError for unknown ones."""
    wanted = {normalize_tag_name(name): name for name in names}
    found = {
        tag.normalized_name: tag
        for tag in Tag.objects.filter(type=tag_type, normalized_name__in=wanted)
    }
    unknown = [name for key, name in wanted.items() if key not in found]
    if unknown:
        label = Tag.Type(tag_type).label
        raise ValidationError(
            _("Unknown %(type)s: %(names)s.") % {"type": label.lower(), "names": ", ".join(unknown)}
        )
    return [found[key] for key in wanted]
