"""Registering a case (登记): by staff on the worker side, or by a resident or supervisor on the portal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm, Role
from shequ.audit.services import audit
from shequ.cases.catalogue import MONITOR_ROUTES
from shequ.cases.choices import EARLY_CHILD_MAX_AGE, CaseKind, Channel
from shequ.cases.models import AccidentDetail, Case, CaseParty, CaseType, DisputeDetail, HazardDetail, ReferralDetail
from shequ.cases.services.common import check_files, history, save_files
from shequ.orgs.models import Area, Org, OrgKind
from shequ.records.years import ensure_year_open

DETAIL_MODELS: dict[str, Any] = {  # a case kind's detail model
    CaseKind.DISPUTE: DisputeDetail,
    CaseKind.HAZARD: HazardDetail,
    CaseKind.REFERRAL: ReferralDetail,
    CaseKind.ACCIDENT: AccidentDetail,
}
MAX_PARTIES = 20


def _area_for(case_type: CaseType, area: Area | None) -> Area:
    allowed = list(case_type.areas.order_by("sort", "id"))
    if not allowed:
        raise ValidationError(f"事项类型“{case_type.name}”没有所属条线。")
    if area is None:
        return allowed[0]
    if area.pk not in {a.pk for a in allowed}:
        raise ValidationError({"area": f"“{case_type.name}”不属于“{area.name}”条线。"})
    return area


def check_person(actor: User, person, field: str):
    """A registry person the actor may see (parties, reporters, referred persons), else a field error."""
    if person is None:
        return None
    from shequ.residents.visibility import can_person

    if not can_person(actor, person, Perm.VIEW):
        raise ValidationError({field: "所选居民不在您的管辖范围内。"})
    return person


def _check_child(person, found_on: date) -> None:
    """残疾儿童早期报告: the child is a registry person aged 0–6 on the day found."""
    if person is None:
        raise ValidationError({"person": "请从居民档案中选择儿童（需有出生日期）。"})
    born = person.birth_date
    if born is None:
        raise ValidationError({"person": f"{person.name}的档案没有出生日期，无法核对年龄，请先补全档案。"})
    if born > found_on:
        raise ValidationError({"person": f"{person.name}的出生日期晚于发现日期，请核对。"})
    age = found_on.year - born.year - ((found_on.month, found_on.day) < (born.month, born.day))
    if age > EARLY_CHILD_MAX_AGE:
        raise ValidationError({"person": f"早期报告限0–{EARLY_CHILD_MAX_AGE}岁儿童，{person.name}发现时{age}岁。"})


def _clean_parties(parties, actor: User) -> list[dict]:
    rows = []
    for p in parties or []:
        person = p.get("person")
        if person is not None:
            check_person(actor, person, "parties")
        name = (p.get("name") or "").strip() or (person.name if person is not None else "")
        if not name:
            continue
        rows.append(
            {
                "person": person,
                "name": name[:100],
                "role": p.get("role") or "party",
                "phone": ((p.get("phone") or "").strip() or (person.phone if person is not None else ""))[:30],
                "address": (p.get("address") or "").strip()[:200],
            }
        )
    if len(rows) > MAX_PARTIES:
        raise ValidationError(f"当事人最多{MAX_PARTIES}人。")
    return rows


def _create(
    *,
    actor: User,
    case_type: CaseType,
    org: Org,
    area: Area | None,
    title: str,
    description: str,
    registered_on: date | None,
    place: str,
    category: str,
    reporter_name: str,
    reporter_phone: str,
    detail: dict | None,
    parties,
    files,
    channel: str,
    reporter=None,
    reporter_person=None,
    allow_public: bool = False,
    import_key: str = "",
    images_only: bool = False,
) -> Case:
    if not case_type.is_active:
        raise ValidationError({"case_type": f"事项类型“{case_type.name}”已停用。"})
    if not org.is_active:
        raise ValidationError({"org": f"“{org.name}”已撤销，不能登记事项。"})
    if org.kind == OrgKind.DISTRICT and channel != Channel.STAFF:
        raise ValidationError({"org": "请选择所在社区。"})
    area = _area_for(case_type, area)
    today = timezone.localdate()
    registered_on = registered_on or today
    if registered_on > today:
        raise ValidationError({"registered_on": "登记日期不能晚于今天。"})
    ensure_year_open(org, registered_on.year)
    kind = case_type.kind
    rows = _clean_parties(parties, actor)
    if reporter_person is not None:
        check_person(actor, reporter_person, "reporter_person")
        reporter_name = reporter_name or reporter_person.name
        reporter_phone = reporter_phone or reporter_person.phone
    detail = dict(detail or {})
    if detail.get("person") is not None:
        check_person(actor, detail["person"], "person")
        detail["person_name"] = detail.get("person_name") or detail["person"].name
    if case_type.code == "early_child":
        _check_child(detail.get("person"), registered_on)
    if kind == CaseKind.DISPUTE and not rows:
        raise ValidationError({"parties": "矛盾纠纷至少要有一名当事人。"})
    checked = check_files(files, images_only=images_only)
    now = timezone.now()
    case = Case(
        case_type=case_type,
        area=area,
        org=org,
        origin_org=org,
        title=(title or "").strip(),
        description=(description or "").strip(),
        place=(place or "").strip(),
        category=category or "",
        channel=channel,
        registered_on=registered_on,
        registered_at=now,
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
        reporter=reporter,
        reporter_person=reporter_person,
        reporter_name=(reporter_name or "").strip(),
        allow_public=allow_public and case_type.on_board,
        import_key=import_key,
    )
    case.reporter_phone = (reporter_phone or "").strip()  # kept encrypted (EncryptedPhone)
    case.year = registered_on.year
    if case_type.categories and not case.category:
        raise ValidationError({"category": "请选择类别。"})
    case.full_clean(exclude=["registered_by", "reporter", "reporter_person", "owner", "leader", "escalated_from"])
    detail_obj = None
    model = DETAIL_MODELS.get(kind)
    if model is not None:
        detail_obj = model(**detail)
    with transaction.atomic():
        case.save()
        if detail_obj is not None:
            detail_obj.case = case
            detail_obj.full_clean()
            detail_obj.save()
        CaseParty.objects.bulk_create([CaseParty(case=case, sort=i, **row) for i, row in enumerate(rows)])
        save_files(case, checked, actor)
        history(case, actor, "register", "", detail={"channel": channel})
        audit(actor, "case.register", case, {"type": case_type.code, "org": org.pk, "channel": channel}, org=org)
    return case


def case_register(
    *,
    actor: User,
    case_type: CaseType,
    org: Org,
    title: str,
    description: str,
    area: Area | None = None,
    registered_on: date | None = None,
    place: str = "",
    category: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_person=None,
    detail: dict | None = None,
    parties=(),
    files=(),
    import_key: str = "",
) -> Case:
    """Staff register a case of any type at ``org`` (a dispute found in 排查, a hazard, a referral …)."""
    access.check(actor, org, Perm.REPORT_CASE, _area_for(case_type, area))
    if not access.is_staff_user(actor):
        raise PermissionDenied("居民请通过居民端提交意见或上报问题。")
    return _create(
        actor=actor,
        case_type=case_type,
        org=org,
        area=area,
        title=title,
        description=description,
        registered_on=registered_on,
        place=place,
        category=category,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        reporter_person=reporter_person,
        detail=detail,
        parties=parties,
        files=files,
        channel=Channel.STAFF,
        import_key=import_key,
    )


def is_monitor_at(user, org: Org) -> bool:
    return any(g.role == Role.MONITOR and g.covers(org) for g in access.grants(user))


def case_report(
    *,
    actor: User,
    case_type: CaseType,
    org: Org,
    title: str,
    description: str,
    category: str = "",
    place: str = "",
    photos=(),
    allow_public: bool = True,
    import_key: str = "",
) -> Case:
    """A resident posts an opinion, or a supervisor (监督员) a report, with photos from the portal.

    A supervisor's report of a security or safety hazard (``catalogue.MONITOR_ROUTES``) is registered as a
    hazard of the line of work that handles it, so its staff see it at once; the supervisor stays its reporter."""
    if not case_type.resident_can_report:
        raise ValidationError({"case_type": f"“{case_type.name}”不能在居民端提交。"})
    access.check(actor, org, Perm.REPORT_CASE)
    if case_type.kind == CaseKind.MONITOR and not is_monitor_at(actor, org):
        raise PermissionDenied("只有本社区聘请的监督员可以上报监督问题。")
    channel = Channel.MONITOR if case_type.kind == CaseKind.MONITOR else Channel.PORTAL
    area, detail = None, None
    route = MONITOR_ROUTES.get(category) if case_type.kind == CaseKind.MONITOR else None
    if route is not None:
        # A security or safety hazard goes straight to the line of work that handles hazards.
        type_code, area_code, category = route
        case_type = CaseType.objects.get(code=type_code)
        area = Area.objects.get(code=area_code)
        detail = {"found_by": f"{actor.display_name}(监督员)"}
    return _create(
        actor=actor,
        case_type=case_type,
        org=org,
        area=area,
        title=title,
        description=description,
        registered_on=None,
        place=place,
        category=category,
        reporter_name=actor.display_name,
        reporter_phone=actor.phone or "",
        detail=detail,
        parties=(),
        files=photos,
        channel=channel,
        reporter=actor,
        allow_public=allow_public,
        import_key=import_key,
        images_only=True,
    )


__all__ = ["DETAIL_MODELS", "case_register", "case_report", "is_monitor_at"]
