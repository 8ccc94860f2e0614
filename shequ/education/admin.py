from django.contrib import admin

from shequ.audit.admin import AuditedAdmin
from shequ.education.models import CalendarPeriod, SchoolCalendar


class PeriodInline(admin.TabularInline):
    model = CalendarPeriod
    extra = 3


@admin.register(SchoolCalendar)
class SchoolCalendarAdmin(AuditedAdmin):
    """A school's calendar (or a district's default): terms, holidays, exam weeks and safety-education weeks."""

    list_display = ["name", "org"]
    search_fields = ["name", "org__name"]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["org"]
    inlines = [PeriodInline]
