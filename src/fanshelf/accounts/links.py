"""Links from a profile to the same fan elsewhere: known sites' handles, or a web address.

A handle is checked against the site's own rules and turned into the profile URL
here, never in a template, so only addresses built from a checked handle (or a
checked http(s) URL) reach a page. Discord has no profile pages: its handle is
shown as text.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

URL_MAX_LENGTH = 500
WEBSITE = "website"
MASTODON = "mastodon"
# A host name: labels of letters, digits and hyphens, with at least one dot.
_HOST = r"(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"


@dataclass(frozen=True)
class Site:
    label: str
    # A full match for the handle, typed without a leading "@".
    pattern: str
    example: str
    # ``{handle}`` is replaced with the handle; empty: no profile page (shown as text).
    url: str = ""
    # Some sites spell underscores as hyphens in their subdomains.
    subdomain: bool = False


SITES: dict[str, Site] = {
    "tumblr": Site("tumblr", r"[A-Za-z0-9-]{1,32}", "smol-hux", "https://{handle}.tumblr.com/"),
    "ao3": Site(
        "AO3", r"[A-Za-z0-9_]{1,40}", "smolhux", "https://archiveofourown.org/users/{handle}"
    ),
    "bluesky": Site("Bluesky", _HOST, "smolhux.bsky.social", "https://bsky.app/profile/{handle}"),
    MASTODON: Site(
        "Mastodon", r"[A-Za-z0-9_]{1,30}@" + _HOST, "@smolhux@mastodon.social", "https://"
    ),
    "twitter": Site("Twitter / X", r"[A-Za-z0-9_]{1,15}", "smolhux", "https://x.com/{handle}"),
    "dreamwidth": Site(
        "Dreamwidth",
        r"[A-Za-z0-9_]{1,25}",
        "smol_hux",
        "https://{handle}.dreamwidth.org/",
        subdomain=True,
    ),
    "livejournal": Site(
        "LiveJournal",
        r"[A-Za-z0-9_-]{1,15}",
        "smol_hux",
        "https://{handle}.livejournal.com/",
        subdomain=True,
    ),
    "pillowfort": Site(
        "Pillowfort", r"[A-Za-z0-9_]{1,40}", "smolhux", "https://www.pillowfort.social/{handle}"
    ),
    "instagram": Site(
        "Instagram", r"[A-Za-z0-9_.]{1,30}", "smolhux", "https://www.instagram.com/{handle}/"
    ),
    "wattpad": Site(
        "Wattpad", r"[A-Za-z0-9_-]{1,20}", "smolhux", "https://www.wattpad.com/user/{handle}"
    ),
    "ko-fi": Site("Ko-fi", r"[A-Za-z0-9_]{1,40}", "smolhux", "https://ko-fi.com/{handle}"),
    "patreon": Site(
        "Patreon", r"[A-Za-z0-9_-]{1,64}", "smolhux", "https://www.patreon.com/{handle}"
    ),
    "discord": Site("Discord", r"[a-z0-9_.]{2,32}", "smolhux"),
}

SITE_CHOICES = [(key, site.label) for key, site in SITES.items()] + [
    (WEBSITE, gettext_lazy("Website (a full address)"))
]


@dataclass(frozen=True)
class ProfileLinkView:
    """A link as a page shows it: the site's name, the text and the address (or none)."""

    site_label: str
    text: str
    url: str


def clean_link(site: str, value: str) -> str:
    """The handle or URL as stored, or a ``ValidationError`` saying what is wrong."""
    value = (value or "").strip()
    if site == WEBSITE:
        return clean_url(value)
    if site not in SITES:
        raise ValidationError(_("Choose a site from the list."))
    entry = SITES[site]
    handle = value.lstrip("@") if site != MASTODON else value.removeprefix("@")
    if not handle:
        raise ValidationError(_("Type your name on %(site)s.") % {"site": entry.label})
    if not re.fullmatch(entry.pattern, handle):
        raise ValidationError(
            _("That is not a %(site)s name. Type just the name, like “%(example)s”.")
            % {"site": entry.label, "example": entry.example}
        )
    return "@" + handle if site == MASTODON else handle


def clean_url(value: str) -> str:
    """An http(s) address with a host, no credentials and no spaces, or a ``ValidationError``."""
    refusal = ValidationError(
        _(
            "Type a whole web address starting with https:// (or http://), like https://example.org/."
        )
    )
    if not value or len(value) > URL_MAX_LENGTH or any(ch.isspace() for ch in value):
        raise refusal
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise refusal
    try:
        parts = urlsplit(value)
        URLValidator(schemes=["http", "https"])(value)
    except (ValueError, ValidationError):
        raise refusal from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise refusal
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(_("Leave the user name and password out of the address."))
    return value


def profile_url(site: str, handle_or_url: str) -> str:
    """The address a stored link points at; "" for sites without profile pages."""
    if site == WEBSITE:
        return handle_or_url
    entry = SITES.get(site)
    if entry is None or not entry.url:
        return ""
    if site == MASTODON:
        user, _at, host = handle_or_url.removeprefix("@").partition("@")
        return f"https://{host.lower()}/@{quote(user)}"
    handle = handle_or_url
    if entry.subdomain:
        handle = handle.replace("_", "-")
    if "{handle}." in entry.url:
        handle = handle.lower()
    return entry.url.format(handle=quote(handle, safe=""))


def link_view(site: str, handle_or_url: str) -> ProfileLinkView:
    """How a stored link is shown; a link that no longer passes the checks shows as text."""
    entry = SITES.get(site)
    label = entry.label if entry else str(gettext_lazy("Website"))
    try:
        clean_link(site, handle_or_url)
    except ValidationError:
        return ProfileLinkView(site_label=label, text=handle_or_url, url="")
    text = handle_or_url
    if site != WEBSITE and site != MASTODON:
        text = "@" + handle_or_url if site == "tumblr" else handle_or_url
    return ProfileLinkView(site_label=label, text=text, url=profile_url(site, handle_or_url))
