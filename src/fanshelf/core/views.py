from django.shortcuts import render

from fanshelf.works.selectors import recent_works


def home(request):
    return render(request, "home.html", {"works": recent_works(viewer=request.user)})
