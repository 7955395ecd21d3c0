"""Write paths for profiles: the "About" text and the links to the user elsewhere."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fanshelf.accounts.links import clean_link
from fanshelf.accounts.models import Profile, ProfileLink, User
from fanshelf.text import sanitize_html

ABOUT_MAX_LENGTH = 20000
MAX_LINKS = 10


@transaction.atomic
def edit_profile(*, user: User, owner: User, about: str, links: list[tuple[str, str]]) -> Profile:
    """Set ``owner``'s "About" text (sanitised HTML) and links, as ``user``.

    ``links`` are ``(site, handle or URL)`` pairs in the order shown, at most ten;
    empty pairs are skipped. Every bad link is reported under ``links`` and nothing
    is saved; only the owner may edit (``PermissionDenied`` otherwise).
    """
    if not getattr(user, "is_authenticated", False) or user.pk != owner.pk:
        raise PermissionDenied(_("You can only edit your own profile."))
    errors = {}
    if len(about or "") > ABOUT_MAX_LENGTH:
        errors["about"] = [_("“About” may be at most %(n)d characters.") % {"n": ABOUT_MAX_LENGTH}]
    cleaned = []
    for site, value in links:
        if not (value or "").strip():
            continue
        try:
            cleaned.append((site, clean_link(site, value)))
        except ValidationError as error:
            errors.setdefault("links", []).extend(
                f"{value.strip()}: {message}" for message in error.messages
            )
    if len(cleaned) > MAX_LINKS:
        errors.setdefault("links", []).append(
            _("A profile may have at most %(n)d links.") % {"n": MAX_LINKS}
        )
    if errors:
        raise ValidationError(errors)
    profile, _created = Profile.objects.get_or_create(
        user=owner, defaults={"created": owner.date_joined}
    )
    profile.about = sanitize_html(about or "")
    profile.save(update_fields=["about"])
    owner.profile_links.all().delete()
    ProfileLink.objects.bulk_create(
        ProfileLink(user=owner, site=site, handle_or_url=value, position=position)
        for position, (site, value) in enumerate(cleaned)
    )
    return profile
