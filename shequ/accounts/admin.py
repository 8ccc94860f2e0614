"""The admin site over accounts and the org tree: every change here is audited (``AuditedAdmin``).

The org tree and areas are registered here rather than in ``orgs``, which sits below the log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from shequ.accounts.models import ApiToken, Membership, User
from shequ.audit.admin import AuditedAdmin
from shequ.orgs.models import Area, Org


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["org"]


@admin.register(User)
class ShequUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "name", "phone", "is_active", "is_superuser"]
    search_fields = ["username", "name", "phone"]
    fieldsets = (*UserAdmin.fieldsets, ("社区", {"fields": ["name", "phone"]}))
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "expires_at"]
    readonly_fields = ["digest"]


@admin.register(Org)
class OrgAdmin(AuditedAdmin):
    list_display = ["name", "kind", "unit_type", "division_code", "is_active", "path"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "division_code"]  # also serves the membership inline's autocomplete
    readonly_fields = ["path", "depth", "parent"]

    def has_add_permission(self, request):
        return False  # tree changes go through the org pages, which keep paths right


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["code", "name", "sort", "is_active"]
