"""The workbench's reports card. For an org that owes reports: what it owes now (due this period, overdue, returned
to be corrected), each linked to its form. Above (a street, a district): the completeness of each form's current
period (按时/迟报/缺报/退回 counts and the orgs missing), linked to the grid. A fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Org
from shequ.reports import escalation, selectors
from shequ.reports.models import ReportForm, State, Submission
from shequ.reports.periods import all_periods
from shequ.reports.selectors import STATUS_TEXT, Status, default_period, status

SHOWN = 6
NAMED = 5  # missing orgs named in a completeness line


def report_cards(user) -> list[dict]:
    today = timezone.localdate()
    forms = selectors.forms()
    if not forms:
        return []
    scope = access.resolve(user)
    seen = {f.pk: set(scope.org_ids(Perm.VIEW, f.area)) for f in forms}
    kinds = {k for f in forms for k in f.kinds}
    orgs = [
        o
        for o in Org.objects.visible_to(user, Perm.VIEW)
        .filter(kind__in=kinds, is_active=True)
        .select_related("parent")
        .order_by("path")
        if any(o.pk in ids for ids in seen.values())
    ]
    if not orgs:
        return []
    if len(orgs) == 1:
        return _owed(orgs[0], [f for f in forms if orgs[0].pk in seen[f.pk] and orgs[0].kind in f.kinds], today)
    return _completeness(orgs, forms, seen, today)


def _owed(org: Org, forms: list[ReportForm], today: date) -> list[dict]:
    """An owing org's reports: the current period's not yet sent, earlier periods of its year missing, returned."""
    if not forms:
        return []
    currents = {f.pk: default_period(f, today) for f in forms}
    subs = {
        (s.form_id, s.year, s.period_no): s
        for s in Submission.objects.filter(org=org, form__in=forms, year__in={p.year for p in currents.values()})
    }
    pressed = escalation.pressed([org], forms)
    items = []
    for f in forms:
        cur = currents[f.pk]
        # The period being reported now, and the earlier ones of this calendar year still owed.
        for p in [x for x in all_periods(f.cycle, cur.year, f.due_day, f.due_lag) if x == cur or x.year == today.year]:
            if p.no > cur.no:
                continue
            sub = subs.get((f.pk, p.year, p.no))
            if sub is None and (p.due >= today and p.no == cur.no):
                note, tone = f"将于{p.due.month}月{p.due.day}日截止", ""
            elif sub is None and p.due < today:
                note, tone = f"已逾期{(today - p.due).days}天", "bad"
            elif sub is not None and sub.state == State.RETURNED:
                note, tone = f"已退回：{sub.return_reason}", "warn"
            else:
                continue
            if p.due < today and (escalation.is_escalated(f, p, today) or (f.pk, org.pk, p.year, p.no) in pressed):
                note, tone = f"督办 · {note}", "bad"
            if sub is not None:
                url = reverse("reports:detail", args=[sub.pk])
            else:
                url = reverse("reports:fill", args=[f.code, org.pk, p.year, p.no])
            items.append({"text": f"《{f.name}》{p.label}", "note": note, "url": url, "tone": tone})
    items.sort(key=lambda i: {"bad": 0, "warn": 1}.get(i["tone"], 2))
    return [
        {
            "label": "待报报表",
            "value": len(items),
            "items": items[:SHOWN],
            "url": reverse("reports:index"),
            "empty": "报表均已报送。",
        }
    ]


def _completeness(orgs: list[Org], forms: list[ReportForm], seen: dict, today: date) -> list[dict]:
    """Per form, its current period across the orgs owing it: counts by state and the orgs missing."""
    currents = {f.pk: default_period(f, today) for f in forms}
    asked = Q()
    for f in forms:
        asked |= Q(form=f, year=currents[f.pk].year, period_no=currents[f.pk].no)
    subs = {
        (s.form_id, s.org_id): s
        for s in Submission.objects.filter(asked, org_id__in=[o.pk for o in orgs]).only(
            "pk", "form_id", "org_id", "state", "first_submitted_at"
        )
    }
    pressed = escalation.pressed(orgs, forms)
    items = []
    missing_total = 0
    index = reverse("reports:index")
    for f in forms:
        p = currents[f.pk]
        owing = [o for o in orgs if o.kind in f.kinds and o.pk in seen[f.pk]]
        if not owing:
            continue
        counts = dict.fromkeys((Status.ON_TIME, Status.LATE, Status.MISSING, Status.RETURNED, Status.PENDING), 0)
        missing = []
        n_pressed = 0
        for o in owing:
            st = status(subs.get((f.pk, o.pk)), p, today)
            counts[st] += 1
            owed = st == Status.MISSING or (st == Status.RETURNED and today > p.due)
            n_pressed += owed and (escalation.is_escalated(f, p, today) or (f.pk, o.pk, p.year, p.no) in pressed)
            if st in (Status.MISSING, Status.PENDING):
                missing.append(o.name)
        missing_total += counts[Status.MISSING]
        shown = [Status.ON_TIME, Status.LATE, Status.MISSING, Status.RETURNED]
        note = " · ".join(f"{STATUS_TEXT[s]}{counts[s]}" for s in shown)
        if counts[Status.PENDING]:
            note += f" · 未报{counts[Status.PENDING]}"
        if n_pressed:
            note += f" · 督办{n_pressed}"
        if missing:
            note += "；未报：" + "、".join(missing[:NAMED]) + ("等" if len(missing) > NAMED else "")
        tone = "bad" if counts[Status.MISSING] else "warn" if counts[Status.RETURNED] else ""
        items.append(
            {
                "text": f"《{f.name}》{p.label}",
                "note": note,
                "url": f"{index}?form={f.code}&year={p.year}",
                "tone": tone,
            }
        )
    if not items:
        return []
    return [{"label": "本期报表缺报", "value": missing_total, "items": items[:SHOWN], "url": index}]
