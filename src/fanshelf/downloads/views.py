"""The download of a work: parse the address, ask ``services`` for the file, send it."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fanshelf.downloads import services
from fanshelf.downloads.book import download_url

# Public files may be kept this long by browsers and proxies; the ETag (the revision)
# lets them check for a newer one cheaply afterwards.
PUBLIC_MAX_AGE = 3600
# How soon the "being prepared" page asks again.
REFRESH_SECONDS = 5


def _cache_headers(response, *, revision: str, restricted: bool):
    response["ETag"] = f'"{revision}"'
    # A restricted work's file is for logged-in readers only: no shared cache keeps it.
    scope = "private" if restricted else "public"
    response["Cache-Control"] = f"{scope}, max-age={PUBLIC_MAX_AGE}"
    return response


@require_safe
def download(request, work_id: int, slug: str, extension: str):
    """A work as an EPUB, PDF, HTML or TXT file, for anyone who may read the work."""
    if extension not in services.available_extensions():
        raise Http404(_("There is no download in this format."))
    try:
        book = services.book_to_download(work_id=work_id, viewer=request.user)
    except services.Unavailable as error:
        raise Http404(str(error)) from None
    if slug != book.slug:
        return redirect(download_url(book, extension), permanent=True)
    not_modified = get_conditional_response(request, etag=f'"{book.revision}"')
    if not_modified is not None:
        return _cache_headers(not_modified, revision=book.revision, restricted=book.restricted)
    file = services.download(book=book, extension=extension)
    if file is None:
        response = render(
            request,
            "downloads/preparing.html",
            {"book": book, "extension": extension, "refresh_seconds": REFRESH_SECONDS},
            status=202,
        )
        response["Refresh"] = str(REFRESH_SECONDS)
        add_never_cache_headers(response)
        return response
    response = FileResponse(
        file.file, as_attachment=True, filename=file.filename, content_type=file.media_type
    )
    return _cache_headers(response, revision=file.revision, restricted=file.restricted)
