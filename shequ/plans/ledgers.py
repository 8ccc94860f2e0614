"""The plan as a ledger: its targets with their state and the responsible people, its tasks, its text."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from shequ.ledgers.declare import Column, Context, Filter, Kind, Ledger, Table
from shequ.plans import compliance, selectors
from shequ.plans.models import Plan, Task
from shequ.plans.periods import PeriodKind, months_label


def requirement(t) -> str:
    if t.kind == "count":
        parts = []
        if t.period:
            scope = months_label(t.months)
            label = PeriodKind(t.period).label
            if t.min_per_period is not None:
                parts.append(f"{scope}{label}至少{t.min_per_period}次")
        if t.min_per_year is not None:
            parts.append(f"全年至少{t.min_per_year}次")
        return ",".join(parts)
    if t.kind == "deadline":
        return f"{t.due_month}月{t.due_day}日前完成"
    if t.kind == "veto":
        return "不发生（一票否决）"
    unit = t.unit or ""
    if t.kind == "change":
        return f"较上年提高{t.threshold.normalize():f}{unit}"
    upper = f"–{t.max_value.normalize():f}" if t.max_value is not None else "以上"
    return f"{t.threshold.normalize():f}{upper}{unit}" if t.threshold is not None else ""


def _done(r: compliance.Result):
    t = r.target
    if r.total.expected is not None and t.kind == "count":
        return f"{r.total.done}/{r.total.expected}" if t.min_per_year is not None else f"{r.total.done}次"
    return r.total.done


def _plan_pk(text: str) -> int:
    if not text.isdigit() or len(text) > 12:
        raise ValueError("请填写计划的编号。")
    return int(text)


def _prepare(ctx: Context) -> None:
    """The plan of ``?plan=``: visible to the actor, of the org and year in the address; its area."""
    pk = ctx.filters.get("plan")
    if pk is None:
        raise Http404("请选择计划。")
    plan = selectors.plan_get(ctx.actor, pk)
    if plan.org_id != ctx.org.pk or plan.year != ctx.year:
        raise Http404
    ctx.subject = plan
    ctx.area = plan.area


def _target_rows(ctx: Context) -> Iterable[compliance.Result]:
    targets = selectors.plan_targets(ctx.subject)
    results = compliance.evaluate(targets)
    return [results[t.pk] for t in targets]


def _task_rows(ctx: Context) -> list[Task]:
    return selectors.plan_tasks(ctx.subject)


def _partners(task: Task) -> str:
    return "、".join([o.name for o in task.partner_orgs.all()] + ([task.partners_text] if task.partners_text else []))


def _notes(ctx: Context) -> list[str]:
    plan: Plan = ctx.subject
    return [line.strip() for line in plan.text.splitlines() if line.strip()]


PLAN = Ledger(
    code="plan",
    title="年度工作计划",
    area=None,  # the plan's own, set by _prepare
    filters=[Filter("plan", "计划", _plan_pk)],
    prepare=_prepare,
    title_for=lambda ctx: ctx.subject.title,
    name_for=lambda ctx: "年度工作计划",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("指标", Kind.TEXT, lambda r: r.target.title),
        Column("类型", Kind.SHORT, lambda r: r.target.get_kind_display()),
        Column("要求", Kind.TEXT, lambda r: requirement(r.target)),
        Column("完成情况", Kind.SHORT, _done),
        Column("状态", Kind.SHORT, lambda r: r.total.state_label),
        Column("责任人", Kind.NAME, lambda r: r.target.responsible),
    ],
    rows=_target_rows,
    more=[
        Table(
            "任务分解",
            [
                Column("序号", Kind.SERIAL),
                Column("任务", Kind.TEXT, lambda t: t.title),
                Column("牵头单位", Kind.SHORT, lambda t: t.lead_org.name if t.lead_org_id else ""),
                Column("配合单位", Kind.SHORT, _partners),
                Column("分管领导", Kind.NAME, lambda t: t.leader_name),
                Column("责任人", Kind.NAME, lambda t: t.responsible),
                Column("完成时限", Kind.DATE, lambda t: t.due),
                Column("状态", Kind.SHORT, lambda t: t.get_status_display()),
            ],
            _task_rows,
        )
    ],
    notes=_notes,
    notes_heading="计划原文",
)

LEDGERS = (PLAN,)
