"""Kudos and comment pages; included at the site's root, before the works' pages."""

from django.urls import path

from fanshelf.feedback import views

app_name = "feedback"

urlpatterns = [
    path("works/<int:work_id>/kudos/", views.give_kudos, name="kudos"),
    path("works/<int:work_id>/comments/new/", views.new_comment, name="new_comment"),
    path("comments/held/", views.held, name="held"),
    path("comments/<int:comment_id>/", views.comment_link, name="comment"),
    path("comments/<int:comment_id>/reply/", views.reply, name="reply"),
    path("comments/<int:comment_id>/edit/", views.edit, name="edit"),
    path("comments/<int:comment_id>/delete/", views.delete, name="delete"),
    path("comments/<int:comment_id>/approve/", views.approve, name="approve"),
]
