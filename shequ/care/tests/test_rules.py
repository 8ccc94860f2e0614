"""The schedule rules: periods per unit, the rule of each group and level, due and due-soon, missed periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from shequ.care import rules
from shequ.care.catalogue import SCHEDULES
from shequ.care.selectors import schedules


@dataclass
class R:
    every: int
    unit: str
    remind_days: int = 7


MONTHLY, QUARTERLY, FORTNIGHT, WEEKLY = R(1, "month"), R(3, "month"), R(2, "week", 3), R(1, "week", 2)


def test_periods_of_months_are_calendar_blocks_from_january():
    assert rules.period(MONTHLY, date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert rules.period(MONTHLY, date(2028, 2, 29)) == (date(2028, 2, 1), date(2028, 2, 29))
    assert rules.period(QUARTERLY, date(2026, 5, 31)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert rules.period(R(6, "month"), date(2026, 7, 1)) == (date(2026, 7, 1), date(2026, 12, 31))


def test_periods_of_weeks_start_on_monday_and_do_not_drift():
    start, end = rules.period(WEEKLY, date(2026, 3, 19))  # a Thursday
    assert start == date(2026, 3, 16) and start.weekday() == 0 and end == date(2026, 3, 22)
    s2, e2 = rules.period(FORTNIGHT, date(2026, 3, 19))
    assert (e2 - s2).days == 13 and s2.weekday() == 0 and s2 <= date(2026, 3, 19) <= e2
    assert rules.period(FORTNIGHT, e2 + timedelta(days=1))[0] == e2 + timedelta(days=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "level", "every", "unit"),
    [
        ("disability", "", 1, "month"),  # a disabled resident: monthly
        ("disability", "3", 1, "month"),  # a grade without its own row takes the group's default
        ("disability", "1", 1, "month"),
        ("correction", "", 1, "month"),
        ("correction", "3", 2, "week"),
        ("correction", "5", 1, "week"),
        ("released", "2", 3, "month"),  # quarterly, whatever the level
        ("drug", "", 1, "month"),
        ("mental", "0", 3, "month"),  # 病情稳定: every three months
        ("mental", "1", 2, "week"),
        ("mental", "2", 2, "week"),
        ("mental", "4", 1, "week"),
        ("mental", "", 1, "month"),  # no risk grade yet: the default
        ("youth", "", 1, "month"),
    ],
)
def test_the_schedule_of_each_group_and_level(category, level, every, unit):
    rule = rules.pick(schedules(), category, level)
    assert rule is not None and (rule.every, rule.unit) == (every, unit)


@pytest.mark.django_db
def test_schedules_are_data_an_administrator_changes():
    from shequ.care.models import VisitSchedule

    assert VisitSchedule.objects.count() == len(SCHEDULES)
    VisitSchedule.objects.filter(category="disability", level="").update(every=2)
    assert rules.pick(schedules(), "disability", "4").every == 2
    VisitSchedule.objects.filter(category="youth").delete()
    assert rules.pick(schedules(), "youth", "") is None


def test_due_until_visited_inside_the_current_period():
    today = date(2026, 3, 20)
    assert rules.is_due(MONTHLY, today, None)
    assert rules.is_due(MONTHLY, today, date(2026, 2, 27))  # last month's visit does not serve March
    assert not rules.is_due(MONTHLY, today, date(2026, 3, 1))
    assert not rules.is_due(QUARTERLY, today, date(2026, 1, 5))  # the quarter's visit is done
    assert rules.is_due(QUARTERLY, date(2026, 4, 1), date(2026, 3, 30))
    assert not rules.is_due(MONTHLY, today, None, care_start=date(2026, 3, 25))  # not under care yet


def test_due_soon_within_the_reminder_days_of_the_period_end():
    assert not rules.is_due_soon(MONTHLY, date(2026, 3, 20), None)  # 11 days left, reminder 7
    assert rules.is_due_soon(MONTHLY, date(2026, 3, 25), None)  # 6 days left
    assert not rules.is_due_soon(MONTHLY, date(2026, 3, 25), date(2026, 3, 2))  # visited


def test_missed_months_are_the_months_of_care_without_a_visit():
    visits = [date(2026, 1, 10), date(2026, 2, 3), date(2026, 4, 28)]
    missed = rules.missed_periods(MONTHLY, visits, care_start=date(2026, 1, 1), today=date(2026, 6, 15))
    assert [rules.period_label(MONTHLY, s, e) for s, e in missed] == ["2026年3月", "2026年5月"]  # June is not over


def test_a_month_begun_outside_care_is_not_missed_and_a_late_visit_does_not_fill_an_earlier_month():
    visits = [date(2026, 3, 2)]
    missed = rules.missed_periods(MONTHLY, visits, care_start=date(2026, 1, 15), today=date(2026, 4, 2))
    assert missed == [(date(2026, 2, 1), date(2026, 2, 28))]  # January began before care; March has its visit


def test_missed_quarters_and_weeks_and_care_that_ended():
    missed = rules.missed_periods(QUARTERLY, [date(2026, 2, 1)], care_start=date(2026, 1, 1), today=date(2026, 10, 1))
    assert missed == [(date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 9, 30))]
    weeks = rules.missed_periods(WEEKLY, [date(2026, 3, 3)], care_start=date(2026, 3, 2), today=date(2026, 3, 25))
    assert weeks == [(date(2026, 3, 9), date(2026, 3, 15)), (date(2026, 3, 16), date(2026, 3, 22))]
    # moved away on 10 March: March is not counted, February is
    ended = rules.missed_periods(
        MONTHLY, [], care_start=date(2026, 1, 1), today=date(2026, 6, 1), care_end=date(2026, 3, 10)
    )
    assert ended == [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28))]
