"""Writes of a person's needs and service plan: the 入户需求调查 (an assessment with each need's status, written also
as a record of the 康复需求入户调查 type and kept in step with the registry's disability needs), a need's status
afterwards, and the service plan of a year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.care import selectors
from shequ.care.catalogue import CATEGORY_AREAS, NEED_CARE_ITEM, NEED_NAMES, SURVEY_METHODS
from shequ.care.models import OPEN_NEEDS, Need, NeedsAssessment, NeedStatus, PlanItem, ServicePlan
from shequ.orgs.models import Area
from shequ.records import services as records
from shequ.records.models import ActivityType
from shequ.residents.models import DisabilityNeed, DisabilityProfile, Person

MAX_PLAN_ITEMS = 12


def _staff_check(actor: User, person: Person, category: str) -> Area:
    area = Area.objects.get(code=CATEGORY_AREAS[category])
    access.check(actor, person.org, Perm.RECORD_WORK, area=area)
    return area


def _sync_profile(person_id: int, needs: Sequence[Need]) -> None:
    """The registry's disability needs: the open needs it has a code for."""
    known = set(DisabilityNeed.values)
    codes = [n.code for n in needs if n.status in OPEN_NEEDS and n.code in known]
    DisabilityProfile.objects.filter(person_id=person_id).update(needs=codes)


def assessment_create(
    *,
    actor: User,
    person: Person,
    surveyed_on: Date,
    method: str,
    respondent: str,
    needs: Mapping[str, tuple[str, str]],
    notes: str = "",
    category: str = "disability",
) -> NeedsAssessment:
    """Record a needs survey at home: ``needs`` maps a need's code to its (status, note); needs not named are
    not needed."""
    today = timezone.localdate()
    subject = selectors.subject_get(actor, person.pk, category, today)
    area = _staff_check(actor, person, category)
    if surveyed_on > today:
        raise ValidationError({"surveyed_on": "调查日期不能晚于今天。"})
    if method not in SURVEY_METHODS:
        raise ValidationError({"method": "请选择调查方式。"})
    unknown = [c for c in needs if c not in NEED_NAMES]
    bad = [c for c, (s, _) in needs.items() if s not in NeedStatus.values]
    if unknown or bad:
        raise ValidationError({"needs": "需求或状态有误，请重新选择。"})
    survey_type = ActivityType.objects.filter(area=area, code="needs_survey", is_active=True).first()
    open_items = sorted({NEED_CARE_ITEM[c] for c, (s, _) in needs.items() if s in OPEN_NEEDS})
    with transaction.atomic():
        record = None
        if survey_type is not None:
            record = records.record_create(
                actor=actor, org=person.org, activity_type=survey_type, date=surveyed_on,
                title=f"入户需求调查：{subject.name}", organiser=actor.name or actor.username, participant_count=1,
                content=notes, persons=[person.pk],
                extra={"surveyed": 1, "with_needs": 1 if open_items else 0, "needs": open_items},
            )  # fmt: skip
        assessment = NeedsAssessment.objects.create(
            org=person.org, area=area, person=person, category=category, surveyed_on=surveyed_on, method=method,
            respondent=respondent.strip(), notes=notes.strip(), record=record, surveyor=actor,
        )  # fmt: skip
        rows = Need.objects.bulk_create(
            [Need(assessment=assessment, code=c, status=s, note=(n or "").strip()[:200]) for c, (s, n) in needs.items()]
        )
        if category == "disability":
            _sync_profile(person.pk, rows)
        audit(
            actor, "care.assessment", assessment, {"person": person.pk, "needs": {c: s for c, (s, _) in needs.items()}}
        )
    return assessment


def need_update(*, actor: User, need: Need, status: str, note: str | None = None) -> Need:
    """Move a need of the person's latest assessment along (有需求 → 正在服务 → 已满足, or 本人拒绝)."""
    assessment = need.assessment
    _staff_check(actor, assessment.person, assessment.category)
    if status not in NeedStatus.values:
        raise ValidationError({"status": "请选择状态。"})
    latest = NeedsAssessment.objects.filter(person=assessment.person, category=assessment.category).first()
    if latest is None or latest.pk != assessment.pk:
        raise ValidationError({"status": "只能更新最近一次调查的需求状态。"})
    before = need.status
    with transaction.atomic():
        need.status = status
        if note is not None:
            need.note = note.strip()[:200]
        need.save(update_fields=["status", "note", "updated_at"])
        if assessment.category == "disability":
            _sync_profile(assessment.person_id, list(assessment.needs.all()))
        audit(actor, "care.need", need, {"person": assessment.person_id, "from": before, "to": status})
    return need


def plan_save(
    *,
    actor: User,
    person: Person,
    year: int,
    category: str,
    goal: str,
    items: Sequence[tuple[str, str, str]],
) -> ServicePlan:
    """Write the person's service plan of a year: the goal and its items (service, provider, frequency)."""
    selectors.subject_get(actor, person.pk, category, timezone.localdate())
    area = _staff_check(actor, person, category)
    items = [(s.strip(), p.strip(), f.strip()) for s, p, f in items if s.strip()]
    if not items:
        raise ValidationError({"items": "请至少填写一项服务。"})
    if len(items) > MAX_PLAN_ITEMS:
        raise ValidationError({"items": f"服务项目最多{MAX_PLAN_ITEMS}项。"})
    if any(not p or not f for _, p, f in items):
        raise ValidationError({"items": "每项服务请写明服务提供者和频次。"})
    with transaction.atomic():
        plan, created = ServicePlan.objects.select_for_update().get_or_create(
            person=person, year=year, category=category,
            defaults={"org": person.org, "area": area, "goal": goal.strip(), "created_by": actor},
        )  # fmt: skip
        if not created:
            plan.goal = goal.strip()
            plan.save(update_fields=["goal", "updated_at"])
            plan.items.all().delete()
        PlanItem.objects.bulk_create(
            [PlanItem(plan=plan, service=s, provider=p, frequency=f, sort=n) for n, (s, p, f) in enumerate(items)]
        )
        audit(actor, "care.plan", plan, {"person": person.pk, "year": year, "items": len(items)})
    return plan
