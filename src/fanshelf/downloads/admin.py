from django.contrib import admin

from fanshelf.downloads.models import DownloadFile


@admin.register(DownloadFile)
class DownloadFileAdmin(admin.ModelAdmin):
    """The files written so far; deleting a row makes the next download write it again."""

    list_display = ["work", "extension", "revision", "size", "claimed_at", "written_at"]
    list_filter = ["extension"]
    search_fields = ["work__title", "revision"]
    list_select_related = ["work"]
    readonly_fields = [
        "work", "extension", "revision", "claim", "claimed_at", "name", "size", "written_at"
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
