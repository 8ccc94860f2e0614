"""The health plan's 知晓率 and 形成率 targets read the surveys: 进行中 before a survey closes, then 达标 or
未达标 with the computed figure and its interval; 样本不足 below the template's minimum sample."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from shequ.plans import compliance
from shequ.plans.compliance import State
from shequ.plans.models import PlanTemplate, Target
from shequ.plans.services import template_adopt
from shequ.surveys.tests.test_indicators import _closed
from shequ.surveys.tests.test_results import R1, R2, R3

TODAY = date(2026, 5, 1)


@pytest.fixture
def plan(personas):
    template = PlanTemplate.objects.get(org__isnull=True, code="ref-health")
    return template_adopt(actor=personas.leader_a, template=template, org=personas.community_a, year=2026)


def _states(plan, today=TODAY):
    targets = list(Target.objects.filter(plan=plan, code__in=["health-resident-knowledge", "health-behaviour"]))
    for t in targets:
        t.plan = plan
    results = compliance.evaluate(targets, today=today)
    return {r.target.code: r for r in results.values()}


def test_the_reference_health_targets_are_computed_from_surveys(plan):
    kinds = dict(plan.targets.filter(code__startswith="health-").values_list("code", "indicator"))
    assert kinds["health-resident-knowledge"] == "health_knowledge_rate"
    assert kinds["health-behaviour"] == "health_behaviour_rate"
    assert kinds["health-staff-knowledge"] == "health_staff_knowledge_rate"


def test_targets_are_in_progress_until_a_survey_closes_then_met_or_not(plan, personas):
    before = _states(plan)
    assert before["health-resident-knowledge"].state == State.PROGRESS
    assert before["health-resident-knowledge"].total.done == "无数据"
    # 30 respondents: 10 of each hand-worked kind → knowledge (4+3+2)×10 ÷ 120 = 75%, behaviour 50%.
    Target.objects.filter(plan=plan).update(min_sample=30)
    _closed(personas, [R1, R2, R3] * 10, on=date(2026, 4, 20))
    after = _states(plan)
    k, b = after["health-resident-knowledge"], after["health-behaviour"]
    assert k.state == State.FAIL and k.total.done == "75%"
    assert b.state == State.FAIL and b.total.done == "50%"
    assert "样本30份" in k.total.note and "95%置信区间" in k.total.note


def test_a_survey_all_right_meets_the_targets(plan, personas):
    _closed(personas, [R1] * 30, on=date(2026, 4, 20))
    after = _states(plan)
    assert after["health-resident-knowledge"].state == State.OK
    assert after["health-resident-knowledge"].total.done == "100%"


def test_a_small_sample_says_so(plan, personas):
    _closed(personas, [R1, R2, R3], on=date(2026, 4, 20))
    k = _states(plan)["health-resident-knowledge"]
    assert k.total.done == "样本不足" and k.state != State.OK


def test_the_target_page_links_to_the_answers_and_the_survey(plan, personas, client_for):
    survey = _closed(personas, [R1] * 30, on=date(2026, 4, 20))
    target = plan.targets.get(code="health-resident-knowledge")
    c = client_for(personas.leader_a)
    body = c.get(reverse("plans:target_detail", args=[target.pk])).content.decode()
    assert reverse("surveys:results", args=[survey.pk]) in body
    rows = reverse("plans:target_indicator_rows", args=[target.pk, "numerator"])
    assert rows in body
    answers = c.get(rows).content.decode()
    assert reverse("surveys:response", args=[survey.responses.first().pk]) in answers
