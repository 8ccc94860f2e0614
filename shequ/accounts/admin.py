from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from shequ.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["org"]


@admin.register(User)
class ShequUserAdmin(UserAdmin):
    list_display = ["username", "name", "phone", "is_active", "is_superuser"]
    search_fields = ["username", "name", "phone"]
    fieldsets = (*UserAdmin.fieldsets, ("社区", {"fields": ["name", "phone"]}))
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "expires_at"]
    readonly_fields = ["digest"]
