"""Mounted at the site root: the bookmark pages live under users/, works/ and series/."""

from django.urls import path

from fanshelf.bookmarks import views

app_name = "bookmarks"

urlpatterns = [
    path("users/<str:username>/bookmarks/", views.user_bookmarks, name="user"),
    path("works/<int:work_id>/bookmarks/", views.work_bookmarks, name="work"),
    path("works/<int:work_id>/bookmark/", views.bookmark_work, name="bookmark_work"),
    path("series/<int:series_id>/bookmark/", views.bookmark_series, name="bookmark_series"),
    path("bookmarks/<int:bookmark_id>/delete/", views.delete_bookmark, name="delete"),
]
