from django.urls import path

from fanshelf.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.new_import, name="new"),
    path("<int:batch_id>/", views.batch_page, name="batch"),
]
