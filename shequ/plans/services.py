"""Every write of plans, templates, targets and tasks: check, ensure the year is open, change, audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core import uploads
from shequ.core.versioning import expect
from shequ.orgs.models import Area, Org, OrgKind
from shequ.plans import campaigns
from shequ.plans.models import (
    Plan,
    PlanAttachment,
    PlanStatus,
    PlanTemplate,
    RateEntry,
    Target,
    TargetKind,
    TargetSpec,
    Task,
    TaskNote,
    TaskStatus,
    TemplateTarget,
)
from shequ.records.models import Record
from shequ.records.years import ensure_year_open

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# What a plan keeps as attachments and a rate as its evidence, told by content (shequ.core.uploads): office
# documents and images (re-encoded without EXIF); never a web page or an SVG, which a browser would run.
ATTACHMENT_KINDS = uploads.OFFICE | uploads.IMAGES
ATTACHMENT_IMAGE_SIDE = 4096


def _check_file(upload, field: str) -> uploads.Checked:
    checked = uploads.check_uploads(
        [upload],
        allowed=ATTACHMENT_KINDS,
        max_bytes=ATTACHMENT_MAX_BYTES,
        field=field,
        image_side=ATTACHMENT_IMAGE_SIDE,
    )
    return checked[0]


def _check_plan_write(actor: User, plan: Plan) -> None:
    access.check(actor, plan.org, Perm.EDIT_PLANS, area=plan.area)
    ensure_year_open(plan.org, plan.year)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000–2100之间。"})


# ---- plans -------------------------------------------------------------------------------------


def plan_create(*, actor: User, org: Org, year: int, area: Area, title: str, text: str = "") -> Plan:
    access.check(actor, org, Perm.EDIT_PLANS, area=area)
    _check_year(year)
    ensure_year_open(org, year)
    with transaction.atomic():
        plan = Plan(org=org, year=year, area=area, title=title.strip(), text=text, created_by=actor)
        plan.full_clean()
        plan.save()
        audit(actor, "plan.create", plan, {"org": org.pk, "year": year, "area": area.code}, org=org)
    return plan


def plan_update(*, actor: User, plan: Plan, title: str, text: str, version: int | None = None) -> Plan:
    """Change a plan's title and text; refused (``StaleEdit``) if it changed after ``version``."""
    _check_plan_write(actor, plan)
    expect(plan, version)
    with transaction.atomic():
        plan.title, plan.text = title.strip(), text
        plan.full_clean()
        plan.save(update_fields=["title", "text", "updated_at"])
        audit(actor, "plan.update", plan, org=plan.org)
    return plan


def plan_set_status(*, actor: User, plan: Plan, status: str) -> Plan:
    _check_plan_write(actor, plan)
    if status not in PlanStatus.values:
        raise ValidationError("未知的计划状态。")
    with transaction.atomic():
        old = plan.status
        plan.status = status
        plan.save(update_fields=["status", "updated_at"])
        audit(actor, "plan.status", plan, {"from": old, "to": status}, org=plan.org)
    return plan


def plan_attach(*, actor: User, plan: Plan, upload, name: str = "") -> PlanAttachment:
    _check_plan_write(actor, plan)
    checked = _check_file(upload, "file")
    with transaction.atomic():
        att = PlanAttachment(plan=plan, name=uploads.display_name(name.strip() or checked.name), uploaded_by=actor)
        att.file.save(checked.stored_name, checked.content, save=False)
        att.save()
        audit(actor, "plan.attach", plan, {"file": att.name}, org=plan.org)
    return att


# ---- templates ---------------------------------------------------------------------------------


def template_visible_to(template: PlanTemplate, org: Org) -> bool:
    """A template serves its publisher's subtree; reference templates serve everyone."""
    return template.org is None or org.path.startswith(template.org.path)


def _copy_spec(source: TargetSpec, target: TargetSpec) -> None:
    for f in TargetSpec.SPEC_FIELDS:
        setattr(target, f, getattr(source, f))


