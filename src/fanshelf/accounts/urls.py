from django.urls import path

from fanshelf.accounts import cocreator_views, profile_views, views

app_name = "users"

urlpatterns = [
    path("<str:username>/", profile_views.profile, name="profile"),
    path("<str:username>/profile/edit/", profile_views.profile_edit, name="profile_edit"),
    path("<str:username>/works/", views.user_works, name="works"),
    path("<str:username>/pseuds/", profile_views.pseud_list, name="pseuds"),
    path("<str:username>/pseuds/new/", profile_views.pseud_new, name="pseud_new"),
    path("<str:username>/pseuds/invitations/", cocreator_views.invitations, name="invitations"),
    path(
        "<str:username>/pseuds/invitations/<int:invitation_id>/accept/",
        cocreator_views.answer,
        {"accept": True},
        name="accept_invitation",
    ),
    path(
        "<str:username>/pseuds/invitations/<int:invitation_id>/decline/",
        cocreator_views.answer,
        {"accept": False},
        name="decline_invitation",
    ),
    path(
        "<str:username>/works/<int:work_id>/co-creators/",
        cocreator_views.invite,
        name="co_creators",
    ),
    path("<str:username>/pseuds/<str:name>/edit/", profile_views.pseud_edit, name="pseud_edit"),
    path(
        "<str:username>/pseuds/<str:name>/delete/", profile_views.pseud_delete, name="pseud_delete"
    ),
    path(
        "<str:username>/pseuds/<str:name>/default/",
        profile_views.pseud_make_default,
        name="pseud_make_default",
    ),
    path("<str:username>/pseuds/<str:name>/works/", profile_views.pseud_works, name="pseud_works"),
    path(
        "<str:username>/pseuds/<str:name>/bookmarks/",
        profile_views.pseud_bookmarks,
        name="pseud_bookmarks",
    ),
]
