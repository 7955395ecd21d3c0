from django.urls import path

from fanshelf.works import views

app_name = "series"

urlpatterns = [
    path("<int:series_id>/", views.series_detail, name="detail"),
]
