"""The plans API: plans, targets with their compliance, tasks, templates. Every read is scoped."""

from datetime import date
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shequ.accounts.orgtree import selectors as org_selectors
from shequ.core.paging import ApiPagination
from shequ.plans import compliance, selectors, services
from shequ.plans.compliance import Result
from shequ.plans.filters import TaskFilter

router = Router(tags=["计划与指标"])


class PlanOut(Schema):
    id: int
    org_id: int
    org_name: str
    year: int
    area: str
    title: str
    status: str
    template_id: int | None = None


class CellOut(Schema):
    label: str
    start: date | None
    end: date | None
    expected: str | None
    done: str | None
    on_time: bool | None
    state: str | None
    state_label: str
    note: str = ""


class FigureOut(Schema):
    """A computed target's figure: numerator ÷ denominator (value null when the denominator is 0: 无数据)."""

    indicator: str
    numerator: Decimal
    denominator: Decimal
    value: Decimal | None
    unit: str
    sample: int | None = None
    interval_low: Decimal | None = None
    interval_high: Decimal | None = None


class TargetOut(Schema):
    id: int
    plan_id: int
    org_id: int
    code: str
    title: str
    kind: str
    period: str
    months: list[int]
    activity_codes: list[str]
    responsible: str
    state: str | None
    state_label: str
    total: CellOut
    periods: list[CellOut] = []
    indicator: str = ""
    figure: FigureOut | None = None


class PlanDetailOut(PlanOut):
    text: str
    targets: list[TargetOut]


class TaskOut(Schema):
    id: int
    org_id: int
    year: int
    plan_id: int | None
    target_id: int | None
    title: str
    lead_org: str | None = None
    leader_name: str
    responsible: str
    due: date
    status: str
    completed_on: date | None

    @staticmethod
    def resolve_lead_org(obj) -> str | None:
        return obj.lead_org.name if obj.lead_org_id else None


class TemplateOut(Schema):
    id: int
    code: str
    title: str
    area: str
    publisher: str
    version: int


class EntryIn(Schema):
    value: Decimal
    measured_on: date
    evidence: str


class EntryOut(Schema):
    id: int
    value: Decimal
    measured_on: date
    evidence: str


class OverviewCellOut(Schema):
    org_id: int
    org_name: str
    target_id: int
    state: str | None
    done: str | None
    expected: str | None


class OverviewRowOut(Schema):
    code: str
    title: str
    area: str
    ok: int
    total: int
    cells: list[OverviewCellOut]


def _plan_out(p) -> dict:
    return {
        "id": p.pk,
        "org_id": p.org_id,
        "org_name": p.org.name,
        "year": p.year,
        "area": p.area.code,
        "title": p.title,
        "status": p.status,
        "template_id": p.template_id,
        "text": p.text,
    }


def _cell(c) -> dict:
    return {
        "label": c.label,
        "start": c.start,
        "end": c.end,
        "expected": None if c.expected is None else str(c.expected),
        "done": None if c.done is None else str(c.done),
        "on_time": c.on_time,
        "state": c.state,
        "state_label": c.state_label,
        "note": c.note,
    }


def _target_out(r: Result, with_periods: bool = False) -> dict:
    t = r.target
    return {
        "id": t.pk,
        "plan_id": t.plan_id,
        "org_id": t.plan.org_id,
        "code": t.code,
        "title": t.title,
        "kind": t.kind,
        "period": t.period,
        "months": t.months,
        "activity_codes": t.activity_codes,
        "responsible": t.responsible,
        "state": r.state,
        "state_label": r.total.state_label,
        "total": _cell(r.total),
        "periods": [_cell(c) for c in r.periods] if with_periods else [],
        "indicator": t.indicator,
        "figure": _figure(r.figure),
    }


