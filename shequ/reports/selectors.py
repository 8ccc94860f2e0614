"""Every read of upward reports, scoped to the actor: the forms, one org's report of a period (pre-filled), a
submission with its history, the roll-up of a street or district, and the completeness grid orgs × periods with
the reporting rates, each in a fixed number of queries whatever the number of orgs and submissions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Org, OrgKind, subtree_q
from shequ.reports.models import ReportForm, State, Submission
from shequ.reports.periods import ReportPeriod, all_periods, current
from shequ.reports.prefill import prefill


def forms() -> list[ReportForm]:
    return list(ReportForm.objects.filter(is_active=True).select_related("area").order_by("sort", "id"))


def form_get(code: str) -> ReportForm:
    found = ReportForm.objects.filter(code=code, is_active=True).select_related("area").first()
    if found is None:
        raise Http404
    return found


def org_for_form(actor, form: ReportForm, org_id: int) -> Org:
    """An org the actor sees in the form's line of work (404 otherwise, as if it did not exist)."""
    if org_id not in access.resolve(actor).org_ids(Perm.VIEW, form.area):
        raise Http404
    return Org.objects.select_related("parent").get(pk=org_id)


def submissions(actor) -> QuerySet[Submission]:
    return Submission.objects.visible_to(actor).select_related("form", "org", "org__parent", "submitted_by")


def submission_rows(
    actor,
    *,
    form: str = "",
    org: int | None = None,
    year: int | None = None,
    period_no: int | None = None,
    state: str = "",
) -> QuerySet[Submission]:
    """The submissions in scope, filtered, by org then form and period (the API's list)."""
    qs = Submission.objects.visible_to(actor).select_related("form", "org")
    if form:
        qs = qs.filter(form__code=form)
    if org is not None:
        qs = qs.filter(org_id=org)
    if year is not None:
        qs = qs.filter(year=year)
    if period_no is not None:
        qs = qs.filter(period_no=period_no)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("org__path", "form__sort", "form_id", "year", "period_no", "pk")


