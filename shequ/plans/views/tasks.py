"""Task pages (任务) and the reminder list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.orgs.models import Org
from shequ.plans import campaigns, selectors, services
from shequ.plans.filters import TaskFilter
from shequ.plans.forms import EvidenceForm, TaskForm, TaskNoteForm, TaskStatusForm
from shequ.plans.models import Reminder, TaskStatus
from shequ.plans.views.common import org_param, year_param
from shequ.records.models import Record


@login_required
def task_list(request):
    flt = TaskFilter(TaskFilter.page_data(request.GET), queryset=selectors.task_list(request.user), actor=request.user)
    context = {"page": paginate(request, flt.rows), "flt": flt, "today": timezone.localdate()}
    if request.htmx and request.htmx.target == "task-rows":
        return render(request, "plans/partials/task_rows.html", context)
    context["can_create"] = access.can_anywhere(request.user, Perm.MANAGE_TASKS)
    return render(request, "plans/task_list.html", context)


def _task_form(request, org, task=None):
    plans = selectors.plans_visible(request.user).filter(org=org).order_by("-year")
    orgs = Org.objects.visible_to(request.user, Perm.VIEW).filter(is_active=True).order_by("path")
    initial = {"plan": request.GET.get("plan")}
    if task is not None:
        initial = {f: getattr(task, f) for f in TaskForm.base_fields if f != "partner_orgs"}
        initial["partner_orgs"] = list(task.partner_orgs.all())
    form = TaskForm(request.POST or None, plans=plans, orgs=orgs, initial=initial)
    if task is not None:
        form.carry_version(task)
    return form


@login_required
def task_create(request):
    org = org_param(request)
    access.check(request.user, org, Perm.MANAGE_TASKS)
    form = _task_form(request, org)
    posted = form_post(
        request,
        form,
        lambda d: services.task_create(actor=request.user, org=org, **d),
        success="任务已分派。",
    )
    if posted:
        return redirect("plans:task_detail", pk=posted.result.pk)
    return render(request, "plans/form.html", {"form": form, "title": f"为“{org.name}”新建任务"})


@login_required
def task_edit(request, pk: int):
    task = selectors.task_get(request.user, pk)
    access.check(request.user, task.org, Perm.MANAGE_TASKS)
    form = _task_form(request, task.org, task)
    if form_post(
        request,
        form,
        lambda d: services.task_update(
            actor=request.user, task=task, version=form.version, **{k: v for k, v in d.items() if k != "plan"}
        ),
        success="已保存。",
    ):
        return redirect("plans:task_detail", pk=task.pk)
    return render(request, "plans/form.html", {"form": form, "title": f"编辑任务“{task.title}”"})


@login_required
def task_detail(request, pk: int):
    task = selectors.task_get(request.user, pk)
    form = TaskNoteForm(request.POST or None)
    if form_post(
        request,
        form,
        lambda d: services.task_add_note(actor=request.user, task=task, text=d["text"]),
        success="进展已记录。",
    ):
        return redirect("plans:task_detail", pk=task.pk)
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            **selectors.task_detail_lists(request.user, task),
            "form": form,
            "status_form": TaskStatusForm(initial={"status": task.status}),
            "evidence_form": EvidenceForm(),
            "can_manage": access.can(request.user, task.org, Perm.MANAGE_TASKS),
            # A task may belong to a plan of a line of work the reader does not see: its title, without a link.
            "plan_visible": task.plan is not None
            and access.can(request.user, task.plan.org, Perm.VIEW, task.plan.area_id),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def task_status(request, pk: int):
    task = selectors.task_get(request.user, pk)
    form = TaskStatusForm(request.POST)
    form_post(
        request,
        form,
        lambda d: services.task_set_status(actor=request.user, task=task, **d),
        success=lambda _: f"任务已设为“{TaskStatus(form.cleaned_data['status']).label}”。",
        refusals=ValidationError,
    )
    return redirect("plans:task_detail", pk=task.pk)


@login_required
@require_POST
def task_evidence(request, pk: int):
    task = selectors.task_get(request.user, pk)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        record = (
            Record.objects.visible_to(request.user).select_related("org").filter(pk=form.cleaned_data["record"]).first()
        )
        if record is None:
            messages.error(request, "找不到该记录（或不在您的管辖范围内）。")
        else:
            try:
                services.task_link_evidence(
                    actor=request.user, task=task, record=record, remove=form.cleaned_data["remove"]
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, ";".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, "佐证记录已更新。")
    return redirect("plans:task_detail", pk=task.pk)


@login_required
def reminder_list(request):
    return render(request, "plans/reminders.html", {"page": paginate(request, selectors.reminder_list(request.user))})


@login_required
@require_POST
def reminders_read(request):
    Reminder.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, "已全部标为已读。")
    return redirect("plans:reminders")


@login_required
def campaign_calendar(request):
    """The year's campaign days with their dates and windows, and how far the orgs in scope have got with them."""
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看宣传日的权限。")
    today = timezone.localdate()
    year = year_param(request)
    return render(
        request,
        "plans/campaigns.html",
        {
            "year": year,
            "rows": campaigns.calendar(request.user, year),
            "today": today,
            "years": list(range(today.year, today.year - 4, -1)),
        },
    )
