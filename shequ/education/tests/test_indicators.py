"""The training rate (培训率) counts the learners signed in to course sessions: distinct, this year only, within the
population the template names; its +5-point change is measured against last year's computed figure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.core.indicators import Period
from shequ.education import services
from shequ.education.tests.helpers import course, residents, school
from shequ.plans import compliance
from shequ.plans.indicators import compute
from shequ.plans.tests.helpers import plan, target

pytestmark = pytest.mark.django_db

ADULT = date(1985, 6, 1)  # 18–60 in 2025 and 2026


def _taught(actor, org, people, day: date, title: str):
    """A course with one session on ``day``, ``people`` enrolled and present."""
    c = course(actor, org, title=title, days=[day], capacity=100)
    services.enrol(actor=actor, course=c, persons=people)
    services.attendance_take(actor=actor, session=c.sessions.get(), present=[p.pk for p in people])
    return c


def test_a_learner_of_two_courses_counts_once_and_only_in_the_year_of_the_session(personas):
    a = personas.community_a
    org = school(a)
    people = residents(a, 10, born=ADULT, residence_status="changzhu")
    _taught(personas.worker_a, org, people[:3], date(2025, 12, 30), "冬季书法班")
    _taught(personas.worker_a, org, people[2:5], date(2026, 1, 6), "春季书法班")
    _taught(personas.worker_a, org, people[3:5], date(2026, 3, 6), "太极拳班")
    asks = [("education_training_rate", "adults", a.pk)]
    fig_2026 = compute.compute(asks, Period(2026, date(2026, 12, 31)))[asks[0]]
    assert (fig_2026.numerator, fig_2026.denominator, fig_2026.text) == (3, 10, "30%")
    fig_2025 = compute.compute(asks, Period(2025, date(2025, 12, 31)))[asks[0]]
    assert (fig_2025.numerator, fig_2025.text) == (3, "30%")


def test_the_plus_five_target_reads_last_years_computed_rate(personas):
    a = personas.community_a
    org = school(a)
    people = residents(a, 20, born=ADULT, residence_status="huji")
    _taught(personas.worker_a, org, people[:4], date(2025, 5, 10), "2025年电脑班")  # 20% in 2025
    _taught(personas.worker_a, org, people[:5], date(2026, 5, 10), "2026年电脑班")  # 25% in 2026: +5
    p = plan(a, year=2026, area_code="education")
    t = target(p, kind="indicator", indicator="education_training_rate", population="adults", comparison="rise",
               threshold=Decimal(5), unit="%")  # fmt: skip
    result = compliance.evaluate([t], today=date(2026, 12, 1))[t.pk]
    assert result.state == "ok"
    assert result.total.expected == "较上年+5个百分点（上年20%）"
    assert result.total.done == "25%（较上年+5）"
    # One learner fewer this year: +0 on last year, the target is not met.
    session = org_course_session(a, "2026年电脑班")
    services.attendance_take(actor=personas.worker_a, session=session, present=[x.pk for x in people[:4]])
    assert compliance.evaluate([t], today=date(2026, 12, 1))[t.pk].state != "ok"


def org_course_session(org, title):
    from shequ.education.models import CourseSession

    return CourseSession.objects.get(course__title=title)


def test_the_elderly_population_counts_only_learners_aged_sixty_and_over(personas):
    a = personas.community_a
    old = residents(a, 2, born=date(1950, 1, 1), residence_status="changzhu")
    young = residents(a, 2, born=ADULT, residence_status="changzhu")
    _taught(personas.worker_a, school(a), [old[0], young[0]], date(2026, 4, 1), "老年人智能手机班")
    ask = ("education_training_rate", "elderly", a.pk)
    fig = compute.compute([ask], Period(2026, date(2026, 12, 31)))[ask]
    assert (fig.numerator, fig.denominator) == (1, 2)


def test_a_target_group_names_its_own_denominator(personas):
    a = personas.community_a
    migrants = residents(a, 4, born=ADULT, residence_status="liudong")
    residents(a, 3, born=ADULT, residence_status="huji")
    _taught(personas.worker_a, school(a), migrants[:1], date(2026, 4, 1), "外来务工人员技能班")
    ask = ("education_training_rate", "migrants", a.pk)
    fig = compute.compute([ask], Period(2026, date(2026, 12, 31)))[ask]
    assert (fig.numerator, fig.denominator, fig.text) == (1, 4, "25%")
