"""The demo district's care: pairs in 幸福社区 and 阳光社区, a year of visits with months missed, a volunteer whose
phone lists people still to visit this month; run twice, it adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from shequ.accounts import demo as base_demo
from shequ.care import demo as care_demo
from shequ.care import selectors, selectors_person
from shequ.care.models import HelperPair
from shequ.records.models import Record
from shequ.residents.demo import residents_demo

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_demo_pairs_helpers_and_records_a_year_of_visits_with_months_missed():
    ctx = base_demo.build(year=2026)
    residents_demo(ctx, {"residents": 600, "quiet": True})
    care_demo.step(ctx, {"quiet": True})
    a = ctx.orgs["communityA"]
    volunteer = ctx.users["volunteer"]
    today = date(2026, 12, 1)
    mine = selectors.my_pairs(volunteer, today)
    assert len(mine) == care_demo.VOLUNTEER_PAIRS
    assert len(selectors.due(mine, today)) == 3  # three still to visit this month
    assert HelperPair.objects.filter(org=a, ended_on__isnull=False).count() == 1  # the summer's hand-over
    visits = Record.objects.filter(title__contains="：", persons__org=a, year=2026).count()
    assert visits > 100
    worker = ctx.users["a_worker"]
    ids = [s.person_id for s in selectors.subjects(worker, selectors.care_persons(worker, today), today)]
    lines = selectors_person.care_lines(worker, ids, today)
    missed = sum(len(line.missed) for ls in lines.values() for line in ls)
    assert 0 < missed < visits  # some months missed, most visited
    n = Record.objects.count()
    care_demo.step(ctx, {"quiet": True})
    assert Record.objects.count() == n  # idempotent


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_demo_surveys_needs_and_plans_services_for_the_disabled_residents():
    from shequ.care.models import Need, NeedsAssessment, ServicePlan

    ctx = base_demo.build(year=2026)
    residents_demo(ctx, {"residents": 600, "quiet": True})
    care_demo.step(ctx, {"quiet": True})
    a = ctx.orgs["communityA"]
    assessed = NeedsAssessment.objects.filter(org=a)
    assert assessed.count() > 5 and all(x.record_id for x in assessed)
    assert {n.status for n in Need.objects.filter(assessment__org=a)} == {"needs", "serving", "met", "refused"}
    assert 0 < ServicePlan.objects.filter(org=a, year=2026).count() < assessed.count()
