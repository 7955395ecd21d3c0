from django.urls import path

from fanshelf.reading import views

app_name = "reading"

urlpatterns = [
    path("history/", views.history, name="history"),
    path("history/clear/", views.clear_history, name="clear_history"),
    path("history/setting/", views.history_setting, name="history_setting"),
    path("preferences/", views.preferences, name="preferences"),
    path("later/", views.later, name="later"),
    path("later/<int:work_id>/", views.set_later, name="set_later"),
    path("stats/", views.statistics, name="stats"),
    path("stats/works/<int:work_id>/", views.work_statistics, name="work_stats"),
]
