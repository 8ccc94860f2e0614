"""Template adoption and its diff, closed years, rate entries, tasks from meeting resolutions, reminders."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.accounts.roles import Role
from shequ.audit.models import AuditLog
from shequ.orgs.models import OrgKind
from shequ.plans import reminders, services
from shequ.plans.models import PlanTemplate, Reminder, ReminderKind, Target, TaskStatus
from shequ.plans.tests.helpers import area, plan, record, target
from shequ.records.models import YearClosure
from shequ.testing.factories import OrgFactory, member

pytestmark = pytest.mark.django_db


def ref(code):
    return PlanTemplate.objects.get(org__isnull=True, code=code)


def test_reference_templates_hold_the_plans_measurable_targets():
    health = {t.code: t for t in ref("ref-health").targets.all()}
    monthly = health["health-board-monthly"]
    assert (monthly.period, monthly.min_per_period, monthly.min_per_year) == ("month", 1, 12)
    summer = health["health-board-summer"]
    assert (summer.period, summer.months, summer.min_per_period) == ("half_month", [5, 6, 7, 8], 1)
    assert (health["health-meetings"].indicator, health["health-meetings"].threshold) == ("health_group_meetings", 2)
    assert (health["health-staff-center"].threshold, health["health-staff-center"].max_value) == (2, 3)
    assert health["health-staff-center"].applies_to == ["health_center"]
    assert (health["health-staff-station"].threshold, health["health-staff-station"].max_value) == (1, 2)
    assert [
        health[c].threshold for c in ("health-staff-knowledge", "health-resident-knowledge", "health-behaviour")
    ] == [
        98,
        97,
        80,
    ]
    assert (health["health-no-tobacco"].due_month, health["health-no-tobacco"].due_day) == (5, 31)
    education = {t.code: t for t in ref("ref-education").targets.all()}
    training = education["education-training-rate"]
    assert (training.kind, training.indicator, training.comparison, training.threshold) == (
        "indicator",
        "education_training_rate",
        "rise",
        5,
    )
    school = {t.code: t for t in ref("ref-school").targets.all()}
    assert school["school-veto-accident"].kind == "veto"
    assert {t.kind for t in ref("ref-safety").targets.all()} >= {"count", "change", "veto"}
    assert ref("ref-selfgov").targets.filter(code="selfgov-boards", threshold=8).exists()
    assert ref("ref-disability").targets.filter(code="disability-service-monthly", period="month").exists()


def test_adoption_copies_the_targets_that_apply_and_adjustments_stay_local(personas):
    plan_a = services.template_adopt(
        actor=personas.leader_a, template=ref("ref-health"), org=personas.community_a, year=2025
    )
    codes = set(plan_a.targets.values_list("code", flat=True))
    assert "health-board-monthly" in codes and "health-staff-center" not in codes  # only for 社卫中心
    assert plan_a.status == "draft" and plan_a.template_version == ref("ref-health").version
    station = OrgFactory(kind=OrgKind.UNIT, unit_type="health_station", parent=personas.community_a)
    plan_s = services.template_adopt(actor=personas.leader_a, template=ref("ref-health"), org=station, year=2025)
    assert plan_s.targets.filter(code="health-staff-station").exists()
    t = plan_a.targets.get(code="health-board-monthly")
    services.target_save(actor=personas.leader_a, plan=plan_a, target=t, min_per_year=14)
    assert ref("ref-health").targets.get(code="health-board-monthly").min_per_year == 12
    with pytest.raises(ValidationError):
        services.template_adopt(
            actor=personas.leader_a, template=ref("ref-health"), org=personas.community_a, year=2025
        )
    with pytest.raises(PermissionDenied):
        services.template_adopt(
            actor=personas.worker_b, template=ref("ref-health"), org=personas.community_a, year=2026
        )


def test_street_template_changes_are_shown_not_forced(personas):
    street_plan = plan(personas.street, year=2025)
    target(
        street_plan,
        code="board",
        title="宣传栏每月",
        kind="count",
        activity_codes=["health/board"],
        period="month",
        min_per_period=1,
    )
    template = services.template_publish(actor=personas.supervisor, plan=street_plan)
    assert template.version == 1 and template.org == personas.street
    adopted = services.template_adopt(actor=personas.leader_a, template=template, org=personas.community_a, year=2025)
    assert services.template_changes(adopted) == []
    # The street raises its minimum and adds a target, then publishes again.
    services.target_save(
        actor=personas.supervisor, plan=street_plan, target=street_plan.targets.get(), min_per_period=2
    )
    target(
        street_plan,
        code="lecture",
        title="讲座",
        kind="count",
        activity_codes=["health/lecture"],
        period="year",
        min_per_year=6,
    )
    template = services.template_publish(actor=personas.supervisor, plan=street_plan)
    assert template.version == 2
    adopted.refresh_from_db()
    changes = {c["code"]: c for c in services.template_changes(adopted)}
    assert changes["board"]["change"] == "修改"
    assert ("每周期至少", 1, 2) in changes["board"]["fields"]
    assert changes["lecture"]["change"] == "新增"
    assert adopted.targets.get(code="board").min_per_period == 1  # not forced
    services.template_change_apply(actor=personas.leader_a, plan=adopted, code="board")
    assert adopted.targets.get(code="board").min_per_period == 2
    assert [c["code"] for c in services.template_changes(adopted)] == ["lecture"]
    services.template_change_apply(actor=personas.leader_a, plan=adopted, code="lecture")
    adopted.refresh_from_db()
    assert services.template_changes(adopted) == [] and adopted.template_version == 2
    with pytest.raises(ValidationError):
        services.template_publish(actor=personas.leader_a, plan=plan(personas.community_a, year=2025, title="x"))


def test_closed_year_makes_plans_targets_and_tasks_read_only(personas):
    p = services.plan_create(
        actor=personas.leader_a, org=personas.community_a, year=2024, area=ref("ref-health").area, title="2024计划"
    )
    t = target(p, kind="rate", threshold=Decimal(97))
    task = services.task_create(actor=personas.leader_a, org=personas.community_a, title="任务", due=date(2024, 6, 1))
    YearClosure.objects.create(org=personas.street, year=2024)
    for call in (
        lambda: services.plan_update(actor=personas.leader_a, plan=p, title="改", text=""),
        lambda: services.plan_set_status(actor=personas.leader_a, plan=p, status="published"),
        lambda: services.target_save(actor=personas.leader_a, plan=p, target=t, threshold=Decimal(90)),
        lambda: services.rate_entry_add(
            actor=personas.leader_a, target=t, value=Decimal(98), measured_on=date(2024, 12, 1), evidence="问卷"
        ),
        lambda: services.task_add_note(actor=personas.leader_a, task=task, text="进展"),
        lambda: services.template_adopt(
            actor=personas.leader_a, template=ref("ref-safety"), org=personas.community_a, year=2024
        ),
        lambda: services.plan_create(
            actor=personas.leader_a, org=personas.community_a, year=2024, area=p.area, title="新"
        ),
    ):
        with pytest.raises(ValidationError, match="已关账"):
            call()
    services.plan_create(actor=personas.leader_a, org=personas.community_a, year=2025, area=p.area, title="2025")


def test_rate_entry_needs_evidence_stays_in_its_year_and_is_audited(personas):
    p = plan(personas.community_a)
    t = target(p, kind="rate", threshold=Decimal(97))
    with pytest.raises(ValidationError):
        services.rate_entry_add(
            actor=personas.worker_a, target=t, value=Decimal(98), measured_on=date(2025, 5, 1), evidence=" "
        )
    with pytest.raises(ValidationError, match="跨年"):
        services.rate_entry_add(
            actor=personas.worker_a, target=t, value=Decimal(98), measured_on=date(2026, 1, 1), evidence="问卷"
        )
    entry = services.rate_entry_add(
        actor=personas.worker_a, target=t, value=Decimal(98), measured_on=date(2025, 5, 1), evidence="问卷200份"
    )
    log = AuditLog.objects.get(action="target.rate_entry")
    assert log.detail["value"] == "98" and log.detail["entry"] == entry.pk and log.actor == personas.worker_a


def test_meeting_resolution_creates_a_task_and_progress_is_kept(personas):
    meeting = record(personas.community_a, "selfgov/council", date(2025, 3, 2), title="协商议事会")
    task = services.task_create(
        actor=personas.leader_a,
        org=personas.community_a,
        title="安装民情民意交流栏",
        due=date(2025, 6, 30),
        lead_org=personas.community_a,
        partner_orgs=[personas.grid_a],
        leader_name="李书记",
        owner=personas.worker_a,
        source_record=meeting,
    )
    assert task.source_record == meeting and list(task.partner_orgs.all()) == [personas.grid_a]
    with pytest.raises(PermissionDenied):
        services.task_create(actor=personas.worker_a, org=personas.community_a, title="x", due=date(2025, 6, 30))
    services.task_add_note(actor=personas.worker_a, task=task, text="已采购")
    task.refresh_from_db()
    assert task.status == TaskStatus.DOING
    evidence = record(personas.community_a, "selfgov/opinion_board", date(2025, 5, 2), title="交流栏安装")
    services.task_link_evidence(actor=personas.worker_a, task=task, record=evidence)
    services.task_set_status(actor=personas.worker_a, task=task, status=TaskStatus.DONE, completed_on=date(2025, 5, 3))
    assert list(task.evidence.all()) == [evidence] and task.completed_on == date(2025, 5, 3)
    with pytest.raises(PermissionDenied):
        services.task_add_note(actor=personas.worker_b, task=task, text="x")


def test_reminders_for_due_overdue_tasks_and_targets_at_risk(personas):
    today = date(2025, 3, 20)
    soon = services.task_create(
        actor=personas.leader_a,
        org=personas.community_a,
        title="即将到期",
        due=date(2025, 3, 25),
        owner=personas.worker_a,
    )
    services.task_create(actor=personas.leader_a, org=personas.community_a, title="已逾期", due=date(2025, 3, 1))
    services.task_create(actor=personas.leader_a, org=personas.community_a, title="还早", due=date(2025, 9, 1))
    p = plan(personas.community_a, year=2025)
    target(
        p, code="board", title="宣传栏", kind="count", activity_codes=["health/board"], period="month", min_per_period=1
    )
    counts = reminders.refresh(today=today)
    mine = {(r.kind, r.message.split("”")[0]) for r in Reminder.objects.filter(user=personas.worker_a)}
    assert (ReminderKind.DUE_SOON, "任务“即将到期") in mine
    assert any(k == ReminderKind.AT_RISK for k, _m in mine)  # worker_a covers health
    leader = {r.kind for r in Reminder.objects.filter(user=personas.leader_a)}
    assert ReminderKind.OVERDUE in leader
    plans_kinds = [ReminderKind.DUE_SOON, ReminderKind.OVERDUE, ReminderKind.AT_RISK]  # other apps add their own
    assert not Reminder.objects.filter(user=personas.worker_b, kind__in=plans_kinds).exists()
    assert counts["added"] == Reminder.objects.count()
    # Running again adds nothing; a read reminder stays read; a resolved one goes away.
    Reminder.objects.filter(user=personas.worker_a, kind=ReminderKind.DUE_SOON).update(read_at="2025-03-20T10:00Z")
    assert reminders.refresh(today=today)["added"] == 0
    record(personas.community_a, "health/board", date(2025, 3, 20))
    services.task_set_status(actor=personas.worker_a, task=soon, status=TaskStatus.DONE)
    reminders.refresh(today=today)
    assert not Reminder.objects.filter(kind=ReminderKind.AT_RISK).exists()
    assert Reminder.objects.filter(user=personas.worker_a, kind=ReminderKind.DUE_SOON).exists()  # read: kept


def test_management_command_runs_the_same_job(personas, capsys):
    from django.core.management import call_command

    services.task_create(actor=personas.leader_a, org=personas.community_a, title="逾期", due=date(2025, 1, 2))
    call_command("plans_reminders", "--date", "2025-02-01")
    added = Reminder.objects.count()  # the overdue task's, and the reports owed and pressed (督办) that day
    assert f"新增 {added}" in capsys.readouterr().out
    assert Reminder.objects.filter(user=personas.leader_a, kind=ReminderKind.OVERDUE).count() == 1


def test_area_bound_worker_cannot_edit_another_areas_plan(personas):
    safety_only = member(personas.community_a, Role.WORKER, areas=[ref("ref-safety").area])
    p = plan(personas.community_a)  # health
    with pytest.raises(PermissionDenied):
        services.target_save(actor=safety_only, plan=p, code="x", title="x", kind="rate", threshold=Decimal(1))
    assert Target.objects.count() == 0


def test_health_only_worker_cannot_link_a_safety_record_they_cannot_see(personas):
    from shequ.accounts import access
    from shequ.accounts.models import Membership
    from shequ.plans import selectors

    Membership.objects.get(user=personas.worker_a).areas.set([area("health")])
    access.forget(personas.worker_a)
    task = services.task_create(
        actor=personas.leader_a, org=personas.community_a, title="平安创建", due=date(2025, 6, 30),
        lead_org=personas.community_a,
    )  # fmt: skip
    hidden = record(personas.community_a, "safety/patrol", date(2025, 5, 2), title="治安巡逻排查")
    with pytest.raises(PermissionDenied):
        services.task_link_evidence(actor=personas.worker_a, task=task, record=hidden)
    services.task_link_evidence(actor=personas.leader_a, task=task, record=hidden)
    assert selectors.task_detail_lists(personas.leader_a, task)["evidence"] == [hidden]
    assert selectors.task_detail_lists(personas.worker_a, task)["evidence"] == []
