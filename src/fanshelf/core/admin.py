"""The failed background tasks in Django's admin: read them, queue them again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fanshelf.core.models import FailedTask
from fanshelf.core.tasks import retry_failed


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = [
        "failed_at", "task_name", "arguments_summary", "attempts", "error", "retried_at",
    ]  # fmt: skip
    list_filter = ["task_path", ("retried_at", admin.EmptyFieldListFilter)]
    search_fields = ["task_path", "error"]
    readonly_fields = [field.name for field in FailedTask._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Queue the selected tasks again"))
    def retry(self, request, queryset):
        count = 0
        for failed_task in queryset.filter(retried_at__isnull=True):
            retry_failed(failed_task=failed_task)
            count += 1
        self.message_user(
            request,
            ngettext("Queued %d task again.", "Queued %d tasks again.", count) % count,
            messages.SUCCESS,
        )
