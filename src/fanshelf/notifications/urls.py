from django.urls import path

from fanshelf.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_all_read, name="mark_all_read"),
    path("inbox/email/", views.email_preference, name="email_preference"),
    path("inbox/<int:notification_id>/read/", views.mark_read, name="mark_read"),
    path("inbox/<int:notification_id>/unread/", views.mark_unread, name="mark_unread"),
    path("inbox/<int:notification_id>/delete/", views.delete, name="delete"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/new/", views.subscribe, name="subscribe"),
    path("subscriptions/<int:subscription_id>/delete/", views.unsubscribe, name="unsubscribe"),
]
