from django.urls import path

from fanshelf.imports import claims_views

app_name = "claims"

urlpatterns = [
    path("", claims_views.request_link, name="request"),
    path("sent/", claims_views.link_sent, name="sent"),
    path("<str:token>/", claims_views.confirm, name="confirm"),
]
