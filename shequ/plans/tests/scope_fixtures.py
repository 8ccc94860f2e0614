"""Classification of the plans URLs for the authorization matrix (see core test_authorization_matrix)."""

from __future__ import annotations

from datetime import date

from shequ.orgs.models import Area
from shequ.plans.models import Plan, PlanImport, PlanTemplate, Target, Task

PUBLIC_URLS: set[str] = set()


def _plan(p) -> Plan:
    area = Area.objects.get_or_create(code="health", defaults={"name": "健康教育"})[0]
    plan, _ = Plan.objects.get_or_create(
        org=p.community_a, year=2025, area=area, defaults={"title": "社区A健康教育计划"}
    )
    return plan


def _target(p) -> Target:
    return Target.objects.get_or_create(
        plan=_plan(p), code="rate", defaults={"title": "知晓率", "kind": "rate", "threshold": 97, "unit": "%"}
    )[0]


def _indicator_target(p) -> Target:
    return Target.objects.get_or_create(
        plan=_plan(p),
        code="computed",
        defaults={"title": "五清率", "kind": "indicator", "indicator": "disability_five_clear", "threshold": 100},
    )[0]


def _task(p) -> Task:
    return Task.objects.get_or_create(
        org=p.community_a, title="成立领导小组", defaults={"year": 2025, "due": date(2025, 3, 31), "plan": _plan(p)}
    )[0]


def _template(p) -> PlanTemplate:
    # A template published by 社区A itself (services only let streets and districts publish; the matrix
    # only needs an object that belongs to 社区A and must stay hidden from 社区B).
    area = Area.objects.get_or_create(code="health", defaults={"name": "健康教育"})[0]
    return PlanTemplate.objects.get_or_create(
        org=p.community_a, code="a-tpl", defaults={"area": area, "title": "A模板"}
    )[0]


def _import(p) -> PlanImport:
    return PlanImport.objects.get_or_create(
        org=p.community_a,
        year=2025,
        defaults={"text": "每月开展1次排查。", "created_by": p.worker_a, "draft": _draft()},
    )[0]


def _attachment(p) -> dict:
    from django.core.files.base import ContentFile

    from shequ.plans.models import PlanAttachment

    att = PlanAttachment.objects.filter(plan=_plan(p)).first()
    if att is None:
        att = PlanAttachment(plan=_plan(p), name="社区A计划.pdf")
        att.file.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {"pk": att.pk}


def _entry_file(p) -> dict:
    from django.core.files.base import ContentFile

    from shequ.plans.models import RateEntry

    entry = RateEntry.objects.filter(target=_target(p)).exclude(file="").first()
    if entry is None:
        entry = RateEntry(
            target=_target(p), value=98, measured_on=date(2025, 6, 1), evidence="问卷", file_name="问卷.pdf"
        )
        entry.file.save("e.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {"pk": entry.pk}


def _draft() -> dict:
    from shequ.plans.extract.pipeline import extract

    return extract("每月开展1次排查。").to_dict()


URL_OBJECTS = {
    "plans:import_review": lambda p: {"pk": _import(p).pk},
    "plans:import_add": lambda p: {"pk": _import(p).pk},
    "plans:detail": lambda p: {"pk": _plan(p).pk},
    "plans:edit": lambda p: {"pk": _plan(p).pk},
    "plans:status": lambda p: {"pk": _plan(p).pk},
    "plans:attach": lambda p: {"pk": _plan(p).pk},
    "plans:attachment": _attachment,
    "plans:entry_file": _entry_file,
    "plans:publish": lambda p: {"pk": _plan(p).pk},
    "plans:template_change": lambda p: {"pk": _plan(p).pk},
    "plans:target_create": lambda p: {"plan_pk": _plan(p).pk},
    "plans:target_detail": lambda p: {"pk": _target(p).pk},
    "plans:target_edit": lambda p: {"pk": _target(p).pk},
    "plans:target_delete": lambda p: {"pk": _target(p).pk},
    "plans:target_records": lambda p: {"pk": _target(p).pk},
    "plans:target_indicator_rows": lambda p: {"pk": _indicator_target(p).pk, "side": "numerator"},
    "plans:template_detail": lambda p: {"pk": _template(p).pk},
    "plans:task_detail": lambda p: {"pk": _task(p).pk},
    "plans:task_edit": lambda p: {"pk": _task(p).pk},
    "plans:task_status": lambda p: {"pk": _task(p).pk},
    "plans:task_evidence": lambda p: {"pk": _task(p).pk},
    "api:plans_get": lambda p: {"plan_id": _plan(p).pk},
    "api:plans_target": lambda p: {"target_id": _target(p).pk},
    "api:plans_target_entries": lambda p: {"target_id": _target(p).pk},
    "api:plans_target_entry_add": lambda p: {"target_id": _target(p).pk},
    "api:plans_task": lambda p: {"task_id": _task(p).pk},
}

# The extended matrix: the plan and its targets are of 健康教育; tasks and plan imports are of no single line;
# a template is published to every org below its own.
AREA = "health"
URL_AREAS = {
    "plans:import_review": None,
    "plans:import_add": None,
    "plans:task_detail": None,
    "plans:task_edit": None,
    "plans:task_status": None,
    "plans:task_evidence": None,
    "plans:template_detail": None,
    "api:plans_task": None,
}
URL_REACH = {"plans:template_detail": "subtree", "plans:import_review": "office", "plans:import_add": "office"}
NEEDS_QUERY = {"api:plans_overview"}
