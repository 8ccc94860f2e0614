"""Moving a case along the workflow map: one entry point, one handler per action.

:func:`case_move` locks the case, asks :mod:`shequ.cases.workflow` whether the move is allowed from
the current state and whether the actor may make it, runs the action's handler (which checks and
applies the action's own data), and writes the history row and the audit row, in one transaction.
A refused move raises :class:`~shequ.cases.workflow.TransitionError` (a ValidationError with a
Chinese message) and is audited as a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shequ.accounts.models import User
from shequ.audit.services import audit
from shequ.cases import selectors, workflow
from shequ.cases.choices import SUPERVISION_RANK, CaseKind, EntryKind, MediationOutcome, Supervision
from shequ.cases.models import Case, CaseEntry, CaseExtension, ExtensionState
from shequ.cases.services.common import history, limits_for
from shequ.cases.workflow import TransitionError
from shequ.core.versioning import expect
from shequ.records.years import ensure_year_open


def _required(value, field: str, message: str):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: message})
    return value.strip() if isinstance(value, str) else value


def _check_owner(case: Case, owner, leader) -> None:
    if owner is None:
        raise ValidationError({"owner": "请选择承办人。"})
    if not selectors.assignable_users(case).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": f"{owner.display_name}不能在“{case.org.name}”办理{case.area.name}事项。"})
    if leader is not None and not selectors.case_leaders(case).filter(pk=leader.pk).exists():
        raise ValidationError({"leader": f"{leader.display_name}不是“{case.org.name}”或其上级的领导。"})


def _check_deadline(deadline: date | None, field: str = "deadline") -> None:
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({field: "期限不能早于今天。"})


def _accept(case, actor: User, *, note, owner=None, leader=None, deadline=None, **_):
    _check_owner(case, owner, leader)
    _check_deadline(deadline)
    limits = limits_for(case.case_type, case.org)
    case.owner, case.leader = owner, leader
    case.deadline = deadline or timezone.localdate() + timedelta(days=limits.handle_days)
    if case.accepted_at is None:
        case.accepted_at = timezone.now()
    if case.case_type.kind == CaseKind.HAZARD and not case.hazard.rectify_deadline:
        case.hazard.rectify_deadline = case.deadline
        case.hazard.save(update_fields=["rectify_deadline"])
    return {"owner": owner.pk, "leader": leader.pk if leader else None, "deadline": case.deadline.isoformat()}


def _reassign(case, actor: User, *, note, owner=None, leader=None, **_):
    _check_owner(case, owner, leader)
    before = case.owner_id
    case.owner, case.leader = owner, leader
    return {"from_owner": before, "owner": owner.pk, "leader": leader.pk if leader else None}


def _reject(case, actor: User, *, note, **_):
    case.result = _required(note, "note", "请写明退回（不予受理）的理由。")
    return {}


def _send_back(case, actor: User, *, note, **_):
    _required(note, "note", "请写明退回下级的理由。")
    back_to = case.escalated_from
    case.org, case.escalated_from, case.escalated_at = back_to, None, None
    case.owner = None
    return {"to_org": back_to.pk}


def _escalate(case, actor: User, *, note, **_):
    _required(note, "note", "请写明上报的理由。")
    parent = case.org.parent
    case.escalated_from, case.org, case.escalated_at = case.org, parent, timezone.now()
    case.owner, case.deadline = None, None
    return {"to_org": parent.pk, "from_org": case.escalated_from_id}


def _transfer(case, actor: User, *, note, to_type=None, to_area=None, category="", **_):
    """转办: file the case under another type and/or line of work at the same org. The reporter, parties,
    files and history stay; it waits to be accepted by the staff of its new line of work."""
    from shequ.cases.services.register import DETAIL_MODELS

    _required(note, "note", "请写明转办的理由。")
    if to_type is None or not to_type.is_active:
        raise ValidationError({"to_type": "请选择转办到的事项类型。"})
    allowed = list(to_type.areas.order_by("sort", "id"))
    to_area = to_area or (allowed[0] if allowed else None)
    if to_area is None or to_area.pk not in {a.pk for a in allowed}:
        raise ValidationError({"to_type": f"“{to_type.name}”不属于所选条线。"})
    if to_type.pk == case.case_type_id and to_area.pk == case.area_id:
        raise ValidationError({"to_type": "请选择不同的事项类型或条线。"})
    cats = to_type.categories
    category = category or (case.category if case.category in cats else "")
    if cats and category not in cats:
        raise ValidationError({"category": f"请选择{to_type.name}的类别。"})
    before = {
        "from_type": case.case_type.code,
        "from_area": case.area.code,
        "from_category": case.category,
        "from": f"{case.case_type.name} · {case.area.name}",
    }
    model = DETAIL_MODELS.get(to_type.kind)
    if model is not None and not model.objects.filter(case=case).exists():
        defaults = {
            CaseKind.HAZARD: {"found_by": case.reporter_name[:50]},
            CaseKind.ACCIDENT: {"occurred_at": case.registered_at},
            CaseKind.REFERRAL: {"person_name": case.reporter_name},
        }.get(to_type.kind, {})
        if to_type.kind == CaseKind.REFERRAL and not case.reporter_name:
            raise ValidationError({"to_type": "转为转诊转介须先在登记信息中填写反映人（转介对象）。"})
        model.objects.create(case=case, **defaults)
    case.case_type, case.area, case.category = to_type, to_area, category if cats else ""
    case.owner, case.deadline, case.accepted_at = None, None, None
    case.supervision, case.supervised_at = Supervision.NONE, None
    return {
        **before,
        "to_type": to_type.code,
        "to_area": to_area.code,
        "category": case.category,
        "to": f"{to_type.name} · {to_area.name}",
    }


def _resolve(case, actor: User, *, note, result="", public_reply="", outcome=None, agreement_no="", agreement_text="",
             failed_to="", rectified_on=None, rectification_measures="", **_):  # fmt: skip
    case.result = _required(result or note, "result", "请填写办理结果。")
    kind = case.case_type.kind
    if kind == CaseKind.DISPUTE:
        d = case.dispute
        if outcome not in {MediationOutcome.SUCCESS, MediationOutcome.FAILED}:
            raise ValidationError({"outcome": "请选择调解结果（调解成功或调解不成）。"})
        d.outcome, d.agreement_no = outcome, (agreement_no or "").strip()
        d.agreement_text, d.failed_to = (agreement_text or "").strip(), (failed_to or "").strip()
        d.full_clean()
        d.save()
    elif kind == CaseKind.HAZARD:
        h = case.hazard
        h.rectified_on = rectified_on or timezone.localdate()
        if h.rectified_on > timezone.localdate():
            raise ValidationError({"rectified_on": "整改完成日期不能晚于今天。"})
        if rectification_measures:
            h.rectification_measures = rectification_measures.strip()
        if not h.rectification_measures:
            raise ValidationError({"rectification_measures": "请填写整改措施。"})
        h.save()
    if public_reply and public_reply.strip():
        if not case.case_type.on_board and not case.reporter_id:
            raise ValidationError({"public_reply": "此类事项没有公开答复。"})
        _set_reply(case, actor, public_reply.strip())
    case.resolved_at = timezone.now()
    return {"outcome": outcome} if kind == CaseKind.DISPUTE else {}


def _set_reply(case, actor: User, text: str) -> None:
    now = timezone.now()
    case.public_reply, case.public_reply_at = text, now
    CaseEntry.objects.create(
        case=case,
        kind=EntryKind.REPLY,
        happened_at=now,
        text=text,
        visible_to_reporter=True,
        actor=actor,
        actor_name=actor.display_name,
    )


def _evaluate(case, actor: User, *, note, rating=None, comment="", checker="", check_conclusion="", **_):
    by_reporter = workflow.is_reporter(actor, case)
    if rating is not None and not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": "满意度应为1到5星。"})
    if by_reporter and rating is None:
        raise ValidationError({"rating": "请选择满意度（1到5星）。"})
    now = timezone.now()
    if case.case_type.kind == CaseKind.HAZARD and not by_reporter:
        h = case.hazard
        h.checker = _required(checker, "checker", "请填写验收人。")
        h.check_conclusion = _required(check_conclusion, "check_conclusion", "请填写验收结论。")
        h.signed_off_at = now
        h.save(update_fields=["checker", "check_conclusion", "signed_off_at"])
    if rating is not None:
        case.rating, case.rated_at = int(rating), now
        case.rating_comment = (comment or "").strip()[:500]
    if not by_reporter:
        text = note or comment or (f"验收结论：{check_conclusion}" if check_conclusion else "已回访。")
        CaseEntry.objects.create(
            case=case,
            kind=EntryKind.RETURN_VISIT,
            happened_at=now,
            text=text,
            actor=actor,
            actor_name=actor.display_name,
        )
    return {"rating": case.rating, "by_reporter": by_reporter}


def _reopen(case, actor: User, *, note, **_):
    _required(note, "note", "请写明重新办理的原因。")
    limits = limits_for(case.case_type, case.org)
    case.reopen_count += 1
    case.resolved_at = None
    case.rating, case.rated_at, case.rating_comment = None, None, ""
    case.deadline = timezone.localdate() + timedelta(days=limits.handle_days)
    case.supervision = Supervision.NONE
    if case.case_type.kind == CaseKind.HAZARD:
        h = case.hazard
        h.signed_off_at, h.rectified_on = None, None
        h.save(update_fields=["signed_off_at", "rectified_on"])
    return {"by_reporter": workflow.is_reporter(actor, case), "deadline": case.deadline.isoformat()}


def _archive(case, actor: User, *, note, **_):
    case.archived_at = timezone.now()
    return {}


def _request_extension(case, actor: User, *, note, new_deadline=None, **_):
    reason = _required(note, "note", "请写明延期理由。")
    if new_deadline is None:
        raise ValidationError({"new_deadline": "请填写申请延至的日期。"})
    if new_deadline <= max(case.deadline or timezone.localdate(), timezone.localdate()):
        raise ValidationError({"new_deadline": "申请延至的日期应晚于现有期限和今天。"})
    ext = CaseExtension.objects.create(
        case=case,
        requested_by=actor,
        requested_at=timezone.now(),
        old_deadline=case.deadline,
        new_deadline=new_deadline,
        reason=reason[:500],
    )
    return {"extension": ext.pk, "new_deadline": new_deadline.isoformat()}


def _decide_extension(case, actor: User, note, approved: bool):
    ext = case.pending_extension
    ext.state = ExtensionState.APPROVED if approved else ExtensionState.REJECTED
    ext.decided_by, ext.decided_at, ext.decision_note = actor, timezone.now(), (note or "")[:500]
    ext.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approved:
        case.deadline = ext.new_deadline
        case.supervision = Supervision.NONE
    return {"extension": ext.pk, "deadline": case.deadline.isoformat() if case.deadline else None}


def _approve_extension(case, actor: User, *, note, **_):
    return _decide_extension(case, actor, note, True)


def _reject_extension(case, actor: User, *, note, **_):
    return _decide_extension(case, actor, note, False)


def _supervise(case, actor: User, *, note, level=None, **_):
    if level not in {Supervision.NORMAL, Supervision.YELLOW, Supervision.RED}:
        raise ValidationError({"level": "请选择督办级别。"})
    if SUPERVISION_RANK[Supervision(level)] <= SUPERVISION_RANK[Supervision(case.supervision)]:
        raise ValidationError({"level": f"事项已在{Supervision(case.supervision).label}，只能升级督办。"})
    case.supervision, case.supervised_at = level, timezone.now()
    return {"level": level}


def _refer(case, actor: User, *, note, institution="", referred_on=None, **_):
    r = case.referral
    r.institution = _required(institution, "institution", "请填写转介机构。")
    r.referred_on = referred_on or timezone.localdate()
    r.refused_reason = ""
    r.save(update_fields=["institution", "referred_on", "refused_reason"])
    return {"institution": r.institution}


def _receive(case, actor: User, *, note, received_on=None, **_):
    r = case.referral
    r.received_on = received_on or timezone.localdate()
    r.save(update_fields=["received_on"])
    return {}


def _refuse(case, actor: User, *, note, **_):
    r = case.referral
    r.refused_reason = _required(note, "note", "请填写对方拒绝的原因。")[:200]
    r.save(update_fields=["refused_reason"])
    return {}


def _complete(case, actor: User, *, note, completed_on=None, feedback="", **_):
    r = case.referral
    r.completed_on = completed_on or timezone.localdate()
    r.feedback = (feedback or note or "").strip()
    r.save(update_fields=["completed_on", "feedback"])
    return {}


HANDLERS: dict[str, Callable[..., dict | None]] = {
    "accept": _accept,
    "reassign": _reassign,
    "reject": _reject,
    "send_back": _send_back,
    "escalate": _escalate,
    "transfer": _transfer,
    "resolve": _resolve,
    "evaluate": _evaluate,
    "reopen": _reopen,
    "archive": _archive,
    "request_extension": _request_extension,
    "approve_extension": _approve_extension,
    "reject_extension": _reject_extension,
    "supervise": _supervise,
    "refer": _refer,
    "receive": _receive,
    "refuse": _refuse,
    "complete": _complete,
}
assert set(HANDLERS) == set(workflow.ACTION_LABELS), "every action of the map needs a handler"


def _lock(pk: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("case_type", "area", "org", "origin_org", "escalated_from", "org__parent")
        .prefetch_related("extensions")
        .get(pk=pk)
    )


def case_move(*, actor: User, case: Case, action: str, note: str = "", version: int | None = None, **data) -> Case:
    """Make ``action`` on ``case`` if the map allows it from the current state and the actor may; refused
    (``StaleEdit``) if the case changed after ``version``, the one the form (or API caller) read."""
    try:
        with transaction.atomic():
            case = _lock(case.pk)
            expect(case, version)
            move = workflow.move_for(case, action)
            workflow.check_may(actor, case, move)
            ensure_year_open(case.origin_org, case.year)
            before = case.state
            detail = HANDLERS[action](case, actor, note=(note or "").strip(), **data) or {}
            if move.to is not None:
                case.state = move.to
                days = (case.case_type.step_days or {}).get(move.to)
                if days and move.to != before:
                    # A step with its own time limit (转介 → 接收 → 康复): due so many days after it began.
                    case.deadline = timezone.localdate() + timedelta(days=days)
                    detail["deadline"] = case.deadline.isoformat()
            case.save()
            history(case, actor, action, before, note=(note or "").strip(), detail=detail)
            audit(actor, f"case.{action}", case, {"from": before, "to": case.state, **detail})
    except TransitionError as exc:
        audit(actor, f"case.{action}", case, {"refused": exc.messages[0], "state": exc.state}, success=False)
        raise
    case.__dict__.pop("pending_extension", None)
    getattr(case, "_prefetched_objects_cache", {}).pop("extensions", None)
    return case
