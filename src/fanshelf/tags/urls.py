from django.urls import register_converter

from fanshelf.tags.converters import TagNameConverter

register_converter(TagNameConverter, "tag")

app_name = "tags"

# Views are added by the tag pages work (detail, works, feed, wrangling).
urlpatterns: list = []
