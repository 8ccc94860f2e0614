from django.contrib import admin

from shequ.audit.admin import AuditedAdmin
from shequ.plans.models import CampaignDay


@admin.register(CampaignDay)
class CampaignDayAdmin(AuditedAdmin):
    """The campaign days are data an administrator keeps: a new day, a changed window, a day no longer kept."""

    list_display = ("name", "area", "rule_text", "before_days", "after_days", "is_active")
    list_filter = ("area", "is_active")
    search_fields = ("name", "code")
