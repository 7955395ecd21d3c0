from django.urls import path

from fanshelf.accounts import account_views as views
from fanshelf.accounts.views import invitation_request

app_name = "account"

urlpatterns = [
    path("", views.account, name="page"),
    path("email/", views.change_email, name="change_email"),
    path("username/", views.change_username, name="change_username"),
    path("delete/", views.delete_account, name="delete"),
    path("confirm/send/", views.send_confirmation_again, name="send_confirmation"),
    path("invitation/", invitation_request, name="request_invitation"),
    path("confirm/<str:token>/", views.confirm, name="confirm_email"),
]
