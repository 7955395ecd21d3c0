from django.urls import path

from fanshelf.portability import views

app_name = "portability"

urlpatterns = [
    path("", views.export_my_data, name="export"),
]
