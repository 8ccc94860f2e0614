"""School calendars as the plans read them: a line of work that keeps calendars (education) hands down a reader on
its ``AppConfig`` (``school_calendars(org_ids, year) -> {org_id: periods.SchoolYear}``, a fixed number of
queries); an org without one has no term months and its in-term targets count every month."""

from __future__ import annotations

from django.apps import apps

from shequ.plans.periods import SchoolYear


def school_years(org_ids: list[int], year: int) -> dict[int, SchoolYear]:
    out: dict[int, SchoolYear] = {}
    for config in apps.get_app_configs():
        read = getattr(config, "school_calendars", None)
        if read is not None and org_ids:
            out.update(read(org_ids, year))
    return out
