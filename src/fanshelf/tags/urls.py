from django.urls import path, register_converter

from fanshelf.tags import views
from fanshelf.tags.converters import TagNameConverter
from fanshelf.tags.feeds import TagFeed

register_converter(TagNameConverter, "tag")

app_name = "tags"

urlpatterns = [
    path("", views.tag_index, name="index"),
    path("<tag:name>/", views.tag_detail, name="detail"),
    path("<tag:name>/works/", views.tag_works, name="works"),
    path("<tag:name>/feed.atom", TagFeed(), name="feed"),
    path("<tag:name>/wrangle/", views.wrangle_tag, name="edit"),
]

# Mounted at /wrangling/, apart from /tags/<name>/, so no tag name can shadow them.
wrangling_patterns = (
    [
        path("", views.wrangle_index, name="index"),
        path("log/", views.wrangling_log, name="log"),
        path("log/<int:change_id>/revert/", views.revert_change, name="revert"),
    ],
    "wrangling",
)
