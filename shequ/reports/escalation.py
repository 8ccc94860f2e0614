"""督办 of missing reports. A report not in more than ``form.escalate_after`` days after its due day is escalated:
the receiving org's (the street's) leaders get a 督办 notice in the bell, and the grid and the owing org's card
show 督办. The receiving level may also send a 督办 by hand, with a note (audited): it rings the owing org's
reporters' bell until the report is in. Read by ``plans.reminders`` once a day."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import Membership
from shequ.accounts.roles import Perm, Role
from shequ.audit.services import audit
from shequ.orgs.models import Org
from shequ.plans.models import Reminder, ReminderKind
from shequ.plans.reminders import recipients
from shequ.reports.models import Escalation, ReportForm, State, Submission
from shequ.reports.periods import ReportPeriod, all_periods, current
from shequ.reports.services import ReportError


def overdue_days(form: ReportForm, period: ReportPeriod, today: date) -> int:
    return (today - period.due).days


def is_escalated(form: ReportForm, period: ReportPeriod, today: date) -> bool:
    """A missing report of ``period`` is escalated by itself once overdue by more than the form's days."""
    return overdue_days(form, period, today) > form.escalate_after


def pressed(orgs: list[Org], forms: list[ReportForm]) -> set[tuple[int, int, int, int]]:
    """(form, org, year, period) of the 督办 sent by hand to ``orgs``: one query."""
    if not orgs or not forms:
        return set()
    return set(
        Escalation.objects.filter(org_id__in=[o.pk for o in orgs], form__in=forms).values_list(
            "form_id", "org_id", "year", "period_no"
        )
    )


def can_press(actor, form: ReportForm, org: Org) -> bool:
    parent = org.parent
    return parent is not None and access.can(actor, parent, Perm.REVIEW_REPORT, area=form.area)


def press(*, actor, form: ReportForm, org: Org, year: int, period_no: int, note: str) -> Escalation:
    """The receiving level sends a 督办 for ``org``'s missing report of a period, with a note."""
    if not can_press(actor, form, org):
        raise PermissionDenied("只有接收单位可以督办。")
    note = note.strip()
    if not note:
        raise ReportError({"note": "请写明督办事项。"})
    period = form.period(year, period_no)
    if period.due >= timezone.localdate():
        raise ReportError(f"{period.label}的报表尚未到截止日，不能督办。")
    sub = Submission.objects.filter(form=form, org=org, year=year, period_no=period_no).first()
    if sub is not None and sub.state != State.RETURNED:
        raise ReportError(f"{period.label}的报表已报送，无需督办。")
    with transaction.atomic():
        esc = Escalation.objects.create(
            form=form, org=org, area=form.area, year=year, period_no=period_no, note=note[:300], by=actor,
            at=timezone.now(),
        )  # fmt: skip
        audit(actor, "report.escalate", esc, {"form": form.code, "period": period.label, "note": note}, org=org)
        Reminder.objects.bulk_create(_pressed_reminders([esc], timezone.localdate()), ignore_conflicts=True)
    return esc


def _pressed_reminders(escs: list[Escalation], today: date) -> list[Reminder]:
    keepers = recipients({e.org_id for e in escs}, Perm.RECORD_WORK)
    out = []
    for e in escs:
        period = e.form.period(e.year, e.period_no)
        url = reverse("reports:fill", args=[e.form.code, e.org_id, e.year, e.period_no])
        for user_id, areas in keepers.get(e.org_id, []):
            if areas is not None and e.form.area_id not in areas:
                continue
            out.append(
                Reminder(
                    user_id=user_id,
                    kind=ReminderKind.REPORT_LATE,
                    key=f"report-pressed:{e.pk}",
                    org_id=e.org_id,
                    message=f"【督办】{e.org.name}“{e.form.name}”（{period.label}）：{e.note}"[:300],
                    url=url,
                    due=period.due,
                    day=today,
                )
            )
    return out


def escalations(today: date) -> list[Reminder]:
    """The bell: the receiving org's leaders for each report escalated by itself; the owing org's reporters for
    each 督办 sent by hand, while the report is still missing (or returned)."""
    forms = list(ReportForm.objects.filter(is_active=True).select_related("area"))
    if not forms:
        return []
    asked: list[tuple[ReportForm, ReportPeriod]] = []
    for form in forms:
        cur = current(form.cycle, today, form.due_day, form.due_lag)
        for p in all_periods(form.cycle, cur.year, form.due_day, form.due_lag)[: cur.no]:
            if p == cur or p.year == today.year:
                asked.append((form, p))
    kinds = {k for f in forms for k in f.kinds}
    orgs = {o.pk: o for o in Org.objects.filter(kind__in=kinds, is_active=True).select_related("parent")}
    years = {p.year for _f, p in asked}
    reported = set(
        Submission.objects.filter(year__in=years)
        .exclude(state=State.RETURNED)
        .values_list("form_id", "org_id", "year", "period_no")
    )
    late = [(f, p) for f, p in asked if is_escalated(f, p, today)]
    parents = {o.parent_id for o in orgs.values() if o.parent_id}
    leaders: dict[int, list[int]] = {}
    for org_id, user_id in Membership.objects.filter(
        org_id__in=parents, role=Role.LEADER, is_active=True, user__is_active=True
    ).values_list("org_id", "user_id"):
        leaders.setdefault(org_id, []).append(user_id)
    out = []
    for form, p in late:
        days = overdue_days(form, p, today)
        for org in orgs.values():
            if org.kind not in form.kinds or (form.pk, org.pk, p.year, p.no) in reported or org.parent is None:
                continue
            for user_id in leaders.get(org.parent_id, []):
                out.append(
                    Reminder(
                        user_id=user_id,
                        kind=ReminderKind.REPORT_LATE,
                        key=f"report-press:{form.pk}:{org.pk}:{p.year}-{p.no}",
                        org=org.parent,
                        message=f"【督办】{org.name}“{form.name}”（{p.label}）已逾期{days}天未报送",
                        url=reverse("reports:fill", args=[form.code, org.pk, p.year, p.no]),
                        due=p.due,
                        day=today,
                    )
                )
    open_q = Q()
    for f, p in asked:
        open_q |= Q(form=f, year=p.year, period_no=p.no)
    escs = [
        e
        for e in Escalation.objects.filter(open_q).select_related("form", "org")
        if (e.form_id, e.org_id, e.year, e.period_no) not in reported
    ]
    return out + _pressed_reminders(escs, today)
