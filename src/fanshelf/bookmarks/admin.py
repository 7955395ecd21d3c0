from django.contrib import admin

from fanshelf.bookmarks import services
from fanshelf.bookmarks.models import Bookmark


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pseud", "rec", "private", "created_at"]
    list_filter = ["rec", "private"]
    search_fields = ["user__username", "work__title", "series__title"]
    # What moves Work.bookmark_count (the target, private) changes through the services only.
    readonly_fields = ["user", "pseud", "work", "series", "private", "created_at", "updated_at"]
    exclude = ["tags"]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        services.delete_bookmark(user=obj.user, bookmark=obj)

    def delete_queryset(self, request, queryset):
        for bookmark in queryset.select_related("user"):
            services.delete_bookmark(user=bookmark.user, bookmark=bookmark)
