from django.shortcuts import render

from fanshelf.core.pagecache import attach_versions, guest_cached
from fanshelf.works.selectors import recent_works


@guest_cached()
def home(request):
    works = list(recent_works(viewer=request.user))
    attach_versions(works)  # their blurbs are kept rendered under these
    return render(request, "home.html", {"works": works})