def template_adopt(*, actor: User, template: PlanTemplate, org: Org, year: int, title: str = "") -> Plan:
    """Copy a template into ``org``'s own draft plan for ``year``: the targets that apply to the org.

    The template's targets at this moment are kept as a snapshot, so later changes can be shown."""
    access.check(actor, org, Perm.EDIT_PLANS, area=template.area)
    _check_year(year)
    ensure_year_open(org, year)
    if not template.is_published or not template_visible_to(template, org):
        raise ValidationError("该模板不适用于本单位。")
    if Plan.objects.filter(org=org, year=year, template=template).exists():
        raise ValidationError(f"{org.name}的{year}年度已采用过该模板。")
    template_targets = list(template.targets.all())
    with transaction.atomic():
        plan = Plan.objects.create(
            org=org,
            year=year,
            area=template.area,
            title=title or f"{org.name}{year}年{template.area.name}工作计划",
            text=template.text,
            template=template,
            template_version=template.version,
            template_snapshot=[tt.spec() for tt in template_targets],
            created_by=actor,
        )
        new = []
        for tt in template_targets:
            if not tt.applies(org):
                continue
            target = Target(plan=plan, code=tt.code, template_target=tt)
            _copy_spec(tt, target)
            if target.campaign:
                campaigns.fit(target, year)
            new.append(target)
        Target.objects.bulk_create(new)
        audit(
            actor,
            "plan.adopt",
            plan,
            {"template": template.pk, "version": template.version, "targets": len(new)},
            org=org,
        )
    return plan


SPEC_LABELS = {f: str(TargetSpec._meta.get_field(f).verbose_name) for f in TargetSpec.SPEC_FIELDS}  # type: ignore[union-attr]


def template_changes(plan: Plan) -> list[dict]:
    """What changed in the plan's template since it was adopted: added, removed and changed targets."""
    if plan.template is None or plan.template.version == plan.template_version:
        return []
    before = {s["code"]: s for s in plan.template_snapshot}
    now = {tt.code: tt.spec() for tt in plan.template.targets.all()}
    out = []
    for code, spec in now.items():
        if code not in before:
            out.append({"code": code, "title": spec["title"], "change": "新增", "fields": []})
        elif spec != before[code]:
            fields = [
                (SPEC_LABELS[f], before[code].get(f), spec.get(f))
                for f in TargetSpec.SPEC_FIELDS
                if before[code].get(f) != spec.get(f)
            ]
            out.append({"code": code, "title": spec["title"], "change": "修改", "fields": fields})
    for code, spec in before.items():
        if code not in now:
            out.append({"code": code, "title": spec["title"], "change": "删除", "fields": []})
    return out


def template_change_apply(*, actor: User, plan: Plan, code: str) -> Target | None:
    """Take over one change of the template into the plan (the community decides, target by target)."""
    _check_plan_write(actor, plan)
    template = plan.template
    if template is None:
        raise ValidationError("该计划不是由模板采用的。")
    tt = template.targets.filter(code=code).first()
    with transaction.atomic():
        target = plan.targets.filter(code=code).first()
        if tt is None:
            if target is not None and target.template_target_id is not None:
                target.delete()
            result = None
        else:
            target = target or Target(plan=plan, code=code)
            target.template_target = tt
            _copy_spec(tt, target)
            target.save()
            result = target
        snapshot = [s for s in plan.template_snapshot if s["code"] != code]
        if tt is not None:
            snapshot.append(tt.spec())
        plan.template_snapshot = snapshot
        current = {t.code: t.spec() for t in template.targets.all()}
        if {s["code"]: s for s in snapshot} == current:
            plan.template_version = template.version
        plan.save(update_fields=["template_snapshot", "template_version", "updated_at"])
        audit(actor, "plan.template_change", plan, {"code": code, "version": template.version}, org=plan.org)
    return result


def template_publish(*, actor: User, plan: Plan) -> PlanTemplate:
    """Publish a street's or district's own plan as a template for the communities below (or a new
    version of it: the targets are replaced, the version goes up, adopters see the changes)."""
    access.check(actor, plan.org, Perm.PUBLISH_TEMPLATES)
    if plan.org.kind not in (OrgKind.STREET, OrgKind.DISTRICT):
        raise ValidationError("只有街道/乡镇或区/县可以发布计划模板。")
    targets = list(plan.targets.all())
    if not targets:
        raise ValidationError("计划还没有指标，不能发布为模板。")
    with transaction.atomic():
        template, created = PlanTemplate.objects.select_for_update().get_or_create(
            org=plan.org,
            code=f"plan-{plan.pk}",
            defaults={"area": plan.area, "title": plan.title, "text": plan.text, "source_plan": plan},
        )
        if not created:
            PlanTemplate.objects.filter(pk=template.pk).update(
                version=F("version") + 1, title=plan.title, text=plan.text, is_published=True
            )
            template.refresh_from_db()
        keep = set()
        for t in targets:
            tt = TemplateTarget.objects.filter(template=template, code=t.code).first() or TemplateTarget(
                template=template, code=t.code
            )
            _copy_spec(t, tt)
            tt.save()
            keep.add(t.code)
        TemplateTarget.objects.filter(template=template).exclude(code__in=keep).delete()
        audit(actor, "template.publish", template, {"version": template.version, "plan": plan.pk}, org=plan.org)
    return template


