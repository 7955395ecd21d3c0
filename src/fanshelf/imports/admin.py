from django.contrib import admin

from fanshelf.imports.models import ExternalCreator, ExternalCreatorship

# Archive migration (imports.archive): creators of archived works, and their works.


class ExternalCreatorshipInline(admin.TabularInline):
    model = ExternalCreatorship
    extra = 0
    raw_id_fields = ("work",)


@admin.register(ExternalCreator)
class ExternalCreatorAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "archivist", "created_at", "claimed_by", "claimed_at")
    list_filter = ("claimed_at",)
    search_fields = ("name", "email", "archivist__username", "claimed_by__username")
    raw_id_fields = ("archivist", "claimed_by")
    readonly_fields = ("created_at",)
    inlines = [ExternalCreatorshipInline]


@admin.register(ExternalCreatorship)
class ExternalCreatorshipAdmin(admin.ModelAdmin):
    list_display = ("creator", "work")
    search_fields = ("creator__name", "creator__email", "work__title")
    raw_id_fields = ("work", "creator")
