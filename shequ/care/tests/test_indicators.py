"""Visit completion in the indicator catalogue: visits done within their period ÷ visits due, leaving out people
who moved away or died, per org and line of work, read by a target of the disability plan."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shequ.care import selectors, services, tally
from shequ.care.models import DueVisit
from shequ.care.tests.helpers import disabled, special, visit, visit_type
from shequ.core.indicators import Period
from shequ.plans.indicators import compute
from shequ.residents.models import Person

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 20)
PERIOD = Period(2026, TODAY)


@pytest.fixture(autouse=True)
def _may_20():
    with time_machine.travel(datetime(2026, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def figure(code: str, org):
    return compute.compute([(code, "", org.pk)], PERIOD)[(code, "", org.pk)]


def test_visit_completion_counts_the_closed_months_visited_out_of_those_due(personas):
    a = disabled(personas.community_a, since=date(2025, 6, 1))
    b = disabled(personas.community_a, since=date(2025, 6, 1))
    for m in (1, 2, 3, 4):
        visit(personas.worker_a, a, date(2026, m, 10))
    visit(personas.worker_a, b, date(2026, 2, 10))
    visit(personas.worker_a, b, date(2026, 5, 3))  # May is not over: not yet due, not counted
    assert tally.rebuild(2026, TODAY) == 8  # January–April for each
    f = figure("care_disability_visit_rate", personas.community_a)
    assert (f.numerator, f.denominator) == (5, 8)
    assert f.value == pytest.approx(62.5)
    assert figure("care_disability_visit_rate", personas.street).denominator == 8  # added up the tree
    assert figure("care_disability_visit_rate", personas.community_b).denominator == 0


def test_people_who_moved_away_or_died_are_due_only_while_under_care(personas):
    moved = disabled(personas.community_a, since=date(2025, 6, 1))
    died = special(personas.community_a, "drug", since=date(2025, 6, 1))
    Person.objects.filter(pk=moved.pk).update(moved_out_on=date(2026, 2, 14))
    Person.objects.filter(pk=died.pk).update(is_deceased=True, deceased_on=date(2026, 3, 31))
    tally.rebuild(2026, TODAY)
    assert figure("care_disability_visit_rate", personas.community_a).denominator == 1  # January only
    assert figure("care_special_visit_rate", personas.community_a).denominator == 3  # January–March


def test_a_late_visit_fills_its_closed_month_at_once(personas):
    p = disabled(personas.community_a, since=date(2025, 6, 1))
    tally.rebuild(2026, TODAY)
    assert figure("care_disability_visit_rate", personas.community_a).numerator == 0
    subject = selectors.subject_get(personas.worker_a, p.pk, "disability", TODAY)
    services.visit_create(actor=personas.worker_a, subject=subject, activity_type=visit_type(), date=date(2026, 3, 30),
                          content="补录三月走访", confirmation="本人签字确认", confirmer=p.name)  # fmt: skip
    assert DueVisit.objects.get(person=p, period_start=date(2026, 3, 1)).visited_on == date(2026, 3, 30)
    assert figure("care_disability_visit_rate", personas.community_a).numerator == 1


def test_the_disability_plan_template_reads_the_visit_rate():
    from shequ.plans.models import TemplateTarget

    target = TemplateTarget.objects.get(template__code="ref-disability", code="disability-visits")
    assert target.kind == "indicator" and target.indicator == "care_disability_visit_rate"


def test_completion_per_month_by_grid_and_by_helper(personas, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from shequ.care.tests.helpers import pair, volunteer

    in_grid = disabled(personas.community_a, grid=personas.grid_a, since=date(2025, 6, 1))
    other = disabled(personas.community_a, since=date(2025, 6, 1))
    pair(personas.worker_a, other, volunteer(personas.community_a, name="志愿者丁"), started_on=date(2025, 12, 1))
    visit(personas.worker_a, in_grid, date(2026, 1, 5))
    visit(personas.worker_a, other, date(2026, 2, 5))
    tally.rebuild(2026, TODAY)
    c = client_for(personas.worker_a)
    body = c.get(reverse("care:completion")).content.decode()
    row = body[body.index("A第1网格") :].split("</tr>")[0]
    assert "100%" in row and "1/1" in row and "25%" in row  # January visited; 1 of 4 months in the year
    body = c.get(reverse("care:completion") + "?by=helper").content.decode()
    assert "志愿者丁" in body and "未结对" in body
    with CaptureQueriesContext(connection) as small:
        c.get(reverse("care:completion"))
    for _ in range(20):
        disabled(personas.community_a, grid=personas.grid_a, since=date(2025, 6, 1))
    tally.rebuild(2026, TODAY)
    with CaptureQueriesContext(connection) as big:
        c.get(reverse("care:completion"))
    assert len(small) == len(big)


def test_filed_rate_counts_rehabilitation_targets_with_a_survey_and_this_years_plan(personas):
    from shequ.care import services_needs
    from shequ.residents.models import DisabilityProfile

    w = personas.worker_a
    people = [disabled(personas.community_a) for _ in range(4)]
    DisabilityProfile.objects.filter(person__in=people).update(has_card=True)
    filed, surveyed_only, planned_last_year, _nothing = people
    for p in (filed, surveyed_only, planned_last_year):
        services_needs.assessment_create(actor=w, person=p, surveyed_on=date(2026, 3, 1), method="入户调查",
                                         respondent="本人", needs={"rehab": ("needs", "")})  # fmt: skip
    services_needs.plan_save(actor=w, person=filed, year=2026, category="disability", goal="",
                             items=[("训练指导", "社区康复站", "每月1次")])  # fmt: skip
    services_needs.plan_save(actor=w, person=planned_last_year, year=2025, category="disability", goal="",
                             items=[("训练指导", "社区康复站", "每月1次")])  # fmt: skip
    f = figure("care_disability_filed_rate", personas.community_a)
    assert (f.numerator, f.denominator) == (1, 4)
    assert f.value == pytest.approx(25)
