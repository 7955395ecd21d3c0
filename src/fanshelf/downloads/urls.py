"""Download URLs, mounted under /works/: ``/works/<id>/download/<slug>.<extension>``."""

from django.urls import path

from fanshelf.downloads import views

app_name = "downloads"

urlpatterns = [
    path("<int:work_id>/download/<slug:slug>.<str:extension>", views.download, name="file"),
]