# ---- targets -----------------------------------------------------------------------------------

TARGET_FIELDS = (*TargetSpec.SPEC_FIELDS, "baseline", "owner", "owner_name")


def target_save(
    *, actor: User, plan: Plan, target: Target | None = None, version: int | None = None, **fields
) -> Target:
    """Create a target on ``plan`` or change one of its targets (refused, ``StaleEdit``, if the target changed
    after ``version``, the one the form was opened on)."""
    _check_plan_write(actor, plan)
    if target is not None:
        expect(target, version)
    unknown = set(fields) - {*TARGET_FIELDS, "code"}
    if unknown:
        raise ValueError(f"unknown target fields: {sorted(unknown)}")
    creating = target is None
    if target is not None and target.plan_id != plan.pk:
        raise PermissionDenied("指标不属于该计划。")
    with transaction.atomic():
        target = target or Target(plan=plan)
        for k, v in fields.items():
            setattr(target, k, v)
        if not target.code:
            target.code = f"t{plan.targets.count() + 1}"
        if target.campaign:
            if campaigns.day(target.campaign) is None:
                raise ValidationError({"campaign": "没有这个宣传日。"})
            campaigns.fit(target, plan.year)
        target.full_clean(exclude=["plan", "template_target"])
        if Target.objects.filter(plan=plan, code=target.code).exclude(pk=target.pk).exists():
            raise ValidationError({"code": "同一计划内指标代码不能重复。"})
        target.save()
        audit(actor, "target.create" if creating else "target.update", target, {"plan": plan.pk}, org=plan.org)
    return target


def target_delete(*, actor: User, target: Target) -> None:
    _check_plan_write(actor, target.plan)
    with transaction.atomic():
        audit(actor, "target.delete", target, {"plan": target.plan_id, "code": target.code}, org=target.plan.org)
        target.delete()


def rate_entry_add(
    *, actor: User, target: Target, value: Decimal, measured_on: date, evidence: str, upload=None
) -> RateEntry:
    """Enter a rate's value with its evidence (until surveys compute it); every entry is audited."""
    _check_plan_write(actor, target.plan)
    if target.kind not in (TargetKind.RATE, TargetKind.CHANGE):
        raise ValidationError("只有比率/数值类指标可以录入数值。")
    if measured_on.year != target.plan.year:
        raise ValidationError({"measured_on": f"测定日期应在{target.plan.year}年内（不能跨年归类）。"})
    if not evidence.strip():
        raise ValidationError({"evidence": "请说明数值的依据（调查、名册等）。"})
    checked = _check_file(upload, "file") if upload is not None else None
    with transaction.atomic():
        entry = RateEntry(
            target=target, value=value, measured_on=measured_on, evidence=evidence.strip(), entered_by=actor
        )
        if checked is not None:
            entry.file_name = checked.name
            entry.file.save(checked.stored_name, checked.content, save=False)
        entry.full_clean()
        entry.save()
        audit(
            actor,
            "target.rate_entry",
            target,
            {"value": str(value), "measured_on": measured_on.isoformat(), "entry": entry.pk},
            org=target.plan.org,
        )
    return entry


# ---- tasks -------------------------------------------------------------------------------------


def task_create(
    *,
    actor: User,
    org: Org,
    title: str,
    due: date,
    plan: Plan | None = None,
    target: Target | None = None,
    description: str = "",
    lead_org: Org | None = None,
    partner_orgs: list[Org] | None = None,
    partners_text: str = "",
    leader_name: str = "",
    owner=None,
    owner_name: str = "",
    source_record=None,
) -> Task:
    """Create a task; ``source_record`` is the meeting whose resolution created it."""
    access.check(actor, org, Perm.MANAGE_TASKS)
    ensure_year_open(org, due.year)
    if plan is not None and (plan.org_id != org.pk or plan.year != due.year):
        raise ValidationError({"plan": "任务的完成时限应在计划年度内，且属于同一单位。"})
    if target is not None and (plan is None or target.plan_id != plan.pk):
        raise ValidationError({"target": "关联指标应属于所选计划。"})
    if (
        source_record is not None
        and not org.path.startswith(source_record.org.path)
        and not (source_record.org.path.startswith(org.path))
    ):
        raise ValidationError({"source_record": "来源会议记录不属于本单位。"})
    root = org.path.split("/", 1)[0]
    for o in [lead_org, *(partner_orgs or [])]:
        if o is not None and o.path.split("/", 1)[0] != root:
            raise ValidationError({"lead_org": f"“{o.name}”不在本区。"})
    with transaction.atomic():
        task = Task(
            org=org,
            year=due.year,
            plan=plan,
            target=target,
            title=title.strip(),
            description=description,
            lead_org=lead_org or org,
            partners_text=partners_text,
            leader_name=leader_name,
            owner=owner,
            owner_name=owner_name,
            due=due,
            source_record=source_record,
            created_by=actor,
        )
        task.full_clean()
        task.save()
        if partner_orgs:
            task.partner_orgs.set(partner_orgs)
        audit(actor, "task.create", task, {"due": due.isoformat(), "source_record": getattr(source_record, "pk", None)})
    return task


