"""Writes that do not move a case: handling entries, the public reply, the board, detail edits, time limits."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.cases import workflow
from shequ.cases.choices import CaseState, EntryKind
from shequ.cases.models import Case, CaseEntry, CaseParty, CaseTimeLimit, CaseType
from shequ.cases.services.common import check_files, history, save_files
from shequ.cases.services.moves import _set_reply
from shequ.cases.services.register import DETAIL_MODELS, _clean_parties
from shequ.core.masking import mask_public
from shequ.core.versioning import expect
from shequ.orgs.models import Org
from shequ.records.years import ensure_year_open


def _check_handle(actor: User, case: Case) -> None:
    access.check(actor, case.org, Perm.HANDLE_CASE, case.area_id)
    ensure_year_open(case.origin_org, case.year)


def entry_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    text: str,
    happened_at: datetime | None = None,
    files=(),
    visible_to_reporter: bool = False,
) -> CaseEntry:
    """Add a handling step (调解, 整改, 走访, 答复 …) with its files; only while the case is being handled."""
    _check_handle(actor, case)
    if case.state not in workflow.ENTRY_STATES:
        raise workflow.TransitionError(case, "entry", f"事项当前为“{CaseState(case.state).label}”,不能添加办理记录。")
    if kind not in EntryKind.values or kind in {EntryKind.RETURN_VISIT}:
        raise ValidationError({"kind": "请选择办理记录的类别。"})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写办理内容。"})
    now = timezone.now()
    happened_at = happened_at or now
    if happened_at > now:
        raise ValidationError({"happened_at": "办理时间不能晚于现在。"})
    if timezone.localdate(happened_at) < case.registered_on:
        raise ValidationError({"happened_at": "办理时间不能早于登记日期。"})
    checked = check_files(files)
    with transaction.atomic():
        entry = CaseEntry.objects.create(
            case=case,
            kind=kind,
            happened_at=happened_at,
            text=text,
            visible_to_reporter=visible_to_reporter or kind == EntryKind.REPLY,
            actor=actor,
            actor_name=actor.display_name,
        )
        save_files(case, checked, actor, entry=entry)
        # A handling step is added beside the case, not over it: forms open on the case stay current.
        Case.objects.filter(pk=case.pk).update(updated_at=now, version=F("version"))
        audit(actor, "case.entry", case, {"entry": entry.pk, "kind": kind, "files": len(checked)})
    return entry


def reply_set(*, actor: User, case: Case, text: str, version: int | None = None) -> Case:
    """Write (or correct) the reply the reporter reads and, for board types, the public sees; refused
    (``StaleEdit``) if the case changed after ``version``, the one the form was opened on."""
    _check_handle(actor, case)
    expect(case, version)
    if case.state not in workflow.REPLY_STATES:
        raise workflow.TransitionError(case, "reply", f"事项当前为“{CaseState(case.state).label}”,不能答复。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写答复内容。"})
    with transaction.atomic():
        _set_reply(case, actor, text)
        case.save(update_fields=["public_reply", "public_reply_at", "updated_at"])
        audit(actor, "case.reply", case, {"on_board": case.on_board})
    return case


def board_hide(*, actor: User, case: Case, reason: str) -> Case:
    """Keep a post off the public board (民情民意交流栏) with a reason; nothing is deleted."""
    access.check(actor, case.org, Perm.HANDLE_CASE, case.area_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写不在交流栏展示的原因。"})
    with transaction.atomic():
        case.board_hidden, case.board_hidden_reason = True, reason[:200]
        case.board_hidden_by, case.board_hidden_at = actor, timezone.now()
        case.save(update_fields=["board_hidden", "board_hidden_reason", "board_hidden_by", "board_hidden_at"])
        history(case, actor, "board_hide", case.state, note=reason)
        audit(actor, "case.board_hide", case, {"reason": reason})
    return case


def board_public_set(
    *,
    actor: User,
    case: Case,
    title: str,
    text: str,
    reply: str = "",
    salutation: str = "",
    version: int | None = None,
) -> Case:
    """Set the public version of a board post (交流栏公开内容): what the public reads instead of the original
    title, text and reply, which stay as they are for staff. A part left as the automatic masking offered it
    (or blank) keeps following the original; refused (``StaleEdit``) if the case changed after ``version``."""
    access.check(actor, case.org, Perm.HANDLE_CASE, case.area_id)
    expect(case, version)
    if salutation not in {"", "M", "F"}:
        raise ValidationError({"salutation": "请选择称呼。"})
    parts = {
        "board_title": ((title or "").strip(), case.title),
        "board_text": ((text or "").strip(), case.description),
        "board_reply": ((reply or "").strip(), case.public_reply),
    }
    changed = []
    for field, (public, original) in parts.items():
        value = "" if public == mask_public(original) else public
        if getattr(case, field) != value:
            setattr(case, field, value)
            changed.append(field)
    if case.board_salutation != salutation:
        case.board_salutation = salutation
        changed.append("board_salutation")
    case.full_clean(exclude=["registered_by", "reporter", "reporter_person", "owner", "leader", "escalated_from"])
    with transaction.atomic():
        case.save(update_fields=[*changed, "updated_at"])
        audit(actor, "case.board_public", case, {"fields": changed})
    return case


def board_show(*, actor: User, case: Case) -> Case:
    access.check(actor, case.org, Perm.HANDLE_CASE, case.area_id)
    with transaction.atomic():
        case.board_hidden, case.board_hidden_reason = False, ""
        case.board_hidden_by, case.board_hidden_at = None, None
        case.save(update_fields=["board_hidden", "board_hidden_reason", "board_hidden_by", "board_hidden_at"])
        history(case, actor, "board_show", case.state)
        audit(actor, "case.board_show", case)
    return case


def details_update(
    *, actor: User, case: Case, detail: dict | None = None, parties=None, version: int | None = None, **fields
) -> Case:
    """Correct a case's common and type-specific fields (and a dispute's parties) while it is open; refused
    (``StaleEdit``) if the case changed after ``version``, the one the form was opened on."""
    _check_handle(actor, case)
    expect(case, version)
    if not case.is_open:
        raise workflow.TransitionError(case, "edit", "事项已办结，不能再修改登记信息。")
    allowed = {"title", "description", "place", "category", "reporter_name", "reporter_phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"不能修改：{', '.join(sorted(unknown))}")
    changed = [k for k, v in fields.items() if getattr(case, k) != v]
    for k in changed:
        setattr(case, k, fields[k])
    case.full_clean(exclude=["registered_by", "reporter", "reporter_person", "owner", "leader", "escalated_from"])
    model = DETAIL_MODELS.get(case.case_type.kind)
    detail_obj = None
    if model is not None and detail:
        detail_obj = model.objects.get(case=case)
        for k, v in detail.items():
            if getattr(detail_obj, k) != v:
                setattr(detail_obj, k, v)
                changed.append(k)
        detail_obj.full_clean()
    rows = None
    if parties is not None:
        rows = _clean_parties(parties, actor)
        if case.case_type.kind == "dispute" and not rows:
            raise ValidationError({"parties": "矛盾纠纷至少要有一名当事人。"})
        changed.append("parties")
    with transaction.atomic():
        case.save()
        if detail_obj is not None:
            detail_obj.save()
        if rows is not None:
            CaseParty.objects.filter(case=case).delete()
            CaseParty.objects.bulk_create([CaseParty(case=case, sort=i, **row) for i, row in enumerate(rows)])
        audit(actor, "case.edit", case, {"fields": changed})
    return case


def time_limit_set(
    *,
    actor: User,
    case_type: CaseType,
    org: Org,
    accept_hours: int,
    handle_days: int,
    yellow_days: int,
    red_days: int,
) -> CaseTimeLimit:
    """Set an org's own time limits for a case type (they hold in its subtree); a leader's decision."""
    access.check(actor, org, Perm.APPROVE_CASE)
    row = CaseTimeLimit.objects.filter(case_type=case_type, org=org).first() or CaseTimeLimit(
        case_type=case_type, org=org
    )
    row.accept_hours, row.handle_days, row.yellow_days, row.red_days = accept_hours, handle_days, yellow_days, red_days
    row.updated_by = actor
    row.full_clean()
    with transaction.atomic():
        row.save()
        audit(
            actor,
            "case.limits_set",
            row,
            {
                "type": case_type.code,
                "accept_hours": accept_hours,
                "handle_days": handle_days,
                "yellow": yellow_days,
                "red": red_days,
            },
            org=org,
        )
    return row


def time_limit_clear(*, actor: User, limit: CaseTimeLimit) -> None:
    access.check(actor, limit.org, Perm.APPROVE_CASE)
    with transaction.atomic():
        audit(actor, "case.limits_clear", limit, {"type": limit.case_type.code}, org=limit.org)
        limit.delete()
