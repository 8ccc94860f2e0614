"""Plan pages: list, create, detail, edit, status, attachments, export; templates and adoption."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core import uploads
from shequ.core.forms import action_post, form_post
from shequ.core.paging import paginate
from shequ.orgs.models import Area, Org
from shequ.plans import compliance, selectors, services
from shequ.plans.forms import AdoptForm, AttachmentForm, PlanEditForm, PlanForm, StatusForm
from shequ.plans.models import PlanStatus
from shequ.plans.views.common import year_param


@login_required
def plan_list(request):
    year = request.GET.get("year", "")
    area = request.GET.get("area", "")
    qs = selectors.plan_list(
        request.user, year=int(year) if year.isdigit() else None, area=area, status=request.GET.get("status", "")
    )
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": paginate(request, qs),
            "areas": Area.objects.filter(is_active=True),
            "statuses": PlanStatus.choices,
            "year": year,
            "area": area,
            "can_create": access.can_anywhere(request.user, Perm.EDIT_PLANS),
        },
    )


@login_required
def plan_create(request):
    orgs = Org.objects.visible_to(request.user, Perm.EDIT_PLANS).filter(is_active=True).order_by("path")
    initial = {"year": year_param(request)}
    if getattr(request, "membership", None):
        initial["org"] = request.membership.org_id
    form = PlanForm(request.POST or None, orgs=orgs, initial=initial)
    posted = form_post(
        request, form, lambda d: services.plan_create(actor=request.user, **d), success="已新建计划，请添加指标。"
    )
    if posted:
        return redirect("plans:detail", pk=posted.result.pk)
    return render(request, "plans/form.html", {"form": form, "title": "新建年度计划"})


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    targets = selectors.plan_targets(plan)
    results = compliance.evaluate(targets)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "rows": [results[t.pk] for t in targets],
            "tasks": selectors.plan_tasks(plan),
            "attachments": list(plan.attachments.all()),
            "changes": services.template_changes(plan) if plan.template_id else [],
            "can_edit": access.can(request.user, plan.org, Perm.EDIT_PLANS, area=plan.area),
            "can_export": access.can(request.user, plan.org, Perm.EXPORT, area=plan.area),
            "can_tasks": access.can(request.user, plan.org, Perm.MANAGE_TASKS),
            "can_publish": plan.org.kind in ("street", "district")
            and access.can(request.user, plan.org, Perm.PUBLISH_TEMPLATES),
            "statuses": PlanStatus.choices,
            "attach_form": AttachmentForm(),
        },
    )


@login_required
def plan_edit(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    access.check(request.user, plan.org, Perm.EDIT_PLANS, area=plan.area)
    form = PlanEditForm(request.POST or None, initial={"title": plan.title, "text": plan.text})
    form.carry_version(plan)
    if form_post(
        request,
        form,
        lambda d: services.plan_update(actor=request.user, plan=plan, version=form.version, **d),
        success="已保存。",
    ):
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/form.html", {"form": form, "title": f"编辑“{plan.title}”", "plan": plan})


def _run(request, fn, ok: str, **kwargs):
    return action_post(request, lambda: fn(actor=request.user, **kwargs), success=ok).result


@login_required
@require_POST
def plan_status(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        label = PlanStatus(form.cleaned_data["status"]).label
        _run(request, services.plan_set_status, f"计划已设为“{label}”。", plan=plan, status=form.cleaned_data["status"])
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_attach(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            services.plan_attach,
            "附件已上传。",
            plan=plan,
            upload=form.cleaned_data["file"],
            name=form.cleaned_data["name"],
        )
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect("plans:detail", pk=plan.pk)


@login_required
def attachment_file(request, pk: int):
    """A plan's attachment, for those who see the plan: always a download, never shown in the browser."""
    att = selectors.attachment_get(request.user, pk)
    return uploads.serve(att.file, name=att.name, inline_images=False)


@login_required
@require_POST
def plan_publish(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    template = _run(request, services.template_publish, "已发布为下级单位可采用的模板。", plan=plan)
    return redirect("plans:template_detail", pk=template.pk) if template else redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_template_change(request, pk: int):
    plan = selectors.plan_get(request.user, pk)
    _run(
        request, services.template_change_apply, "已采用模板的这项更改。", plan=plan, code=request.POST.get("code", "")
    )
    return redirect("plans:detail", pk=plan.pk)


@login_required
def template_list(request):
    return render(request, "plans/template_list.html", {"templates": selectors.template_list(request.user)})


@login_required
def template_detail(request, pk: int):
    template = selectors.template_get(request.user, pk)
    orgs = selectors.adoptable_orgs(request.user, template)
    initial = {"year": year_param(request)}
    if getattr(request, "membership", None):
        initial["org"] = request.membership.org_id
    form = AdoptForm(request.POST or None, orgs=orgs, initial=initial)
    posted = form_post(
        request,
        form,
        lambda d: services.template_adopt(actor=request.user, template=template, **d),
        success=lambda plan: f"已采用模板，生成{plan.year}年度计划（草稿），请按本单位实际调整指标。",
    )
    if posted:
        return redirect("plans:detail", pk=posted.result.pk)
    return render(
        request,
        "plans/template_detail.html",
        {"template": template, "targets": list(template.targets.all()), "form": form, "can_adopt": orgs.exists()},
    )
