from django.contrib import admin

from fanshelf.tags.models import Tag, WranglingChange
from fanshelf.tags.tasks import refresh_after_commit


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "canonical", "synonym_of", "usage_count", "created_at")
    list_filter = ("type", "canonical")
    list_select_related = ("synonym_of",)
    search_fields = ("name",)
    raw_id_fields = ("synonym_of",)
    filter_horizontal = ("parents",)
    readonly_fields = ("usage_count",)

    def save_related(self, request, form, formsets, change):
        # The wrangling pages log their changes and refresh filter tags; edits made
        # here are not logged, but the works they move are still refreshed.
        super().save_related(request, form, formsets, change)
        refresh_after_commit([form.instance.pk])


@admin.register(WranglingChange)
class WranglingChangeAdmin(admin.ModelAdmin):
    """The wrangling log, read only: revert a change from the log page instead."""

    list_display = ("created_at", "user", "tag", "action", "other", "old_value", "new_value")
    list_filter = ("action",)
    list_select_related = ("user", "tag", "other")
    search_fields = ("tag__name", "other__name", "user__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