def _figure(fig) -> dict | None:
    if fig is None:
        return None
    interval = fig.interval
    return {
        "indicator": fig.indicator.code,
        "numerator": fig.numerator,
        "denominator": fig.denominator,
        "value": fig.value,
        "unit": fig.indicator.unit,
        "sample": fig.sample,
        "interval_low": interval[0] if interval else None,
        "interval_high": interval[1] if interval else None,
    }


@router.get("/", response=list[PlanOut], summary="年度计划列表（本人管辖范围）")
@paginate(ApiPagination)
def plans_list(request, year: int | None = None, area: str = "", status: str = ""):
    return [_plan_out(p) for p in selectors.plan_list(request.user, year=year, area=area, status=status)]


@router.get("/templates", response=list[TemplateOut], summary="可采用的计划模板")
def plans_templates(request):
    return [
        {
            "id": t.pk,
            "code": t.code,
            "title": t.title,
            "area": t.area.code,
            "publisher": t.publisher_name,
            "version": t.version,
        }
        for t in selectors.template_list(request.user)
    ]


@router.get("/overview", response=list[OverviewRowOut], summary="辖区达标总览（各单位逐项指标）")
def plans_overview(request, org_id: int, year: int, area: str = ""):
    root = org_selectors.org_get(request.user, org_id)
    data = selectors.overview(request.user, root=root, year=year, area=area)
    out = []
    for row in data["rows"]:
        cells = [
            {
                "org_id": r.target.plan.org_id,
                "org_name": r.target.plan.org.name,
                "target_id": r.target.pk,
                "state": r.state,
                "done": None if r.total.done is None else str(r.total.done),
                "expected": None if r.total.expected is None else str(r.total.expected),
            }
            for cell in row.cells.values()
            for r in cell["results"]
        ]
        out.append(
            {
                "code": row.code,
                "title": row.title,
                "area": row.area,
                "ok": row.counts.get("ok", 0),
                "total": row.total,
                "cells": cells,
            }
        )
    return out


class TaskFilterIn(Schema):
    """The task list's filters as the API documents them; ``TaskFilter`` reads and checks them (400 when invalid)."""

    status: str = Field("", description="状态：open（未完成）或某一状态；空为全部")
    year: str = Field("", description="年度")
    mine: str = Field("", description="只看我负责的：true")


@router.get("/tasks", response=list[TaskOut], summary="任务列表")
@paginate(ApiPagination)
def plans_tasks(request, filters: Query[TaskFilterIn]):
    flt = TaskFilter(request.GET, queryset=selectors.task_list(request.user), actor=request.user)
    return flt.rows_or_error()


@router.get("/tasks/{int:task_id}", response=TaskOut, summary="任务详情")
def plans_task(request, task_id: int):
    return selectors.task_get(request.user, task_id)


@router.get("/targets/{int:target_id}", response=TargetOut, summary="指标及各周期达标情况")
def plans_target(request, target_id: int):
    target = selectors.target_get(request.user, target_id)
    return _target_out(compliance.evaluate([target])[target.pk], with_periods=True)


@router.get("/targets/{int:target_id}/entries", response=list[EntryOut], summary="指标的录入数值")
def plans_target_entries(request, target_id: int):
    target = selectors.target_get(request.user, target_id)
    return list(target.entries.all())


@router.post("/targets/{int:target_id}/entries", response={201: EntryOut}, summary="录入比率/数值（附依据，审计）")
def plans_target_entry_add(request, target_id: int, payload: EntryIn):
    target = selectors.target_get(request.user, target_id)
    entry = services.rate_entry_add(actor=request.user, target=target, **payload.dict())
    return Status(201, entry)


@router.get("/{int:plan_id}", response=PlanDetailOut, summary="计划详情、指标及达标情况")
def plans_get(request, plan_id: int):
    plan = selectors.plan_get(request.user, plan_id)
    targets = selectors.plan_targets(plan)
    results = compliance.evaluate(targets)
    return {**_plan_out(plan), "targets": [_target_out(results[t.pk]) for t in targets]}