def submission_get(actor, pk: int) -> Submission:
    found = (
        submissions(actor)
        .select_related("reviewed_by", "form__area")
        .prefetch_related("events__actor")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def report_for(form: ReportForm, org: Org, year: int, no: int) -> tuple[Submission | None, dict]:
    """An org's submission of a period (None: not yet) and what Shequ's data gives for its fields now."""
    sub = Submission.objects.filter(form=form, org=org, year=year, period_no=no).select_related("form").first()
    return sub, prefill(form, form.period(year, no), [org.pk])[org.pk]


# --- completeness --------------------------------------------------------------------------------------


class Status:
    ON_TIME = "ontime"
    LATE = "late"
    RETURNED = "returned"
    MISSING = "missing"
    PENDING = "pending"


STATUS_TEXT = {
    Status.ON_TIME: "按时",
    Status.LATE: "迟报",
    Status.RETURNED: "退回",
    Status.MISSING: "缺报",
    Status.PENDING: "未到期",
}


def status(sub: Submission | None, period: ReportPeriod, today: date) -> str:
    if sub is None:
        return Status.MISSING if today > period.due else Status.PENDING
    if sub.state == State.RETURNED:
        return Status.RETURNED
    return Status.ON_TIME if sub.first_submitted_at.astimezone().date() <= period.due else Status.LATE


@dataclass
class Rate:
    expected: int = 0
    reported: int = 0
    on_time: int = 0

    @property
    def rate(self) -> float | None:
        return round(100 * self.reported / self.expected, 1) if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


@dataclass
class GridRow:
    org: Org
    street: Org | None
    cells: list[dict] = field(default_factory=list)
    rate: Rate = field(default_factory=Rate)


def owing_orgs(actor, form: ReportForm, focus: Org) -> list[Org]:
    """The orgs of ``focus``'s subtree that owe the form and that the actor sees in its line of work."""
    ids = set(access.resolve(actor).org_ids(Perm.VIEW, form.area))
    orgs = Org.objects.filter(subtree_q(focus.path), kind__in=form.kinds, is_active=True).select_related("parent")
    return [o for o in orgs.order_by("path") if o.pk in ids]


def grid(actor, *, form: ReportForm, focus: Org, year: int, today: date | None = None) -> dict:
    """Orgs × periods of ``year``: each cell on time, late, returned, missing or not yet due; a reporting rate
    (reported ÷ expected, expected = periods past their due day or reported) per org, per street and overall."""
    today = today or timezone.localdate()
    periods = all_periods(form.cycle, year, form.due_day, form.due_lag)
    orgs = owing_orgs(actor, form, focus)
    subs = {
        (s.org_id, s.period_no): s
        for s in Submission.objects.filter(form=form, year=year, org_id__in=[o.pk for o in orgs]).select_related("form")
    }
    from shequ.reports import escalation

    pressed = escalation.pressed(orgs, [form])
    rows: list[GridRow] = []
    streets: dict[int, tuple[Org, Rate]] = {}
    total = Rate()
    for o in orgs:
        street = o.parent if o.parent is not None and o.parent.kind == OrgKind.STREET else None
        row = GridRow(org=o, street=street)
        for p in periods:
            sub = subs.get((o.pk, p.no))
            st = status(sub, p, today)
            owed = st == Status.MISSING or (st == Status.RETURNED and today > p.due)
            press = owed and (escalation.is_escalated(form, p, today) or (form.pk, o.pk, year, p.no) in pressed)
            row.cells.append(
                {
                    "period": p,
                    "sub": sub,
                    "status": st,
                    "text": STATUS_TEXT[st],
                    "zero": sub and sub.zero,
                    "press": press,
                }
            )
            if st == Status.PENDING:
                continue
            rates = [row.rate, total]
            if street is not None:
                rates.append(streets.setdefault(street.pk, (street, Rate()))[1])
            for r in rates:
                r.expected += 1
                r.reported += st in (Status.ON_TIME, Status.LATE)
                r.on_time += st == Status.ON_TIME
        rows.append(row)
    return {
        "form": form,
        "year": year,
        "periods": periods,
        "rows": rows,
        "streets": list(streets.values()),
        "total": total,
        "focus": focus,
        "today": today,
    }


# --- roll-up -------------------------------------------------------------------------------------------


def rollup(actor, *, form: ReportForm, focus: Org, year: int, no: int) -> dict:
    """The report of a street or district for a period: the sum of its owing orgs' submitted and accepted
    reports, by child org (a district's streets, a street's communities), with who has not reported."""
    period = form.period(year, no)
    orgs = owing_orgs(actor, form, focus)
    subs = {
        s.org_id: s
        for s in Submission.objects.filter(form=form, year=year, period_no=no, org_id__in=[o.pk for o in orgs])
        .exclude(state=State.RETURNED)
        .select_related("form")
    }
    numbers = form.number_fields
    zero = {f["code"]: Decimal(0) for f in numbers}
    children: dict[str, dict] = {}
    total = dict(zero)
    missing = []
    for o in orgs:
        child_path = _child_path(o.path, focus.path)
        child = children.setdefault(
            child_path, {"path": child_path, "org": None, "sums": dict(zero), "reported": 0, "owing": 0}
        )
        if o.path == child_path:
            child["org"] = o
        child["owing"] += 1
        sub = subs.get(o.pk)
        if sub is None:
            missing.append(o)
            continue
        child["reported"] += 1
        for f in numbers:
            v = Decimal(str(sub.values.get(f["code"]) or 0))
            child["sums"][f["code"]] += v
            total[f["code"]] += v
    names = dict(Org.objects.filter(path__in=list(children)).values_list("path", "name")) if children else {}
    rows = []
    for c in children.values():
        c["name"] = names.get(c["path"], "")
        c["cells"] = [(f["label"], _shown(c["sums"][f["code"]])) for f in numbers]
        rows.append(c)
    return {
        "form": form,
        "period": period,
        "fields": numbers,
        "rows": rows,
        "total": [(f["label"], _shown(total[f["code"]])) for f in numbers],
        "missing": missing,
        "owing": len(orgs),
        "reported": len(subs),
        "focus": focus,
    }


def _child_path(path: str, above: str) -> str:
    """The path of the child of ``above`` that ``path`` lies under (``path`` itself when it is ``above``)."""
    rest = path[len(above) :]
    return above + rest.split("/", 1)[0] + "/" if rest else path


def _shown(v: Decimal) -> str:
    return f"{v.normalize():f}" if v == v.to_integral_value() else f"{v.quantize(Decimal('0.01')):f}"


def default_period(form: ReportForm, today: date | None = None) -> ReportPeriod:
    return current(form.cycle, today or timezone.localdate(), form.due_day, form.due_lag)
