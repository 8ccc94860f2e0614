"""The school's safety meetings target counts the safety group's quorate meetings — not every record of the type —
each month in term, and asks for one at each term's start (开学) and end (期末): a term without its start meeting
shows as missed and fails the year. Fixed queries whatever the number of meetings."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.education.tests.test_calendars import calendar, school
from shequ.groups.tests.helpers import group, meeting
from shequ.plans import compliance
from shequ.plans.compliance import State
from shequ.plans.tests.helpers import plan, record, target

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def _setup(p):
    s = school(p.street)
    calendar(s)
    g = group(p.admin, s, area="school", kind_code="safety", name="学校安全工作领导小组", members=4,
              founded=date(2025, 8, 20))  # fmt: skip
    pl = plan(s, year=2026, area_code="school")
    t = target(pl, kind="count", activity_codes=["school/group_meeting"], period="month", min_per_period=1,
               in_term=True, extra_filter={"group_kind": ["safety"]})  # fmt: skip
    return s, g, t


def _meet(p, g, days, present=None):
    for d in days:
        meeting(p.admin, g, day=d, present=present)


MONTHLY = [date(2026, 1, 15), date(2026, 3, 3), date(2026, 4, 9), date(2026, 5, 12), date(2026, 6, 26),
           date(2026, 9, 3), date(2026, 10, 15), date(2026, 11, 12)]  # fmt: skip


def _cell(result, label):
    return next(c for c in result.periods if c.label == label)


def test_every_term_window_with_a_meeting_and_every_month_in_term(personas):
    _s, g, t = _setup(personas)
    _meet(personas, g, MONTHLY)
    result = compliance.evaluate([t], today=TODAY)[t.pk]
    windows = [(c.label, c.state) for c in result.periods if "学期" in c.label]
    assert windows == [
        ("2025年秋季学期期末", State.OK),
        ("2026年春季学期开学", State.OK),
        ("2026年春季学期期末", State.OK),
        ("2026年秋季学期开学", State.OK),
    ]
    assert result.total.state != State.FAIL and result.total.done == len(MONTHLY)


def test_a_term_without_its_start_meeting_is_missed_and_fails_the_year(personas):
    _s, g, t = _setup(personas)
    late = [d if d != date(2026, 3, 3) else date(2026, 3, 20) for d in MONTHLY]  # March's meeting after 开学
    _meet(personas, g, late)
    result = compliance.evaluate([t], today=TODAY)[t.pk]
    missed = _cell(result, "2026年春季学期开学")
    assert missed.state == State.FAIL and missed.done == 0 and "开学会议未召开" in missed.note
    assert _cell(result, "3月").state == State.OK  # the month itself had its meeting
    assert result.total.state == State.FAIL


def test_records_of_the_type_and_inquorate_meetings_do_not_count(personas):
    s, g, t = _setup(personas)
    for d in MONTHLY:
        record(s, "school/group_meeting", d, "安全工作领导小组会议")  # a record, not the group's meeting
    _meet(personas, g, [date(2026, 3, 3)], present=1)  # 1 of 4: inquorate
    result = compliance.evaluate([t], today=TODAY)[t.pk]
    assert result.total.done == 0
    assert _cell(result, "2026年春季学期开学").state == State.FAIL


def test_the_evaluation_reads_meetings_in_a_fixed_number_of_queries(personas):
    _s, g, t = _setup(personas)
    _meet(personas, g, MONTHLY[:2])
    with CaptureQueriesContext(connection) as few:
        compliance.evaluate([t], today=TODAY)
    _meet(personas, g, MONTHLY[2:])
    with CaptureQueriesContext(connection) as many:
        result = compliance.evaluate([t], today=TODAY)[t.pk]
    assert len(few) == len(many) and result.total.done == len(MONTHLY)
