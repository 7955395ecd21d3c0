from django.contrib import admin

from fanshelf.muting.models import Block, Mute


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ["user", "muted", "created_at"]
    search_fields = ["user__username", "muted__username"]
    raw_id_fields = ["user", "muted"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["user", "blocked", "created_at"]
    search_fields = ["user__username", "blocked__username"]
    raw_id_fields = ["user", "blocked"]
