"""Every write of care: helper pairs, visits (written as Records through the records service) and the schedules an
administrator keeps. Each checks the actor, changes the rows in one transaction and writes its audit row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import STAFF_ROLES, Perm, Role
from shequ.audit.services import audit
from shequ.care import selectors, tally
from shequ.care.catalogue import CATEGORY_AREAS, SPECIAL_GROUP_LABELS
from shequ.care.models import HelperKind, HelperPair, VisitSchedule
from shequ.orgs.models import Area, Org
from shequ.records import services as records
from shequ.records.models import ActivityType, Record
from shequ.residents.models import Person

MAX_VISIT_TEXT = 2000


def _area(code: str) -> Area:
    return Area.objects.get(code=code)


def helper_kind(helper: User, org: Org) -> str | None:
    """What the helper is where the person lives: staff, a volunteer, or nobody there (None)."""
    roles = {g.role for g in access.grants(helper) if org.path.startswith(g.path) or g.path.startswith(org.path)}
    if roles & STAFF_ROLES:
        return HelperKind.STAFF
    if Role.VOLUNTEER in roles:
        return HelperKind.VOLUNTEER
    return None


def pair_create(
    *, actor: User, person: Person, category: str, helper: User, started_on: Date, note: str = ""
) -> HelperPair:
    """Pair a helper with a person under care in a group; a person has one helper per group at a time."""
    today = timezone.localdate()
    subject = selectors.subject_get(actor, person.pk, category, today)
    area = _area(CATEGORY_AREAS[category])
    access.check(actor, person.org, Perm.RECORD_WORK, area=area)
    kind = helper_kind(helper, person.org)
    if kind is None or not helper.is_active:
        raise ValidationError({"helper": f"{helper.name or helper.username}不是{person.org.name}的工作人员或志愿者。"})
    if started_on > today:
        raise ValidationError({"started_on": "结对日期不能晚于今天。"})
    with transaction.atomic():
        open_pairs = HelperPair.objects.select_for_update().filter(person=person, category=category, ended_on=None)
        current = open_pairs.first()
        if current is not None:
            held = current.helper.name or current.helper.username
            raise ValidationError({"helper": f"{subject.name}已有帮扶人{held}，请先解除原对子。"})
        pair = HelperPair(
            org=person.org,
            area=area,
            person=person,
            category=category,
            helper=helper,
            helper_kind=kind,
            started_on=started_on,
            note=note.strip(),
            created_by=actor,
        )
        pair.full_clean(exclude=["created_by"])
        pair.save()
        audit(actor, "care.pair_create", pair, {"person": person.pk, "helper": helper.pk, "category": category})
    return pair


def pair_end(*, actor: User, pair: HelperPair, ended_on: Date, reason: str = "") -> HelperPair:
    access.check(actor, pair.org, Perm.RECORD_WORK, area=pair.area_id)
    if pair.ended_on is not None:
        raise ValidationError({"ended_on": "该帮扶对子已解除。"})
    if ended_on < pair.started_on or ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "解除日期应在结对日期与今天之间。"})
    with transaction.atomic():
        HelperPair.objects.filter(pk=pair.pk, ended_on=None).update(
            ended_on=ended_on, end_reason=reason.strip(), updated_at=timezone.now()
        )
        pair.ended_on, pair.end_reason = ended_on, reason.strip()
        audit(actor, "care.pair_end", pair, {"ended_on": ended_on.isoformat()})
    return pair


def _where_and_right(actor: User, subject: selectors.Subject, area_id: int) -> tuple[Org, str]:
    """The org the visit is filed in and the right it is written with: the person's community when the actor
    records work or logs care there, else the person's grid (a grid worker paired as a helper)."""
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=[subject.org_id, subject.grid_id or 0])}
    for org_id in (subject.org_id, subject.grid_id):
        org = orgs.get(org_id or 0)
        if org is None:
            continue
        for perm in (Perm.RECORD_WORK, Perm.LOG_CARE):
            if access.can(actor, org, perm, area_id):
                return org, perm
    raise PermissionDenied(f"您没有在“{subject.org_name}”登记帮扶服务的权限。")


def visit_create(
    *,
    actor: User,
    subject: selectors.Subject,
    activity_type: ActivityType,
    date: Date,
    content: str,
    care_items: Sequence[str] = (),
    care_way: str = "上门服务",
    confirmation: str = "",
    confirmer: str = "",
    photos: Sequence = (),
) -> Record:
    """A visit to a person under care, written as a Record about them (its sign-in names the person) through the
    records service: by their helper, or by staff of the line of work where they live."""
    if not selectors.may_log_visit(actor, subject):
        raise PermissionDenied("您不是该对象的帮扶人，也没有登记此条线帮扶服务的权限。")
    allowed = selectors.visit_types().get(subject.category, [])
    if activity_type.pk not in {t.pk for t in allowed}:
        raise ValidationError({"activity_type": "请选择走访、帮扶或康复服务的类型。"})
    if date < subject.care_start.replace(year=subject.care_start.year - 1):
        raise ValidationError({"date": "走访日期早于帮扶开始日期一年以上，请核对。"})
    content = content.strip()
    if not content:
        raise ValidationError({"content": "请填写服务内容。"})
    if len(content) > MAX_VISIT_TEXT:
        raise ValidationError({"content": f"服务内容请控制在{MAX_VISIT_TEXT}字以内。"})
    org, perm = _where_and_right(actor, subject, activity_type.area_id)
    values = {
        "served": subject.name,
        "care_items": list(care_items),
        "care_way": care_way,
        "group": SPECIAL_GROUP_LABELS.get(subject.category, ""),
        "confirmation": confirmation,
        "confirmer": confirmer.strip(),
    }
    names = {f["name"] for f in activity_type.extra_fields}
    extra = {k: v for k, v in values.items() if k in names and v not in ("", [], None)}
    record = records.record_create(
        actor=actor,
        org=org,
        activity_type=activity_type,
        date=date,
        title=f"{activity_type.name}：{subject.name}",
        organiser=actor.name or actor.username,
        participant_count=1,
        content=content,
        extra=extra,
        persons=[subject.person_id],
        photos=photos,
        perm=perm,
        candidates=Person.objects.filter(pk=subject.person_id),
    )
    tally.mark_visited(subject.person_id, subject.area_code, date)
    audit(actor, "care.visit", record, {"person": subject.person_id, "category": subject.category}, org=org)
    return record


def schedule_save(
    *, actor: User, schedule: VisitSchedule | None, category: str, level: str, every: int, unit: str,
    remind_days: int, note: str = "",
) -> VisitSchedule:  # fmt: skip
    """Add or change a schedule row: the district's rule, kept by an administrator."""
    if not access.can_anywhere(actor, Perm.MANAGE_AREAS):
        raise PermissionDenied("只有系统管理员可以修改走访周期。")
    row = schedule or VisitSchedule()
    before = None if schedule is None else schedule.rule
    row.category, row.level, row.every, row.unit = category, level.strip(), every, unit
    row.remind_days, row.note = remind_days, note.strip()
    row.full_clean()
    with transaction.atomic():
        row.save()
        audit(actor, "care.schedule", row, {"before": before, "after": row.rule, "level": row.level})
    return row
