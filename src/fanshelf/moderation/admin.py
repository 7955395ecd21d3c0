from django.contrib import admin

from fanshelf.moderation.models import ModerationAction, Report, Sanction, SecurityEvent


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["target_description", "kind", "reason", "status", "assignee", "created_at"]
    list_filter = ["status", "kind", "reason"]
    search_fields = ["target_description", "details", "reporter__username", "reporter_email"]
    raw_id_fields = ["work", "comment", "user", "bookmark", "reporter", "assignee", "resolved_by"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The log is read-only here too: rows are never added, changed or deleted by hand."""

    list_display = ["created_at", "moderator", "kind", "target_description"]
    list_filter = ["kind"]
    search_fields = ["target_description", "reason", "moderator__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "until", "lifted_at", "by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "message"]
    raw_id_fields = ["user", "by"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "username", "address"]
    list_filter = ["kind"]
    search_fields = ["username", "address", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
