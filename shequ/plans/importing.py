"""A plan imported from its document: a reviewed draft becomes a plan (and, for a street or district,
a template) through the plans services, in one transaction. Nothing is written before adoption."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.orgs.models import Area, Org, OrgKind
from shequ.plans import services
from shequ.plans.extract.draft import Draft, DraftTarget
from shequ.plans.extract.pipeline import extract
from shequ.plans.models import Plan, PlanImport, TargetKind

DAY_NOTE = "（原文为每日频次，按每周计）"
GROUP_NOTE = "（原文未定时限，默认一季度末）"


@dataclass
class ReviewedTarget:
    """A target as the worker left it on the review page."""

    title: str
    kind: str  # a TargetKind value
    basis: str = ""
    activity_codes: list[str] = field(default_factory=list)
    period: str = ""
    months: list[int] = field(default_factory=list)
    min_per_period: int | None = None
    min_per_year: int | None = None
    threshold: Decimal | None = None
    max_value: Decimal | None = None
    unit: str = ""
    due_month: int | None = None
    due_day: int | None = None
    owner_name: str = ""


@dataclass
class ReviewedTask:
    """A duty without a number that the worker keeps as a task."""

    title: str
    description: str
    due: date
    leader_name: str = ""
    owner_name: str = ""
    partners_text: str = ""


def plan_import_start(*, actor: User, org: Org, year: int, text: str) -> PlanImport:
    """Read ``text`` into a draft kept for review (no plan is created)."""
    access.check(actor, org, Perm.EDIT_PLANS)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000–2100之间。"})
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    draft = extract(text)
    with transaction.atomic():
        imp = PlanImport.objects.create(org=org, year=year, text=text, draft=draft.to_dict(), created_by=actor)
        audit(actor, "plan.import_start", imp, {"targets": len(draft.targets)}, org=org)
    return imp


def plan_import_add_target(*, actor: User, imp: PlanImport, target: DraftTarget) -> None:
    """Keep a target the worker added by selecting text, so the document shows where it came from."""
    access.check(actor, imp.org, Perm.EDIT_PLANS)
    draft = Draft.from_dict(imp.draft)
    draft.targets = [t for t in draft.targets if t.id != target.id] + [target]
    imp.draft = draft.to_dict()
    imp.save(update_fields=["draft"])


def _int(text: str) -> int | None:
    return int(Decimal(text)) if text else None


def reviewed_from_draft(t: DraftTarget) -> ReviewedTarget:
    """The plan target a draft target proposes (the review form starts from it)."""
    r = ReviewedTarget(title=t.title[:200], kind=t.target_kind, basis=t.basis, owner_name=t.responsibility.owner[:50])
    if t.match.code and t.kind in ("count", "deadline", "group", "veto"):
        r.activity_codes = [t.match.code]
    if t.kind == "count":
        per_year = t.period in ("year", "")
        value = _int(t.value)
        if t.period == "day":
            r.period, value = "week", value * 7 if value else None
            r.basis = f"{t.basis}{DAY_NOTE}"
        else:
            r.period = "year" if per_year else t.period
        r.months = list(t.months)
        r.min_per_period = None if per_year else value
        r.min_per_year = _int(t.min_per_year) if t.min_per_year else (value if per_year else None)
    elif t.kind in ("rate", "range", "per_head"):
        r.threshold = Decimal(t.value) if t.value else None
        r.max_value = Decimal(t.max_value) if t.max_value else (r.threshold if t.comparison == "<=" else None)
        if t.comparison == "<=":
            r.threshold = Decimal(0)
        r.unit = t.unit[:10]
    elif t.kind == "change":
        r.threshold = Decimal(t.value) if t.value else None
        r.unit = t.unit
        if t.comparison == "-":
            # A change target counts points gained on last year; a fall to reach is entered as its size.
            r.kind, r.title = TargetKind.RATE, f"{t.title[:190]}（降幅）"
    elif t.kind in ("deadline", "group"):
        due = t.deadline or t.responsibility.due
        if due:
            r.due_month, r.due_day = (int(x) for x in due.split("-"))
        else:
            # A body to be formed with no date: the first quarter, as the reference templates do.
            r.due_month, r.due_day = 3, 31
            r.basis = f"{t.basis}{GROUP_NOTE}"
    return r


def _target_fields(r: ReviewedTarget) -> dict:
    return {
        "title": r.title,
        "kind": r.kind,
        "basis": r.basis,
        "activity_codes": r.activity_codes,
        "period": r.period,
        "months": r.months,
        "min_per_period": r.min_per_period,
        "min_per_year": r.min_per_year,
        "threshold": r.threshold,
        "max_value": r.max_value,
        "unit": r.unit,
        "due_month": r.due_month,
        "due_day": r.due_day,
        "owner_name": r.owner_name,
    }


def plan_import_adopt(
    *,
    actor: User,
    imp: PlanImport,
    area: Area,
    title: str,
    targets: list[ReviewedTarget],
    tasks: list[ReviewedTask],
    publish: bool = False,
) -> Plan:
    """Create the plan with its reviewed targets and kept tasks; with ``publish`` (a street or district),
    publish it as a template for the communities below. All or nothing; the draft is removed."""
    org, year, text = imp.org, imp.year, imp.text
    if not targets and not tasks:
        raise ValidationError("没有保留任何指标或任务，无法采用。")
    if publish and org.kind not in (OrgKind.STREET, OrgKind.DISTRICT):
        raise ValidationError("只有街道/乡镇或区/县可以发布计划模板。")
    errors: list[str] = []
    with transaction.atomic():
        plan = services.plan_create(actor=actor, org=org, year=year, area=area, title=title, text=text)
        for n, r in enumerate(targets, start=1):
            try:
                services.target_save(actor=actor, plan=plan, code=f"t{n}", sort=n * 10, **_target_fields(r))
            except ValidationError as exc:
                detail = (
                    "；".join(m for msgs in exc.message_dict.values() for m in msgs)
                    if hasattr(exc, "message_dict")
                    else "；".join(exc.messages)
                )
                errors.append(f"第{n}项“{r.title[:20]}”：{detail}")
        for task in tasks:
            if task.due.year != year:
                errors.append(f"任务“{task.title[:20]}”的完成时限应在{year}年内。")
                continue
            services.task_create(
                actor=actor,
                org=org,
                plan=plan,
                title=task.title[:200],
                description=task.description,
                due=task.due,
                leader_name=task.leader_name[:50],
                owner_name=task.owner_name[:50],
                partners_text=task.partners_text[:200],
            )
        if errors:
            raise ValidationError(errors)
        if publish:
            services.template_publish(actor=actor, plan=plan)
        audit(actor, "plan.import_adopt", plan, {"targets": len(targets), "tasks": len(tasks)}, org=org)
        imp.delete()
    return plan
