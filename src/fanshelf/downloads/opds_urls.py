"""The OPDS catalogue, mounted at /opds/ (see ``fanshelf.downloads.opds``)."""

from django.urls import path

from fanshelf.downloads import opds

app_name = "opds"

urlpatterns = [
    path("", opds.root, name="root"),
    path("recent/", opds.recent, name="recent"),
    path("popular/", opds.popular, name="popular"),
    path("fandoms/", opds.fandoms, name="fandoms"),
    path("fandoms/<int:tag_id>/", opds.fandom_works, name="fandom"),
    path("search/", opds.search, name="search"),
    path("search.xml", opds.opensearch, name="opensearch"),
]
