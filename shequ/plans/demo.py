"""Demo step: the six reference templates adopted for ctx.year by the demo communities and units,
published, with tasks and the few rates Shequ cannot compute entered by hand, then today's reminders.

Every rate whose data Shequ holds is a computed target (the reference templates say so); a demo database
made before a template changed takes the changes over, so that no rate Shequ can compute stays typed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from shequ.orgs.models import Area
from shequ.plans import campaigns, catalogue, reminders, services
from shequ.plans.models import Plan, PlanStatus, PlanTemplate, Target, TargetKind, Task, TaskStatus, TemplateTarget

# template code -> demo org keys that adopt it
ADOPTERS = {
    "ref-health": ["communityA", "communityB", "village1", "village2", "health_center", "health_station"],
    "ref-selfgov": ["communityA", "communityB", "village1", "village2"],
    "ref-disability": ["communityA", "communityB", "village1", "village2"],
    "ref-safety": ["communityA", "communityB", "village1", "village2"],
    "ref-school": ["school"],
    "ref-education": ["communityA", "communityB", "village1", "village2"],
}
# Believable entered values of the figures Shequ cannot compute (community A a little better than the others).
# (The staff and group targets are computed from the groups' demo.)
RATES = {
    "disability-files": Decimal("96.0"),
    "selfgov-boards": Decimal(8),
}


def step(ctx, options) -> None:
    catalogue.refresh(PlanTemplate, TemplateTarget, Area)
    actor = ctx.users["admin"]
    year = ctx.year
    today = timezone.localdate()
    measured = min(today, date(year, 12, 31)) if year <= today.year else date(year, 1, 1)
    for code, keys in ADOPTERS.items():
        template = PlanTemplate.objects.filter(org__isnull=True, code=code).first()
        if template is None:
            continue
        for key in keys:
            org = ctx.orgs.get(key)
            if org is None:
                continue
            plan = Plan.objects.filter(org=org, year=year, template=template).first()
            if plan is None:
                plan = services.template_adopt(actor=actor, template=template, org=org, year=year)
                services.plan_set_status(actor=actor, plan=plan, status=PlanStatus.PUBLISHED)
            for change in services.template_changes(plan):
                services.template_change_apply(actor=actor, plan=plan, code=change["code"])
            typed = Target.objects.filter(plan=plan, code__in=RATES, kind__in=[TargetKind.RATE, TargetKind.CHANGE])
            for target in typed.exclude(entries__isnull=False):
                value = RATES[target.code] + (Decimal(1) if key == "communityA" and target.unit == "%" else 0)
                services.rate_entry_add(
                    actor=actor,
                    target=target,
                    value=min(value, Decimal(100)) if target.unit == "%" else value,
                    measured_on=measured,
                    evidence="演示数据:抽样调查/名册统计",
                )
            _demo_tasks(ctx, actor, plan, org, key)
    _campaign_tasks(ctx, actor, year, today)
    reminders.refresh()


def _campaign_tasks(ctx, actor, year: int, today: date) -> None:
    """The campaign days' tasks of the year; those whose day is past were done, except 柳树村's."""
    campaigns.make_tasks(year)
    laggard = ctx.orgs.get("village2")
    past = Task.objects.filter(year=year, status=TaskStatus.TODO, due__lt=today).exclude(campaign="")
    for task in past.exclude(org=laggard) if laggard else past:
        services.task_set_status(actor=actor, task=task, status="done", completed_on=task.due, note="宣传活动已开展")


BASELINES = {  # last year's values of the change targets, and this year's
    "safety-awareness": (Decimal("88.0"), Decimal("90.5")),
    "safety-participation": (Decimal("61.0"), Decimal("60.2")),
}


def _demo_tasks(ctx, actor, plan: Plan, org, key: str) -> None:
    """Tasks for the deadline targets; most done on time, the first of 社区A left open (it shows overdue)."""
    if plan.tasks.exists():
        return
    year, today = plan.year, timezone.localdate()
    for target in plan.targets.filter(code__in=BASELINES, kind=TargetKind.CHANGE, entries__isnull=True):
        last, now = BASELINES[target.code]
        services.target_save(actor=actor, plan=plan, target=target, baseline=last)
        services.rate_entry_add(
            actor=actor,
            target=target,
            value=now,
            measured_on=min(today, date(year, 12, 1)),
            evidence="演示数据:抽样调查",
        )
    is_a = key == "communityA"
    # Campaign targets get their task from the campaign days (below).
    for n, target in enumerate(plan.targets.filter(kind="deadline", campaign="").order_by("sort")):
        due = date(year, target.due_month, target.due_day)
        task = services.task_create(
            actor=actor,
            org=org,
            plan=plan,
            target=target,
            title=target.title,
            due=due,
            leader_name="李书记" if is_a else "",
            owner=ctx.users.get("a_worker") if is_a else None,
            owner_name="王专干" if is_a else "",
        )
        if due < today and not (is_a and n == 0):
            services.task_set_status(
                actor=actor, task=task, status="done", completed_on=date(year, target.due_month, 1), note="已完成"
            )
