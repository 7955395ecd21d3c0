"""The adult content notice shown before a Mature or Explicit work, as AO3 does.

Work pages (the first chapter, a chapter, the entire work) ask
``adult_content_notice(request, work)`` before showing any text. Guests always see
the notice until they choose "Yes, continue" (``?view_adult=true``), which the
session remembers for the rest of the visit; signed-in readers see it unless they
turned it off in their preferences. Creators reading their own works never see it.
Downloads, feeds and the API are not behind it: they are asked for on purpose, by a
reader or a program, and carry the rating in their metadata.
"""

from urllib.parse import urlsplit

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from fanshelf.reading.preferences import TRUE_VALUES, preferences_for
from fanshelf.tags.models import Tag
from fanshelf.works.models import Work
from fanshelf.works.selectors import is_creator_cached

ADULT_RATINGS = frozenset({"Mature", "Explicit"})
SESSION_KEY = "fanshelf_view_adult"


def is_adult(work: Work) -> bool:
    """Whether the work is rated Mature or Explicit (from its prefetched tags)."""
    return any(tag.name in ADULT_RATINGS for tag in work.tags_of_type(Tag.Type.RATING))


def answered_notice(request) -> bool:
    """Whether this visit has said "Yes, continue" (now, or earlier in the session)."""
    if request.GET.get("view_adult") in TRUE_VALUES:
        request.session[SESSION_KEY] = True
        return True
    return bool(request.session.get(SESSION_KEY))


def needs_notice(request, work: Work) -> bool:
    """Whether this visitor should see the notice before this work's text.

    ``?view_adult=true`` answers the notice: it is remembered in the session.
    """
    if not is_adult(work) or is_creator_cached(request.user, work):
        return False
    if answered_notice(request):
        return False
    if request.user.is_authenticated:
        return preferences_for(request.user).confirm_adult_content
    return True


def _continue_url(request) -> str:
    query = request.GET.copy() if request.GET else QueryDict(mutable=True)
    query["view_adult"] = "true"
    return f"{request.path}?{query.urlencode()}"


def _back_url(request, work: Work) -> str:
    referer = request.headers.get("referer", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # Going "back" to another page of this very work would only show the notice again.
    if same_site and not urlsplit(referer).path.startswith(work.get_absolute_url()):
        return referer
    return reverse("home")


def adult_content_notice(request, work: Work) -> HttpResponse | None:
    """The notice page if this visitor must confirm first, else None (show the work)."""
    if not needs_notice(request, work):
        return None
    context = {
        "work": work,
        "continue_url": _continue_url(request),
        "back_url": _back_url(request, work),
    }
    return render(request, "reading/adult_content.html", context)
