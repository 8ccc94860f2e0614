"""Demo step: a year of upward reports from every community and village. Each period past its due day is reported
from the figures Shequ computed (a few typed over by hand), most before the due day, some after it; a month in
which nothing was registered is an explicit 零报告; 柳树村 misses one month; 阳光社区's March dispute report was
returned and resubmitted, and its latest hazard report is returned, waiting to be corrected; the street accepts
the rest but the latest period, which awaits its review;
the street sends 柳树村 a 督办 for its missing month. Idempotent: a period already reported is left alone.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from shequ.plans import reminders
from shequ.reports import escalation, services
from shequ.reports.models import Escalation, ReportForm, Submission, SubmissionEvent
from shequ.reports.periods import all_periods
from shequ.reports.prefill import prefill

# Who reports each line of work where the demo has an account; the villages' reports are typed by the district.
REPORTERS = {("communityA", "safety"): "a_safety", ("communityA", None): "a_worker", ("communityB", None): "b_worker"}
REVIEWERS = {"street1": "street_leader"}
TEXTS = {
    "summary": "本期矛盾纠纷以邻里、物业纠纷为主，均已就地调处。",
    "measures": "未整改隐患已设置警示标志，落实专人看护，限期整改。",
    "highlights": "结合主题宣传日开展义诊咨询，居民参与度高。",
}
MISSING = ("village2", "dispute_monthly", 4)
RETURNED_FIXED = ("communityB", "dispute_monthly", 3)
RETURNED_OPEN = ("communityB", "hazard_monthly")


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 30), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _last_event(sub: Submission):
    return SubmissionEvent.objects.filter(pk=sub.events.order_by("-pk").values("pk")[:1])


def _backdate(sub: Submission, submitted: datetime, *, first: bool = True) -> None:
    fields = {"submitted_at": submitted, **({"first_submitted_at": submitted} if first else {})}
    Submission.objects.filter(pk=sub.pk).update(**fields)
    _last_event(sub).update(at=submitted)
    sub.refresh_from_db()


def _review(sub: Submission, reviewer, when: datetime, *, accept: bool, reason: str = "") -> None:
    services.review(actor=reviewer, sub=sub, accept=accept, reason=reason)
    Submission.objects.filter(pk=sub.pk).update(reviewed_at=when)
    _last_event(sub).update(at=when)
    sub.refresh_from_db()


def step(ctx, options) -> None:
    today = timezone.localdate()
    keys = {o.pk: k for k, o in ctx.orgs.items()}
    admin = ctx.users["admin"]
    for form in ReportForm.objects.filter(is_active=True).select_related("area"):
        owing = [o for o in ctx.communities if o.kind in form.kinds]
        # Last year's last period too: it falls due in this year's first weeks.
        last = all_periods(form.cycle, ctx.year - 1, form.due_day, form.due_lag)[-1:]
        for period in [*last, *all_periods(form.cycle, ctx.year, form.due_day, form.due_lag)]:
            if period.end >= today:
                continue  # the annual report of the demo year is owed next January
            done = set(
                Submission.objects.filter(form=form, year=period.year, period_no=period.no).values_list(
                    "org_id", flat=True
                )
            )
            todo = [o for o in owing if o.pk not in done]
            computed = prefill(form, period, [o.pk for o in todo]) if todo else {}
            for org in todo:
                _report(ctx, form, period, org, keys.get(org.pk, ""), computed[org.pk], today, admin)
    _press_missing(ctx, admin)
    reminders.refresh()  # the bell: the reports still owed now that the year's are in


def _report(ctx, form, period, org, key: str, computed: dict, today, admin) -> None:
    rng = random.Random(f"report-{key}-{form.code}-{period.year}-{period.no}")
    if (key, form.code, period.no) == MISSING:
        return
    late = (period.no * 3 + sum(map(ord, key + form.code))) % 7 == 0  # about one report in seven
    day = period.due + timedelta(days=rng.randint(1, 6)) if late else period.due - timedelta(days=rng.randint(0, 4))
    if day > today:
        if period.due >= today:
            return  # not yet due, not yet reported: it shows as 未到期
        day = today
    reporter = ctx.users.get(REPORTERS.get((key, form.area.code)) or REPORTERS.get((key, None), ""), admin)
    numbers = {f["code"] for f in form.number_fields}
    zero = bool(form.zero_text) and all(computed.get(f["code"]) in (None, 0, "0.00") for f in form.zeroed_fields)
    values = {f["code"]: ("" if zero else TEXTS.get(f["code"], "")) if f.get("kind") == "text"
              else computed.get(f["code"]) or 0 for f in form.fields}  # fmt: skip
    if not zero and "screenings" in numbers and rng.random() < 0.2:
        values["screenings"] = int(values["screenings"]) + 1  # a special screening not recorded: typed by hand
    parent_key = next((k for k, o in ctx.orgs.items() if o.pk == org.parent_id), "")
    reviewer = ctx.users.get(REVIEWERS.get(parent_key, ""), admin)
    sub = services.submit(
        actor=reporter, form=form, org=org, year=period.year, period_no=period.no, values=values, computed=computed,
        zero=zero, note="本月各网格排查无矛盾纠纷。" if zero and form.code == "dispute_monthly" else "",
    )  # fmt: skip
    submitted = _at(day, 9 + rng.randint(0, 7))
    _backdate(sub, submitted)
    latest = period.due >= today - timedelta(days=31 if form.cycle == "month" else 92)
    if (key, form.code, period.no) == RETURNED_FIXED:
        _review(
            sub,
            reviewer,
            submitted + timedelta(days=1),
            accept=False,
            reason="调处数与人民调解登记不符，请核实后重报。",
        )
        sub = services.submit(
            actor=reporter, form=form, org=org, year=period.year, period_no=period.no, values=values,
            computed=computed, note="已核实调处数。",
        )  # fmt: skip
        _backdate(sub, submitted + timedelta(days=3), first=False)
        _review(sub, reviewer, submitted + timedelta(days=4), accept=True)
        return
    if (key, form.code) == RETURNED_OPEN and latest:
        _review(
            sub, reviewer, submitted + timedelta(days=1), accept=False, reason="已整改数缺少验收记录，请补充后重报。"
        )
        return
    if not latest:
        _review(sub, reviewer, submitted + timedelta(days=rng.randint(1, 3)), accept=True)


def _press_missing(ctx, admin) -> None:
    """柳树村's missing month: escalated by itself long ago, and pressed by hand by its street once."""
    key, code, no = MISSING
    org, form = ctx.orgs.get(key), ReportForm.objects.filter(code=code).select_related("area").first()
    if org is None or form is None or Escalation.objects.filter(form=form, org=org, year=ctx.year, period_no=no):
        return
    if form.period(ctx.year, no).due >= timezone.localdate():
        return
    escalation.press(
        actor=admin, form=form, org=org, year=ctx.year, period_no=no, note="请于3个工作日内补报，并说明迟报原因。"
    )
