from django.urls import path

from fanshelf.accounts import views

app_name = "users"

urlpatterns = [
    path("<str:username>/works/", views.user_works, name="works"),
]
