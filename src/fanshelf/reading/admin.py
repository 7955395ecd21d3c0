from django.contrib import admin

from fanshelf.reading.models import DailyHits, HitFlush, Reading, ReadingPreference


@admin.register(DailyHits)
class DailyHitsAdmin(admin.ModelAdmin):
    list_display = ["work", "day", "hits"]
    list_filter = ["day"]
    raw_id_fields = ["work"]
    date_hierarchy = "day"


@admin.register(HitFlush)
class HitFlushAdmin(admin.ModelAdmin):
    list_display = ["batch", "hits", "flushed_at"]
    readonly_fields = ["batch", "hits", "flushed_at"]


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["user", "work", "visits", "last_read_at", "later"]
    list_filter = ["later"]
    raw_id_fields = ["user", "work", "last_chapter"]


@admin.register(ReadingPreference)
class ReadingPreferenceAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "history_enabled",
        "hide_warnings",
        "confirm_adult_content",
        "time_zone",
    ]
    raw_id_fields = ["user"]
