from django.contrib import admin

from fanshelf.feedback.models import Comment, Kudos


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "work", "author_name", "state", "depth", "created_at", "edited_at")
    list_filter = ("state",)
    search_fields = ("text", "guest_name", "guest_email", "user__username")
    raw_id_fields = ("work", "chapter", "parent", "root", "user", "pseud")
    readonly_fields = ("client_hash", "created_at", "edited_at")


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ("pk", "work", "user", "created_at")
    raw_id_fields = ("work", "user")
    readonly_fields = ("guest_key", "created_at")
