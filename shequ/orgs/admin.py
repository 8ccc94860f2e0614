from django.contrib import admin

from shequ.orgs.models import Area, Org


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit_type", "division_code", "is_active", "path"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "division_code"]  # also serves the membership inline's autocomplete
    readonly_fields = ["path", "depth", "parent"]

    def has_add_permission(self, request):
        return False  # tree changes go through the org pages, which keep paths right


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort", "is_active"]
