"""Target pages: create, edit, delete, enter a rate's value, the target's periods and its records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core import uploads
from shequ.core.forms import action_post, form_post
from shequ.core.paging import paginate
from shequ.plans import compliance, selectors, services
from shequ.plans.compliance.states import fmt
from shequ.plans.forms import RateEntryForm, TargetForm
from shequ.plans.indicators import registry
from shequ.plans.models import TargetKind


def _target_form(request, plan, target=None):
    initial = {}
    if target is not None:
        initial = {f: getattr(target, f) for f in TargetForm.base_fields if hasattr(target, f)}
    form = TargetForm(request.POST or None, area=plan.area, initial=initial)
    if target is not None:
        form.carry_version(target)
    posted = form_post(
        request,
        form,
        lambda _: services.target_save(
            actor=request.user, plan=plan, target=target, version=form.version, **form.service_fields()
        ),
        success="指标已保存。",
    )
    if posted:
        return redirect("plans:target_detail", pk=posted.result.pk), form
    return None, form


@login_required
def target_create(request, plan_pk: int):
    plan = selectors.plan_get(request.user, plan_pk)
    access.check(request.user, plan.org, Perm.EDIT_PLANS, area=plan.area)
    done, form = _target_form(request, plan)
    return done or render(
        request, "plans/form.html", {"form": form, "title": f"为“{plan.title}”添加指标", "plan": plan}
    )


@login_required
def target_edit(request, pk: int):
    target = selectors.target_get(request.user, pk)
    access.check(request.user, target.plan.org, Perm.EDIT_PLANS, area=target.plan.area)
    done, form = _target_form(request, target.plan, target)
    return done or render(
        request, "plans/form.html", {"form": form, "title": f"编辑指标“{target.title}”", "plan": target.plan}
    )


@login_required
@require_POST
def target_delete(request, pk: int):
    target = selectors.target_get(request.user, pk)
    plan_pk = target.plan_id
    if request.POST.get("confirm") != "1":
        messages.error(request, "请勾选“确认删除”后再删除指标。")
        return redirect("plans:target_detail", pk=pk)
    deleted = action_post(
        request, lambda: services.target_delete(actor=request.user, target=target), success="指标已删除。"
    )
    return redirect("plans:detail", pk=plan_pk) if deleted else redirect("plans:target_detail", pk=pk)


@login_required
def rate_entry_file(request, pk: int):
    """The evidence file of an entered value, for those who see its target: always a download."""
    entry = selectors.rate_entry_file_get(request.user, pk)
    return uploads.serve(entry.file, name=entry.file_name or f"佐证材料{entry.pk}", inline_images=False)


@login_required
def target_detail(request, pk: int):
    target = selectors.target_get(request.user, pk)
    result = compliance.evaluate([target])[target.pk]
    form = None
    can_edit = access.can(request.user, target.plan.org, Perm.EDIT_PLANS, area=target.plan.area)
    if target.kind in (TargetKind.RATE, TargetKind.CHANGE) and can_edit:
        form = RateEntryForm(request.POST or None, request.FILES or None)
        if form_post(
            request,
            form,
            lambda d: services.rate_entry_add(
                actor=request.user,
                target=target,
                value=d["value"],
                measured_on=d["measured_on"],
                evidence=d["evidence"],
                upload=d["file"],
            ),
            success="数值已录入（已记入审计日志）。",
        ):
            return redirect("plans:target_detail", pk=target.pk)
    indicator = registry.get(target.indicator) if target.kind == TargetKind.INDICATOR else None
    sides = indicator.sides(target.population) if indicator else (None, None)
    return render(
        request,
        "plans/target_detail.html",
        {
            "target": target,
            "result": result,
            "indicator": indicator,
            "population": indicator.population(target.population) if indicator else None,
            "figure": result.figure,
            "numerator_label": sides[0].label if sides[0] else "",
            "numerator_text": fmt(result.figure.numerator) if result.figure else "",
            "denominator_text": fmt(result.figure.denominator) if result.figure else "",
            "denominator_label": sides[1].label if sides[1] else "",
            "entries": list(target.entries.select_related("entered_by")),
            "form": form,
            "can_edit": can_edit,
            "counts_records": bool(target.activity_codes),
        },
    )


@login_required
def target_records(request, pk: int):
    """The records behind a target (or one of its periods): the drill-down of every compliance cell."""
    target = selectors.target_get(request.user, pk)
    start, end = parse_date(request.GET.get("from") or ""), parse_date(request.GET.get("to") or "")
    qs = selectors.target_records(request.user, target, start=start, end=end)
    return render(
        request,
        "plans/target_records.html",
        {"target": target, "page": paginate(request, qs), "start": start, "end": end},
    )
