from django.contrib import admin

from shequ.audit.admin import AuditedAdmin
from shequ.cases.models import CaseTimeLimit, CaseType


@admin.register(CaseType)
class CaseTypeAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "on_board", "resident_can_report", "handle_days", "is_active"]
    filter_horizontal = ["areas"]


@admin.register(CaseTimeLimit)
class CaseTimeLimitAdmin(AuditedAdmin):
    list_display = ["case_type", "org", "accept_hours", "handle_days", "yellow_days", "red_days"]
    raw_id_fields = ["org"]
