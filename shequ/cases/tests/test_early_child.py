"""残疾儿童早期报告: a child of 0–6 from the registry, found → reported (accepted) → screened and referred →
received → rehabilitation begun, each step with its time limit and 督办 when late; seen by the disability staff."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.accounts.roles import Role
from shequ.cases import services
from shequ.cases.choices import CaseState, Supervision
from shequ.cases.models import Case
from shequ.cases.tests.helpers import ctype
from shequ.orgs.models import Area
from shequ.residents.models import Person
from shequ.testing.factories import member

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def at(days: float = 0, hours: float = 0):
    return time_machine.travel(T0 + timedelta(days=days, hours=hours), tick=False)


def child(org, born=date(2023, 5, 1), name="小明") -> Person:
    return Person.objects.create(org=org, name=name, gender="M", birth_date=born)


def report(p, person, **kw) -> Case:
    return services.case_register(
        actor=p.worker_a, case_type=ctype("early_child"), org=p.community_a, title="疑似听力障碍",
        description="社区卫生服务站新生儿听力复筛未通过", category="健康筛查", detail={"person": person}, **kw,
    )  # fmt: skip


def move(p, case, action, **kw) -> Case:
    return services.case_move(actor=p.worker_a, case=case, action=action, **kw)


def sweep_level(case) -> str:
    services.supervision_sweep()
    return Case.objects.get(pk=case.pk).supervision


def test_child_aged_0_to_6_is_reported_referred_received_and_completed_with_a_deadline_at_each_step(personas):
    p = personas
    kid = child(p.community_a)
    with at():
        case = report(p, kid)
        assert case.area.code == "disability" and case.referral.person == kid and case.referral.person_name == "小明"
        case = move(p, case, "accept", owner=p.worker_a)  # 报告: the disability staff take it
        assert case.deadline == date(2026, 3, 17)  # 筛查/转介 within 15 days
    with at(days=5):
        case = move(p, case, "refer", institution="区妇幼保健院听力筛查中心")
        assert case.state == CaseState.REFERRED and case.deadline == date(2026, 3, 17)  # received within 10 days
    with at(days=8):
        case = move(p, case, "receive")
        assert case.deadline == date(2026, 4, 9)  # rehabilitation begun within 30 days
    with at(days=20):
        case = move(p, case, "complete", feedback="已佩戴助听器，开始听觉言语康复训练")
    assert case.state == CaseState.COMPLETED and case.referral.completed_on == date(2026, 3, 22)
    assert case.history.filter(action="refer").get().detail["deadline"] == "2026-03-17"


@pytest.mark.parametrize(
    ("born", "message"),
    [(date(2019, 3, 1), "发现时7岁"), (None, "没有出生日期"), (date(2026, 4, 1), "晚于发现日期")],
)
def test_a_child_over_six_or_without_a_birth_date_is_refused_and_nothing_is_saved(personas, born, message):
    with at(), pytest.raises(ValidationError, match=message):
        report(personas, child(personas.community_a, born=born))
    assert not Case.objects.filter(case_type__code="early_child").exists()


def test_a_six_year_old_is_accepted_and_a_child_not_in_the_registry_is_refused(personas):
    with at():
        assert report(personas, child(personas.community_a, born=date(2019, 3, 3))).pk  # seven tomorrow
        with pytest.raises(ValidationError, match="请从居民档案中选择儿童"):
            report(personas, None)


def test_a_report_not_taken_within_48_hours_is_supervised_then_red(personas):
    with at():
        case = report(personas, child(personas.community_a))
    with at(hours=47):
        assert sweep_level(case) == Supervision.NONE
    with at(hours=49):
        assert sweep_level(case) == Supervision.NORMAL
    with at(days=2 + 7, hours=1):
        assert sweep_level(case) == Supervision.RED


def test_a_referral_the_institution_has_not_received_in_10_days_is_supervised(personas):
    p = personas
    with at():
        case = move(p, report(p, child(p.community_a)), "accept", owner=p.worker_a)
        case = move(p, case, "refer", institution="区残疾人康复中心")
    with at(days=10):
        assert sweep_level(case) == Supervision.NONE
    with at(days=11):
        assert sweep_level(case) == Supervision.NORMAL
    with at(days=10 + 3):
        assert sweep_level(case) == Supervision.YELLOW


def test_step_limits_are_data_of_the_type(personas):
    p = personas
    kind = ctype("early_child")
    kind.step_days = {"referred": 3}
    kind.save()
    with at():
        case = move(p, move(p, report(p, child(p.community_a)), "accept", owner=p.worker_a), "refer", institution="甲")
    assert case.deadline == date(2026, 3, 5)
    kind.step_days = {"referred": 0}
    with pytest.raises(ValidationError, match="分步时限"):
        kind.full_clean()


def test_only_the_disability_staff_see_or_handle_an_early_report(personas):
    p = personas
    with at():
        case = report(p, child(p.community_a))
    safety_only = member(p.community_a, Role.WORKER, areas=[Area.objects.get(code="safety")])
    disability = member(p.community_a, Role.WORKER, areas=[Area.objects.get(code="disability")])
    assert not Case.objects.visible_to(safety_only).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(disability).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(p.worker_b).filter(pk=case.pk).exists()
    with at(), pytest.raises(PermissionDenied):
        services.case_move(actor=safety_only, case=case, action="accept", owner=p.worker_a)
