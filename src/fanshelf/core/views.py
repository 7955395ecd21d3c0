from django.shortcuts import render

from fanshelf.core.pagecache import guest_cached
from fanshelf.works.selectors import recent_works


@guest_cached()
def home(request):
    return render(request, "home.html", {"works": recent_works(viewer=request.user)})
