"""The demo district's survey year: closed surveys with samples and answers, and health targets met and missed
on computed figures."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from shequ.accounts import demo as base_demo
from shequ.plans import compliance
from shequ.plans import demo as plans_demo
from shequ.plans.compliance import State
from shequ.plans.models import Target
from shequ.residents.demo import residents_demo
from shequ.surveys import demo as surveys_demo
from shequ.surveys.models import Response, Survey, SurveyStatus

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_demo_runs_a_survey_year_whose_figures_the_health_plans_read():
    ctx = base_demo.build(year=2026)
    residents_demo(ctx, {"residents": 1200, "quiet": True})
    plans_demo.step(ctx, {"quiet": True})
    surveys_demo.step(ctx, {"quiet": True})
    a = ctx.orgs["communityA"]
    closed = Survey.objects.filter(org=a, status=SurveyStatus.CLOSED, audience="residents").get()
    assert closed.closed_on == date(2026, 11, 20)
    assert 45 <= closed.responses.count() <= 60 and closed.respondents.filter(status="refused").count() >= 0
    assert Survey.objects.filter(org=a, status=SurveyStatus.OPEN).exists()
    targets = list(Target.objects.filter(plan__org=a, plan__year=2026, code__in=["health-resident-knowledge",
                                                                               "health-behaviour",
                                                                               "health-staff-knowledge"]))  # fmt: skip
    results = {r.target.code: r for r in compliance.evaluate(targets, today=date(2026, 12, 1)).values()}
    assert results["health-resident-knowledge"].state == State.OK
    assert results["health-behaviour"].state == State.FAIL
    assert results["health-staff-knowledge"].state == State.OK
    assert "95%置信区间" in results["health-behaviour"].total.note
    b = ctx.orgs["communityB"]
    tb = list(Target.objects.filter(plan__org=b, plan__year=2026, code="health-resident-knowledge"))
    assert next(iter(compliance.evaluate(tb, today=date(2026, 12, 1)).values())).state == State.FAIL
    count = Response.objects.count()
    surveys_demo.step(ctx, {"quiet": True})
    assert Response.objects.count() == count
