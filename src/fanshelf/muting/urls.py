from django.urls import path

from fanshelf.muting import views

app_name = "muting"

urlpatterns = [
    path("", views.muting_page, name="page"),
    *[
        path(f"{action}/<str:username>/", views.change, {"action": action}, name=action)
        for action in views.ACTIONS
    ],
]