def _check_task_progress(actor: User, task: Task) -> None:
    """The responsible person, or anyone who may edit plans (or manage tasks) at the task's org."""
    if not (
        (task.owner_id and task.owner_id == getattr(actor, "pk", None))
        or access.can(actor, task.org, Perm.MANAGE_TASKS)
        or access.can(actor, task.org, Perm.EDIT_PLANS, area=task.plan.area if task.plan is not None else None)
    ):
        raise PermissionDenied(f"您没有在“{task.org.name}”推进该任务的权限。")
    ensure_year_open(task.org, task.year)


def task_update(*, actor: User, task: Task, version: int | None = None, **fields) -> Task:
    """Change a task; refused (``StaleEdit``) if it changed after ``version``, the one the form was opened on."""
    access.check(actor, task.org, Perm.MANAGE_TASKS)
    expect(task, version)
    ensure_year_open(task.org, task.year)
    allowed = {"title", "description", "lead_org", "partners_text", "leader_name", "owner", "owner_name", "due"}
    partner_orgs = fields.pop("partner_orgs", None)
    if set(fields) - allowed:
        raise ValueError(f"unknown task fields: {sorted(set(fields) - allowed)}")
    if "due" in fields and fields["due"].year != task.year:
        raise ValidationError({"due": f"完成时限应在{task.year}年内（不能跨年归类）。"})
    with transaction.atomic():
        for k, v in fields.items():
            setattr(task, k, v)
        task.full_clean()
        task.save()
        if partner_orgs is not None:
            task.partner_orgs.set(partner_orgs)
        audit(actor, "task.update", task, {"fields": sorted(fields)})
    return task


def task_set_status(*, actor: User, task: Task, status: str, completed_on: date | None = None, note: str = "") -> Task:
    _check_task_progress(actor, task)
    if status not in TaskStatus.values:
        raise ValidationError("未知的任务状态。")
    with transaction.atomic():
        old = task.status
        task.status = status
        if status == TaskStatus.DONE:
            task.completed_on = completed_on or date.today()
            if task.completed_on.year != task.year:
                task.completed_on = min(task.completed_on, date(task.year, 12, 31))
        else:
            task.completed_on = None
        task.save(update_fields=["status", "completed_on", "updated_at"])
        if note.strip():
            TaskNote.objects.create(task=task, author=actor, text=note.strip())
        audit(actor, "task.status", task, {"from": old, "to": status})
    return task


def task_add_note(*, actor: User, task: Task, text: str) -> TaskNote:
    _check_task_progress(actor, task)
    if not text.strip():
        raise ValidationError({"text": "请填写进展情况。"})
    with transaction.atomic():
        note = TaskNote.objects.create(task=task, author=actor, text=text.strip())
        if task.status == TaskStatus.TODO:
            task.status = TaskStatus.DOING
            task.save(update_fields=["status", "updated_at"])
        audit(actor, "task.note", task, {"note": note.pk})
    return note


def task_link_evidence(*, actor: User, task: Task, record, remove: bool = False) -> None:
    """Link (or unlink) a record as the task's evidence; the record must be the actor's to see."""
    _check_task_progress(actor, task)
    if not Record.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise PermissionDenied("无权查看该记录。")
    if record.year != task.year:
        raise ValidationError("佐证记录应与任务属于同一年度（不能跨年归类）。")
    with transaction.atomic():
        (task.evidence.remove if remove else task.evidence.add)(record)
        audit(actor, "task.evidence_remove" if remove else "task.evidence_add", task, {"record": record.pk})
