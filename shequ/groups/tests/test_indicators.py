"""The reference plans' group targets are computed from the groups: formed with a head, members in office."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.core.indicators import Period
from shequ.groups import services
from shequ.groups.tests.helpers import group
from shequ.plans.indicators import compute
from shequ.plans.models import PlanTemplate, TargetKind

pytestmark = pytest.mark.django_db
PERIOD = Period(2026, date(2026, 12, 31))


def figure(code: str, org, period: Period = PERIOD):
    return compute.compute([(code, "", org.pk)], period)[(code, "", org.pk)]


def test_a_leading_group_counts_once_it_has_a_head_in_office(personas):
    assert figure("health_group_formed", personas.community_a).value == 0
    g = group(personas.worker_a, personas.community_a, members=0)
    assert figure("health_group_formed", personas.community_a).value == 0  # no 组长 yet
    group_head = group(personas.worker_a, personas.community_a, name="另一小组", members=2)
    assert figure("health_group_formed", personas.community_a).value == 1
    services.member_leave(actor=personas.worker_a, member=group_head.members.get(role="组长"), left_on=date(2026, 6, 1))
    assert figure("health_group_formed", personas.community_a).value == 0
    assert g.pk


def test_the_street_adds_up_its_communities_and_other_lines_do_not_count(personas):
    group(personas.worker_a, personas.community_a, members=2)
    group(personas.worker_a, personas.community_a, area="safety", name="平安建设领导小组", members=2)
    assert figure("health_group_formed", personas.street).value == 1
    assert figure("health_group_formed", personas.community_b).value == 0


def test_a_group_founded_later_in_the_year_counts_from_its_founding_day(personas):
    group(personas.worker_a, personas.community_a, members=2, founded=date(2026, 9, 1))
    assert figure("health_group_formed", personas.community_a, Period(2026, date(2026, 5, 1))).value == 0
    assert figure("health_group_formed", personas.community_a, Period(2026, date(2026, 10, 1))).value == 1


def test_staff_in_office_count_for_the_health_staff_target(personas):
    office = group(personas.worker_a, personas.community_a, kind_code="office", name="办公室", members=3)
    assert figure("health_staff_count", personas.community_a).value == 3
    services.member_leave(actor=personas.worker_a, member=office.members.last(), left_on=date(2026, 11, 1))
    assert figure("health_staff_count", personas.community_a).value == 2


def test_the_reference_templates_compute_their_group_targets():
    targets = {t.code: t for t in PlanTemplate.objects.get(code="ref-health", org=None).targets.all()}
    assert targets["health-group"].kind == TargetKind.INDICATOR
    assert targets["health-group"].indicator == "health_group_formed"
    assert targets["health-staff-center"].indicator == "health_staff_count"
    assert targets["health-staff-center"].threshold == Decimal(2) and targets["health-staff-center"].max_value == 3
    selfgov = PlanTemplate.objects.get(code="ref-selfgov", org=None).targets.get(code="selfgov-council")
    assert (selfgov.kind, selfgov.indicator, selfgov.due_month) == (
        TargetKind.INDICATOR,
        "selfgov_council_formed",
        None,
    )


def test_a_plan_target_reads_the_group_count(personas, client_for):
    from shequ.plans import services as plan_services
    from shequ.plans.compliance import evaluate

    tpl = PlanTemplate.objects.get(code="ref-health", org=None)
    plan = plan_services.template_adopt(actor=personas.leader_a, template=tpl, org=personas.community_a, year=2026)
    target = plan.targets.select_related("plan", "plan__org").get(code="health-group")
    today = date(2027, 1, 5)  # the year is over: a count below its threshold has failed
    before = evaluate([target], today=today)[target.pk]
    assert before.total.state == "fail" and before.total.done == "0个"
    group(personas.worker_a, personas.community_a, members=2)
    after = evaluate([target], today=today)[target.pk]
    assert after.total.state == "ok" and after.total.done == "1个"


def test_a_health_stations_staff_are_its_own_not_the_communitys(personas):
    from shequ.orgs.models import OrgKind, UnitType
    from shequ.testing.factories import OrgFactory

    station = OrgFactory(
        name="卫生服务站", kind=OrgKind.UNIT, unit_type=UnitType.HEALTH_STATION, parent=personas.community_a
    )
    group(personas.worker_a, personas.community_a, kind_code="office", name="社区办公室", members=3)
    group(personas.admin, station, kind_code="office", name="站办公室", members=1)
    assert figure("health_staff_count", station).value == 1
    assert figure("health_staff_count", personas.community_a).value == 4  # the community counts what lies under it


def test_meeting_targets_count_the_quorate_meetings_of_the_right_group(personas):
    from shequ.groups.tests.helpers import meeting

    g = group(personas.worker_a, personas.community_a, members=5)
    other = group(personas.worker_a, personas.community_a, kind_code="office", name="办公室", members=2)
    meeting(personas.worker_a, g, day=date(2026, 3, 1))
    meeting(personas.worker_a, g, present=2, day=date(2026, 4, 1))  # inquorate: 2 of 5
    meeting(personas.worker_a, other, day=date(2026, 5, 1))  # the office's meeting is not the group's
    assert figure("health_group_meetings", personas.community_a).value == 1
    meeting(personas.worker_a, g, present=3, day=date(2026, 6, 1))
    assert figure("health_group_meetings", personas.community_a).value == 2
    assert figure("health_group_meetings", personas.community_a, Period(2025, date(2026, 6, 1))).value == 0
