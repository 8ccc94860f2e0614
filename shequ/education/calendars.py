"""School calendars (校历): a school's terms, holidays, exam weeks and safety-education weeks, or the district's
default one; handed down to the plans (``EducationConfig.school_calendars``) so that targets can count in term."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from shequ.education.models import CalendarKind as PeriodKind
from shequ.education.models import CalendarPeriod, SchoolCalendar
from shequ.orgs.models import PATH_WIDTH, Org
from shequ.plans.periods import SchoolYear

__all__ = ["PeriodKind", "school_calendars"]


def _ancestors(path: str) -> list[int]:
    """The ids on an org's path, itself last."""
    return [int(path[i : i + PATH_WIDTH]) for i in range(0, len(path) - 1, PATH_WIDTH + 1)]


def school_calendars(org_ids: list[int], year: int) -> dict[int, SchoolYear]:
    """Each org's calendar for ``year`` (its own, or the nearest org above it that has one): three queries."""
    paths = dict(Org.objects.filter(pk__in=org_ids).values_list("pk", "path"))
    chains = {pk: _ancestors(path) for pk, path in paths.items()}
    wanted = {a for chain in chains.values() for a in chain}
    cal_of = dict(SchoolCalendar.objects.filter(org_id__in=wanted).values_list("org_id", "pk"))
    if not cal_of:
        return {}
    spans: dict[int, dict[str, list[tuple[date, date]]]] = defaultdict(lambda: defaultdict(list))
    rows = CalendarPeriod.objects.filter(
        calendar_id__in=list(cal_of.values()),
        kind__in=[PeriodKind.TERM, PeriodKind.HOLIDAY],
        start__lte=date(year, 12, 31),
        end__gte=date(year, 1, 1),
    ).values_list("calendar_id", "kind", "start", "end")
    for cal_id, kind, start, end in rows:
        spans[cal_id][kind].append((start, end))
    out: dict[int, SchoolYear] = {}
    for pk, chain in chains.items():
        own = next((cal_of[a] for a in reversed(chain) if a in cal_of), None)
        if own is not None:
            s = spans.get(own, {})
            out[pk] = SchoolYear(terms=tuple(s.get(PeriodKind.TERM, ())), holidays=tuple(s.get(PeriodKind.HOLIDAY, ())))
    return out
