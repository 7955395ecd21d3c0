from django.urls import path

from fanshelf.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/<str:kind>/<int:pk>/", views.report_target, name="report_target"),
    path("report/thanks/", views.thanks, name="thanks"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("work/<int:pk>/", views.moderate_work, name="work"),
    path("comment/<int:pk>/", views.moderate_comment, name="comment"),
    path("user/<int:pk>/", views.moderate_user, name="user"),
    path("sanction/<int:pk>/lift/", views.lift_sanction, name="lift"),
    path("log/", views.action_log, name="log"),
    path("security/", views.security_events, name="security"),
]
