"""A guest's work and chapter pages from the page cache, with one query.

The work page is what most visitors ask for, and for guests it is the same page for
everyone. ``cached_work_page`` answers it from ``fanshelf.core.pagecache`` when it
can, after checking with one indexed query that guests may still read the work, and
counts the hit as the full view would. It steps aside (returns None) for the full
view when nothing fresh enough is stored, or when the work is Mature or Explicit and
this visit has not answered the adult content notice yet. The full view stores what
it renders with ``store_work_page``.
"""

from django.conf import settings

from fanshelf.core import pagecache
from fanshelf.feedback.selectors import has_left_kudos
from fanshelf.feedback.views import guest_key_for
from fanshelf.reading import hits
from fanshelf.reading.interstitial import answered_notice, is_adult
from fanshelf.works.models import Work
from fanshelf.works.selectors import guest_may_read


def find_work_page(request, work_id: int) -> pagecache.CachedPage | None:
    """The cache entry for this guest's view of the work (None for signed-in readers)."""
    if request.user.is_authenticated:
        return None
    # A guest who left kudos sees "you left kudos" instead of the button.
    guest_key = guest_key_for(request)
    left_kudos = bool(guest_key) and has_left_kudos(work=Work(pk=work_id), guest_key=guest_key)
    return pagecache.find(
        request,
        scopes=(pagecache.work_scope(work_id),),
        seconds=settings.PAGE_CACHE_SECONDS,
        vary=(left_kudos,),
    )


def cached_work_page(request, page: pagecache.CachedPage | None, work_id: int):
    """The stored page if guests may read the work and it can be shown straight away."""
    if page is None or page.entry is None:
        return None
    if page.meta.get("adult") and not answered_notice(request):
        return None
    if not guest_may_read(work_id):
        return None  # gone, restricted or hidden since: the full view answers 404
    response = pagecache.cached_response(request, page)
    if response is not None:
        hits.count_hit(request, work_id)
    return response


def store_work_page(request, page: pagecache.CachedPage | None, work: Work, build):
    """Render the page with ``build()`` and keep it for the next guests."""
    return pagecache.store(request, page, build, meta={"adult": is_adult(work)})
