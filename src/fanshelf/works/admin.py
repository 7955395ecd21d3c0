from django.contrib import admin

from fanshelf.works.models import Chapter, Creatorship, Series, Work


class ChapterInline(admin.StackedInline):
    model = Chapter
    extra = 0
    fields = ("position", "title", "state", "word_count")
    readonly_fields = ("word_count",)
    show_change_link = True


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    extra = 0
    raw_id_fields = ("pseud",)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ("title", "state", "language", "word_count", "chapters_display", "revised_at")
    list_filter = ("state", "restricted", "anonymous", "language")
    search_fields = ("title",)
    raw_id_fields = ("series",)
    filter_horizontal = ("tags",)
    inlines = [CreatorshipInline, ChapterInline]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ("work", "position", "title", "state", "word_count")
    raw_id_fields = ("work",)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "created_at")
    raw_id_fields = ("owner",)
