"""The demo district's year of learning organisations, course resources and QR sign-in: the plan's 较上年提高 target
is computed from the register and met in 幸福社区; 褚居民 signed in by the door code; every course has a handout."""

from __future__ import annotations

import pytest
import time_machine

from shequ.accounts import demo as base_demo
from shequ.audit.models import AuditLog
from shequ.education import demo as education_demo
from shequ.education import learning_demo
from shequ.education.learning_models import CourseResource, LearningEvaluation, LearningOrg
from shequ.education.models import Course
from shequ.plans import compliance
from shequ.plans import demo as plans_demo
from shequ.plans.models import Target
from shequ.records import demo as records_demo
from shequ.residents.demo import residents_demo

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_demo_evaluates_a_year_of_learning_organisations_and_signs_in_by_code():
    ctx = base_demo.build(year=2026)
    records_demo.step(ctx, {"quiet": True, "records_one_year": False})
    residents_demo(ctx, {"residents": 400, "quiet": True})
    plans_demo.step(ctx, {"quiet": True})
    education_demo.step(ctx, {"quiet": True})
    learning_demo.step(ctx, {"quiet": True})
    a = ctx.orgs["communityA"]
    n = LearningOrg.objects.count()
    assert LearningOrg.objects.filter(org=a).count() == 22
    assert set(LearningEvaluation.objects.values_list("year", flat=True)) == {2025, 2026}
    assert LearningEvaluation.objects.filter(candidate__org=a, year=2026, record__isnull=False).exists()
    assert not Course.objects.filter(year=2026).exclude(pk__in=CourseResource.objects.values("course_id")).exists()
    assert AuditLog.objects.filter(action="education.checkin", actor=ctx.users["resident"]).exists()
    learning_demo.step(ctx, {"quiet": True})
    assert LearningOrg.objects.count() == n  # idempotent

    t = Target.objects.get(plan__org=a, plan__year=2026, code="education-learning-orgs")
    assert (t.kind, t.indicator) == ("indicator", "education_learning_org_share")
    result = compliance.evaluate([t])[t.pk]
    assert result.total.expected.startswith("较上年+0.1个百分点（上年") and result.state == "ok", result.total
    laggard = Target.objects.get(plan__org=ctx.orgs["village2"], plan__year=2026, code="education-learning-orgs")
    behind = compliance.evaluate([laggard])[laggard.pk]
    assert behind.state != "ok" and "较上年-" in behind.total.done, behind.total  # fails when the year is over
