"""A school's monthly in-term targets read its calendar (or the district's default): July and August are not
months a school must hold its safety meetings in, while the months in term still must."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.education.calendars import PeriodKind, school_calendars
from shequ.education.models import CalendarPeriod, SchoolCalendar
from shequ.orgs.models import OrgKind, UnitType
from shequ.plans import compliance
from shequ.plans.compliance import State
from shequ.plans.tests.helpers import plan, record, target
from shequ.testing.factories import OrgFactory

pytestmark = pytest.mark.django_db

TERMS = [
    ("2025年秋季学期", date(2025, 9, 1), date(2026, 1, 23)),
    ("2026年春季学期", date(2026, 2, 24), date(2026, 7, 3)),
    ("2026年秋季学期", date(2026, 9, 1), date(2027, 1, 22)),
]


def calendar(org, terms=TERMS, holidays=()):
    cal = SchoolCalendar.objects.create(org=org, name=f"{org.name}校历")
    CalendarPeriod.objects.bulk_create(
        [CalendarPeriod(calendar=cal, kind=PeriodKind.TERM, name=n, start=s, end=e) for n, s, e in terms]
        + [CalendarPeriod(calendar=cal, kind=PeriodKind.HOLIDAY, name=n, start=s, end=e) for n, s, e in holidays]
    )
    return cal


def school(parent):
    return OrgFactory(name="中心小学", kind=OrgKind.UNIT, unit_type=UnitType.SCHOOL, parent=parent)


def _monthly(org):
    p = plan(org, year=2026, area_code="school")
    return target(p, kind="count", activity_codes=["school/inspection"], period="month", min_per_period=1,
                  in_term=True)  # fmt: skip


def test_a_school_without_records_in_the_summer_is_on_track_in_term(personas):
    s = school(personas.street)
    calendar(s)
    t = _monthly(s)
    for m in (1, 3, 4, 5, 6, 9, 10, 11):
        record(s, "school/inspection", date(2026, m, 10), "安全隐患大检查")
    result = compliance.evaluate([t], today=date(2026, 11, 30))[t.pk]
    assert [c.label for c in result.periods] == ["1月", "3月", "4月", "5月", "6月", "9月", "10月", "11月", "12月"]
    assert result.total.state != State.FAIL
    assert result.months[6] is None and result.months[7] is None  # July and August: holiday, no cell


def test_a_month_in_term_without_a_check_still_fails(personas):
    s = school(personas.street)
    calendar(s)
    t = _monthly(s)
    for m in (1, 3, 5, 6, 9, 10, 11):  # April missed
        record(s, "school/inspection", date(2026, m, 10), "安全隐患大检查")
    result = compliance.evaluate([t], today=date(2026, 11, 30))[t.pk]
    assert result.total.state == State.FAIL
    assert next(c for c in result.periods if c.label == "4月").state == State.FAIL


def test_a_school_without_its_own_calendar_reads_the_districts(personas):
    calendar(personas.district)
    own, default = school(personas.street), school(personas.community_a)
    calendar(own, terms=[("春季学期", date(2026, 3, 2), date(2026, 7, 15))])
    with CaptureQueriesContext(connection) as ctx:
        found = school_calendars([own.pk, default.pk, personas.community_b.pk], 2026)
    assert len(ctx.captured_queries) == 3
    assert found[own.pk].terms == ((date(2026, 3, 2), date(2026, 7, 15)),)
    assert len(found[default.pk].terms) == 3 and found[personas.community_b.pk] == found[default.pk]


def test_without_any_calendar_the_target_counts_every_month(personas):
    s = school(personas.street)
    t = _monthly(s)
    result = compliance.evaluate([t], today=date(2026, 11, 30))[t.pk]
    assert len(result.periods) == 12
