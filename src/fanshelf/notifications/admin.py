from django.contrib import admin

from fanshelf.notifications.models import Notification, NotificationPreference, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "work", "series", "creator", "created_at")
    raw_id_fields = ("user", "work", "series", "creator")
    search_fields = ("user__username",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "text", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "work", "chapter")
    search_fields = ("recipient__username", "text")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "updated_at")
    raw_id_fields = ("user",)
