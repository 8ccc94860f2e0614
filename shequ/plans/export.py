"""The plan as a file: its targets with their state and the responsible people, and its tasks."""

from __future__ import annotations

from shequ.ledgers.writers import (
    Column,
    Ledger,
    add_heading_block,
    add_table,
    add_title,
    docx_response,
    file_name,
    new_document,
    xlsx_response,
)
from shequ.plans.compliance import Result
from shequ.plans.models import Plan, Task
from shequ.plans.periods import PeriodKind, months_label

TARGET_COLUMNS = [
    Column("序号", 6),
    Column("指标", 40),
    Column("类型", 10),
    Column("要求", 24),
    Column("完成情况", 16),
    Column("状态", 10),
    Column("责任人", 12),
]
TASK_HEADERS = ["序号", "任务", "牵头单位", "配合单位", "分管领导", "责任人", "完成时限", "状态"]


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
        return "不发生(一票否决)"
    unit = t.unit or ""
    if t.kind == "change":
        return f"较上年提高{t.threshold.normalize():f}{unit}"
    upper = f"–{t.max_value.normalize():f}" if t.max_value is not None else "以上"
    return f"{t.threshold.normalize():f}{upper}{unit}" if t.threshold is not None else ""


def target_rows(rows: list[Result]):
    for i, r in enumerate(rows, start=1):
        t = r.target
        done = r.total.done
        if r.total.expected is not None and t.kind == "count":
            done = f"{r.total.done}/{r.total.expected}" if t.min_per_year is not None else f"{r.total.done}次"
        yield [i, t.title, t.get_kind_display(), requirement(t), done, r.total.state_label, t.responsible]


def task_rows(tasks: list[Task]):
    for i, task in enumerate(tasks, start=1):
        partners = "、".join(
            [o.name for o in task.partner_orgs.all()] + ([task.partners_text] if task.partners_text else [])
        )
        yield [
            i,
            task.title,
            task.lead_org.name if task.lead_org_id else "",
            partners,
            task.leader_name,
            task.responsible,
            task.due,
            task.get_status_display(),
        ]


def _ledger(plan: Plan, rows, maker: str) -> Ledger:
    return Ledger(
        title=plan.title,
        org_name=plan.org.name,
        year=plan.year,
        area_name=plan.area.name,
        columns=TARGET_COLUMNS,
        rows=target_rows(rows),
        maker=maker,
    )


def plan_xlsx(plan: Plan, rows: list[Result], tasks: list[Task], maker: str):
    """Targets with state and responsible people; tasks follow under their own heading row."""
    task_lines = list(task_rows(tasks))
    ledger = _ledger(plan, rows, maker)
    if task_lines:
        targets = list(ledger.rows)
        ledger.rows = [*targets, [], ["任务", *TASK_HEADERS[1:]], *task_lines]
    return xlsx_response(ledger, file_name(plan.org.name, plan.area.name, plan.year, "年度工作计划", "xlsx"))


def plan_docx(plan: Plan, rows: list[Result], tasks: list[Task], maker: str):
    ledger = _ledger(plan, rows, maker)
    doc = new_document(landscape=True)
    add_title(doc, plan.title)
    add_heading_block(doc, [*ledger.heading_pairs(), ("状态", plan.get_status_display())])
    doc.add_heading("一、指标及完成情况", level=2)
    add_table(doc, [c.header for c in TARGET_COLUMNS], ledger.rows, [c.width for c in TARGET_COLUMNS])
    doc.add_heading("二、任务分解", level=2)
    add_table(doc, TASK_HEADERS, task_rows(tasks), [5, 30, 14, 16, 10, 10, 14, 8])
    if plan.text:
        doc.add_heading("三、计划原文", level=2)
        for para in plan.text.splitlines():
            if para.strip():
                doc.add_paragraph(para.strip())
    return docx_response(doc, file_name(plan.org.name, plan.area.name, plan.year, "年度工作计划", "docx"))
