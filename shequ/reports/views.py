"""Pages of upward reports: the completeness grid with the reporting rates, an org's report of a period (pre-filled,
submitted, resubmitted), a submission with its history and review, and the roll-up of a street or district."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.cases.stats import focus_org
from shequ.core.forms import action_post, form_post
from shequ.core.paging import paginate
from shequ.reports import escalation, selectors, services
from shequ.reports.filters import SubmissionFilter
from shequ.reports.forms import GridForm, ReportEntryForm, ReviewForm
from shequ.reports.models import Escalation, State
from shequ.reports.periods import count


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


@login_required
def index(request):
    """The completeness grid (orgs × periods) of one form and year, with reporting rates per street."""
    report_forms = selectors.forms()
    if not report_forms:
        raise Http404
    bar = GridForm(request.GET or None, report_forms=report_forms, years=_years())
    data = bar.cleaned_data if bar.is_valid() else {}
    form = next((f for f in report_forms if f.code == data.get("form")), report_forms[0])
    year = data.get("year") or timezone.localdate().year
    focus = focus_org(request.user, data.get("org"))
    if focus is None:
        raise PermissionDenied("您没有可查看的单位。")
    grid = selectors.grid(request.user, form=form, focus=focus, year=year)
    period = selectors.default_period(form)
    return render(
        request,
        "reports/index.html",
        {**grid, "bar": bar, "report_forms": report_forms, "period": period, "can_roll": focus.kind != "community"},
    )


@login_required
def fill(request, code: str, org: int, year: int, no: int):
    """An org's report of a period: pre-filled from Shequ's data, corrected, submitted; after a return, again."""
    form = selectors.form_get(code)
    org_obj = selectors.org_for_form(request.user, form, org)
    if not services.owes(form, org_obj) or not 1 <= no <= count(form.cycle):
        raise Http404
    sub, computed = selectors.report_for(form, org_obj, year, no)
    if sub is not None and sub.state != State.RETURNED:
        return redirect("reports:detail", pk=sub.pk)
    can_submit = access.can(request.user, org_obj, Perm.RECORD_WORK, area=form.area)
    if request.method == "POST" and not can_submit:
        raise PermissionDenied("您没有报送此报表的权限。")
    shown = sub.values if sub is not None else computed
    initial = {f["code"]: "" if shown.get(f["code"]) is None else shown.get(f["code"]) for f in form.fields}
    initial.update(version=sub.version if sub else None, note=sub.note if sub else "")
    entry = ReportEntryForm(request.POST or None, report=form, computed=computed, initial=initial)
    posted = form_post(
        request,
        entry,
        lambda d: services.submit(
            actor=request.user,
            form=form,
            org=org_obj,
            year=year,
            period_no=no,
            values=entry.values(),
            computed=computed,
            zero=bool(d.get("zero")),
            note=d.get("note", ""),
            version=d.get("version"),
        ),
        success=lambda s: f"已报送{s.period.label}《{form.name}》" + ("（零报告）。" if s.zero else "。"),
    )
    if posted:
        return redirect("reports:detail", pk=posted.result.pk)
    return render(
        request,
        "reports/fill.html",
        {"form": form, "org": org_obj, "period": form.period(year, no), "entry": entry, "sub": sub,
         "can_submit": can_submit, "today": timezone.localdate(),
         "can_press": escalation.can_press(request.user, form, org_obj)
         and form.period(year, no).due < timezone.localdate(),
         "presses": list(Escalation.objects.visible_to(request.user).filter(form=form, org=org_obj, year=year,
                                                                            period_no=no).select_related("by")),
         "kept": [f["label"] for f in form.fields if f.get("zero_keeps")]},
    )  # fmt: skip


@login_required
def detail(request, pk: int):
    sub = selectors.submission_get(request.user, pk)
    can_review = sub.state == State.SUBMITTED and services.can_review(request.user, sub)
    changed = sub.changed
    rows = [
        {"spec": f, "value": sub.values.get(f["code"], ""), "computed": sub.computed.get(f["code"]),
         "changed": f["code"] in changed}
        for f in sub.form.fields
    ]  # fmt: skip
    return render(
        request,
        "reports/detail.html",
        {"sub": sub, "rows": rows, "events": list(sub.events.all()), "can_review": can_review,
         "review": ReviewForm(initial={"version": sub.version}),
         "can_resubmit": sub.state == State.RETURNED
         and access.can(request.user, sub.org, Perm.RECORD_WORK, area=sub.area),
         "can_export": access.can(request.user, sub.org, Perm.EXPORT, area=sub.area)},
    )  # fmt: skip


@login_required
@require_POST
def review(request, pk: int):
    sub = selectors.submission_get(request.user, pk)
    if not services.can_review(request.user, sub):
        raise PermissionDenied("只有上级单位可以审核报表。")
    rf = ReviewForm(request.POST)
    if not rf.is_valid():
        return redirect("reports:detail", pk=sub.pk)
    accept = rf.cleaned_data["decision"] == "accept"
    action_post(
        request,
        lambda: services.review(
            actor=request.user,
            sub=sub,
            accept=accept,
            reason=rf.cleaned_data.get("reason", ""),
            version=rf.cleaned_data.get("version"),
        ),
        success="已接收。" if accept else "已退回，报送单位修改后重新报送。",
    )
    return redirect("reports:detail", pk=sub.pk)


@login_required
def submission_list(request):
    flt = SubmissionFilter(request.GET, queryset=selectors.submissions(request.user), actor=request.user)
    page = paginate(request, flt.rows.order_by("-submitted_at", "-pk"))
    return render(request, "reports/list.html", {"flt": flt, "page": page})


@login_required
def summary(request, code: str, org: int, year: int, no: int):
    """The report of a street or district for a period: the sum of its communities' (or streets') reports."""
    form = selectors.form_get(code)
    focus = selectors.org_for_form(request.user, form, org)
    if not 1 <= no <= count(form.cycle):
        raise Http404
    data = selectors.rollup(request.user, form=form, focus=focus, year=year, no=no)
    can_export = access.can(request.user, focus, Perm.EXPORT, area=form.area)
    return render(request, "reports/summary.html", {**data, "can_export": can_export})


@login_required
@require_POST
def press(request, code: str, org: int, year: int, no: int):
    """The receiving level sends a 督办 for a missing report, with a note."""
    form = selectors.form_get(code)
    org_obj = selectors.org_for_form(request.user, form, org)
    if not services.owes(form, org_obj) or not 1 <= no <= count(form.cycle):
        raise Http404
    if not escalation.can_press(request.user, form, org_obj):
        raise PermissionDenied("只有接收单位可以督办。")
    action_post(
        request,
        lambda: escalation.press(
            actor=request.user, form=form, org=org_obj, year=year, period_no=no, note=request.POST.get("note", "")
        ),
        success=f"已向{org_obj.name}发出督办。",
    )
    return redirect("reports:fill", code=code, org=org, year=year, no=no)
