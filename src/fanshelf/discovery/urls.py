"""Mounted at /works/ before ``fanshelf.works.urls``: the listing is /works/ itself."""

from django.urls import path

from fanshelf.discovery import views

app_name = "discovery"

urlpatterns = [
    path("", views.work_listing, name="works"),
    path("search/", views.advanced_search, name="search"),
]
