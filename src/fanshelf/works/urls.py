from django.urls import path

from fanshelf.works import views

app_name = "works"

urlpatterns = [
    path("new/", views.new_work, name="new"),
    path("<int:work_id>/", views.work_detail, name="detail"),
    path("<int:work_id>/edit/", views.edit_work, name="edit"),
    path("<int:work_id>/delete/", views.delete_work, name="delete"),
    path("<int:work_id>/post/", views.publish_work, name="publish"),
    path("<int:work_id>/navigate/", views.chapter_index, name="navigate"),
    path("<int:work_id>/chapters/new/", views.add_chapter, name="add_chapter"),
    path("<int:work_id>/chapters/order/", views.reorder_chapters, name="reorder"),
    path("<int:work_id>/chapters/<int:chapter_id>/", views.chapter_detail, name="chapter"),
    path("<int:work_id>/chapters/<int:chapter_id>/edit/", views.edit_chapter, name="edit_chapter"),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/delete/",
        views.delete_chapter,
        name="delete_chapter",
    ),
]
