"""The demo district's education network: its schools and teaching points, a year of courses with learners,
waiting lists and attendance, the teacher's courses, and the education plan's 培训率 computed from them."""

from __future__ import annotations

import pytest
import time_machine

from shequ.accounts import demo as base_demo
from shequ.education import demo as education_demo
from shequ.education import selectors
from shequ.education.models import Course, EnrolStatus
from shequ.orgs.models import UnitType
from shequ.plans import compliance
from shequ.plans import demo as plans_demo
from shequ.plans.models import Target
from shequ.records import demo as records_demo
from shequ.records import demo_signins
from shequ.residents.demo import residents_demo

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_demo_runs_a_year_of_courses_and_the_training_rate_is_computed():
    ctx = base_demo.build(year=2026)
    records_demo.step(ctx, {"quiet": True, "records_one_year": False})
    residents_demo(ctx, {"residents": 600, "quiet": True})
    plans_demo.step(ctx, {"quiet": True})
    demo_signins.step(ctx, {"quiet": True})
    education_demo.step(ctx, {"quiet": True})
    kinds = {o.unit_type for o in ctx.orgs.values()}
    assert {UnitType.COMMUNITY_COLLEGE, UnitType.COMMUNITY_SCHOOL, UnitType.TEACHING_POINT} <= kinds
    n = Course.objects.count()
    assert n >= 10
    education_demo.step(ctx, {"quiet": True})
    assert Course.objects.count() == n  # idempotent
    spring = Course.objects.get(title="智能手机使用班（春季）")
    assert spring.enrolments.filter(status=EnrolStatus.WAITING).exists()
    assert all(s.record_id for s in spring.sessions.all())  # every session held has its attendance
    autumn = Course.objects.get(title="智能手机使用班（秋季）")
    assert autumn.sessions.filter(record__isnull=True).exists()  # sessions to come
    teacher = ctx.users["teacher"]
    assert set(selectors.teaching(teacher)) == {spring, autumn}
    assert selectors.resident_person(ctx.users["resident"]) is not None  # enrols on the residents' side

    rate = Target.objects.get(plan__org=ctx.orgs["communityA"], plan__year=2026, code="education-training-rate")
    result = compliance.evaluate([rate])[rate.pk]
    # 幸福社区: last year's sign-ins give about 30%; this year's courses and sign-ins lift it by more than 5 points.
    assert result.total.expected.startswith("较上年+5个百分点（上年") and result.state == "ok", result.total

    # The school's monthly targets count the months in term of its calendar: nothing in July and August is right.
    school = ctx.orgs["school"]
    for code in ("school-inspection", "school-meetings"):
        t = Target.objects.get(plan__org=school, plan__year=2026, code=code)
        assert t.in_term
        result = compliance.evaluate([t])[t.pk]
        labels = [c.label for c in result.periods]
        assert "7月" not in labels and "8月" not in labels and "9月" in labels, labels
        if code == "school-inspection":  # the meetings are the safety group's (groups' demo test)
            assert result.state != "fail", [(c.label, c.state) for c in result.periods]
