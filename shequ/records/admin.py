from django import forms
from django.contrib import admin

from shequ.audit.admin import AuditedAdmin
from shequ.records import extra as extra_fields
from shequ.records.models import ActivityType, Record, YearClosure


class ActivityTypeAdminForm(forms.ModelForm):
    class Meta:
        model = ActivityType
        fields = ["area", "code", "name", "description", "extra_fields", "sort", "is_active"]

    def clean_extra_fields(self):
        return extra_fields.validate_schema(self.cleaned_data.get("extra_fields") or [])


@admin.register(ActivityType)
class ActivityTypeAdmin(AuditedAdmin):
    """Administrators add and adjust activity types here or on the 活动类型 page, without code."""

    form = ActivityTypeAdminForm
    list_display = ["name", "area", "code", "sort", "is_active"]
    list_filter = ["area", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Record)
class RecordAdmin(AuditedAdmin):
    """Read-only here: records change through the pages, which check the year and write the audit log."""

    list_display = ["date", "title", "org", "area", "activity_type", "participant_count"]
    list_filter = ["area", "year"]
    search_fields = ["title"]
    list_select_related = ["org", "area", "activity_type"]
    raw_id_fields = ["org", "persons", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(YearClosure)
class YearClosureAdmin(AuditedAdmin):
    list_display = ["org", "year", "closed_by", "closed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
