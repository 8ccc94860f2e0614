"""Every write of upward reports: submitting (figures or an explicit 零报告), resubmitting a returned report,
accepting or returning it at the level above. Each checks the actor's right, writes the history row and the
audit row in one transaction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core import versioning
from shequ.orgs.models import Org
from shequ.reports.models import EventKind, ReportForm, State, Submission, SubmissionEvent
from shequ.reports.periods import count

if TYPE_CHECKING:
    from shequ.accounts.models import User


class ReportError(ValidationError):
    """A report that cannot be taken as it is: the message says why, in Chinese."""


def owes(form: ReportForm, org: Org) -> bool:
    return org.kind in form.kinds and org.is_active


def clean_values(form: ReportForm, raw: dict, *, zero: bool) -> dict:
    """The figures of a report from what was typed: whole numbers ≥ 0, decimals, text; a 零报告 has zeros but
    in the figures it keeps (``zero_keeps``: the screenings held)."""
    out: dict = {}
    errors: dict[str, str] = {}
    for f in form.fields:
        code, kind = f["code"], f.get("kind", "int")
        value = raw.get(code)
        text = "" if value is None else str(value).strip()
        if kind == "text":
            out[code] = text[:2000]
            continue
        if zero and not f.get("zero_keeps"):
            out[code] = 0 if kind == "int" else "0.00"
            continue
        if text == "":
            errors[code] = f"请填写“{f['label']}”。"
            continue
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors[code] = f"“{f['label']}”应填写数字。"
            continue
        if number < 0 or (kind == "int" and number != number.to_integral_value()):
            errors[code] = f"“{f['label']}”应填写不小于0的{'整数' if kind == 'int' else '数'}。"
            continue
        out[code] = int(number) if kind == "int" else str(number.quantize(Decimal("0.01")))
    if errors:
        raise ReportError(errors)
    return out


def _check_zero(form: ReportForm, computed: dict, label: str) -> None:
    if not form.zero_text:
        raise ReportError(f"《{form.name}》不设零报告，请填写数据。")
    found = [f["label"] for f in form.zeroed_fields if computed.get(f["code"]) not in (None, 0, "0.00")]
    if found:
        raise ReportError(f"{label}系统中已有登记（{'、'.join(found)}），不能报零报告，请按实际填报。")


def submit(
    *,
    actor: User,
    form: ReportForm,
    org: Org,
    year: int,
    period_no: int,
    values: dict,
    computed: dict,
    zero: bool = False,
    note: str = "",
    version: int | None = None,
) -> Submission:
    """Submit (or, after a return, resubmit) ``org``'s report of ``form`` for a period. ``computed``: what
    Shequ's data gave (the figures typed differently are marked); ``zero``: an explicit 零报告."""
    access.check(actor, org, Perm.RECORD_WORK, area=form.area)
    if not owes(form, org) or not 1 <= period_no <= count(form.cycle):
        raise ReportError("该单位不需报送此报表。")
    period = form.period(year, period_no)
    now = timezone.now()
    if period.start > timezone.localdate():
        raise ReportError(f"{period.label}尚未开始，不能报送。")
    if zero:
        _check_zero(form, computed, period.zero_word)
    clean = clean_values(form, values, zero=zero)
    note = note.strip()[:2000]
    with transaction.atomic():
        existing = (
            Submission.objects.select_for_update().filter(form=form, org=org, year=year, period_no=period_no).first()
        )
        if existing is not None:
            versioning.expect(existing, version)
            if existing.state != State.RETURNED:
                raise ReportError(f"{period.label}的报表已报送（{existing.get_state_display()}），不能重复报送。")
            existing.values, existing.computed, existing.zero, existing.note = clean, computed, zero, note
            existing.state, existing.submitted_at, existing.submitted_by = State.SUBMITTED, now, actor
            existing.revision += 1
            existing.save()
            sub, kind = existing, EventKind.RESUBMIT
        else:
            try:
                with transaction.atomic():
                    sub = Submission.objects.create(
                        form=form, org=org, area=form.area, year=year, period_no=period_no, values=clean,
                        computed=computed, zero=zero, note=note, first_submitted_at=now, submitted_at=now,
                        submitted_by=actor,
                    )  # fmt: skip
            except IntegrityError as exc:
                raise ReportError(f"{period.label}的报表刚由他人报送，请刷新后查看。") from exc
            kind = EventKind.SUBMIT
        SubmissionEvent.objects.create(submission=sub, kind=kind, actor=actor, at=now, zero=zero, values=clean)
        audit(
            actor, f"report.{kind}", sub,
            {"form": form.code, "period": period.label, "zero": zero, "changed": sorted(sub.changed)}, org=org,
        )  # fmt: skip
    return sub


def can_review(actor: User, sub: Submission) -> bool:
    parent = sub.org.parent
    return parent is not None and access.can(actor, parent, Perm.REVIEW_REPORT, area=sub.area)


def review(*, actor: User, sub: Submission, accept: bool, reason: str = "", version: int | None = None) -> Submission:
    """The level above accepts the report, or returns it with a reason to be corrected and resubmitted."""
    if not can_review(actor, sub):
        raise PermissionDenied("只有上级单位可以审核报表。")
    reason = reason.strip()
    if not accept and not reason:
        raise ReportError({"reason": "退回须写明原因。"})
    with transaction.atomic():
        versioning.expect(sub, version)
        if sub.state != State.SUBMITTED:
            raise ReportError(f"该报表{sub.get_state_display()}，不能再审核。")
        now = timezone.now()
        sub.state = State.ACCEPTED if accept else State.RETURNED
        sub.return_reason = "" if accept else reason[:300]
        sub.reviewed_at, sub.reviewed_by = now, actor
        sub.save()
        kind = EventKind.ACCEPT if accept else EventKind.RETURN
        SubmissionEvent.objects.create(
            submission=sub, kind=kind, actor=actor, at=now, zero=sub.zero, values=sub.values, reason=reason[:300]
        )
        audit(actor, f"report.{kind}", sub, {"form": sub.form.code, "period": sub.period.label, "reason": reason})
    return sub
