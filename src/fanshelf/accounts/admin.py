from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fanshelf.accounts.models import (
    ApiToken,
    Invitation,
    InvitationRequest,
    Profile,
    ProfileLink,
    Pseud,
    User,
)


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0


@admin.register(User)
class FanshelfUserAdmin(UserAdmin):
    list_display = ("username", "email", "email_confirmed", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff", "email_confirmed")
    fieldsets = UserAdmin.fieldsets + (("Fanshelf", {"fields": ("role", "email_confirmed")}),)
    inlines = [PseudInline]


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "is_default")
    search_fields = ("name", "user__username")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(InvitationRequest)
class InvitationRequestAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at", "invited_at")
    list_filter = ("invited_at",)
    search_fields = ("email",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at", "used_by", "used_at")
    search_fields = ("email",)
    readonly_fields = ("code", "created_at", "used_by", "used_at")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "created")
    search_fields = ("user__username",)


@admin.register(ProfileLink)
class ProfileLinkAdmin(admin.ModelAdmin):
    list_display = ("user", "site", "handle_or_url", "position")
    list_filter = ("site",)
    search_fields = ("user__username", "handle_or_url")
