"""The demo district's groups: each plan's groups with members and terms, and group targets met and missed."""

from __future__ import annotations

import pytest
import time_machine

from shequ.accounts import demo as base_demo
from shequ.audit.models import AuditLog
from shequ.education import demo as education_demo
from shequ.groups import demo as groups_demo
from shequ.groups.models import Attendance, Group, GroupMember, Meeting, Resolution
from shequ.plans import compliance
from shequ.plans import demo as plans_demo
from shequ.plans.compliance import State
from shequ.plans.models import Target
from shequ.residents.demo import residents_demo

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_demo_forms_each_plans_groups_and_the_plans_read_them():
    ctx = base_demo.build(year=2026)
    residents_demo(ctx, {"residents": 600, "quiet": True})
    plans_demo.step(ctx, {"quiet": True})
    education_demo._calendars(ctx)  # the school's terms, which its meeting target reads
    groups_demo.step(ctx, {"quiet": True})
    a, v2 = ctx.orgs["communityA"], ctx.orgs["village2"]
    council = Group.objects.get(org=a, kind__code="council")
    assert [t.number for t in council.terms.order_by("number")] == [1, 2]
    assert GroupMember.objects.filter(group=council, left_on__isnull=False).count() == 2
    assert GroupMember.objects.filter(group__org=a, user=ctx.users["a_worker"]).exists()
    n = Group.objects.count()
    groups_demo.step(ctx, {"quiet": True})
    assert Group.objects.count() == n  # idempotent

    targets = list(
        Target.objects.filter(
            plan__year=2026, code__in=["health-group", "disability-group", "health-staff-center"]
        ).select_related("plan", "plan__org")
    )
    results = {(t.plan.org_id, t.code): r for t, r in ((t, compliance.evaluate([t])[t.pk]) for t in targets)}
    assert results[(a.pk, "health-group")].total.state == State.OK
    assert results[(a.pk, "disability-group")].total.state == State.OK
    assert results[(v2.pk, "disability-group")].total.state != State.OK  # 柳树村 has not formed it
    assert results[(ctx.orgs["health_center"].pk, "health-staff-center")].total.state == State.OK

    # A year of meetings: quarterly, some inquorate; the committee's resolutions became tasks with progress.
    meetings = Meeting.objects.filter(org=a)
    assert meetings.count() >= 20 and meetings.filter(quorate=False).exists()
    assert Attendance.objects.filter(meeting__org=a, status="excused").exists()
    tasked = Resolution.objects.filter(meeting__group=council, tasks__isnull=False).distinct()
    assert tasked.count() >= 3 and tasked.filter(tasks__status="done").exists()
    codes = ["health-meetings", "selfgov-council-meetings"]
    meeting_targets = Target.objects.filter(plan__org=a, plan__year=2026, code__in=codes)
    states = compliance.evaluate(list(meeting_targets.select_related("plan", "plan__org")))
    assert len(states) == 2 and all(r.state == State.OK for r in states.values())

    # The school's safety meetings: every month in term and each term's start and end from the safety group's
    # meetings; the autumn term ending in January had no end-of-term meeting, so the year is missed.
    school = Target.objects.select_related("plan", "plan__org").get(
        plan__org=ctx.orgs["school"], plan__year=2026, code="school-meetings"
    )
    result = compliance.evaluate([school])[school.pk]
    cells = {c.label: c.state for c in result.periods}
    assert cells["2026年春季学期开学"] == cells["2026年春季学期期末"] == State.OK, cells
    assert cells["2026年秋季学期开学"] == State.OK and cells["2025年秋季学期期末"] == State.FAIL, cells
    assert all(st == State.OK for label, st in cells.items() if label.endswith("月") and label != "12月"), cells
    assert result.state == State.FAIL

    # 居委会 staff meetings without a group: no quorum, one sign-in corrected afterwards (audited).
    org_meetings = Meeting.objects.filter(org=a, group__isnull=True)
    assert org_meetings.count() == 4 and not org_meetings.filter(quorate__isnull=False).exists()
    assert (
        AuditLog.objects.filter(action="meeting.signin", object_id__in=[str(m.pk) for m in org_meetings]).count() == 1
    )
