"""Pages of a person's needs and plan: the 入户需求调查 on a phone, a need's status, and the service plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.care import selectors, selectors_person, services_needs
from shequ.care.catalogue import CATEGORY_AREAS
from shequ.care.forms_needs import AssessmentForm, NeedStatusForm, PlanForm
from shequ.care.models import Need
from shequ.core.forms import form_post
from shequ.orgs.models import Area
from shequ.residents.models import Person


def _staff_subject(request, pk: int, category: str):
    """The person under care in the group, for staff of the line of work where they live (404 / 403)."""
    subject = selectors.subject_get(request.user, pk, category, timezone.localdate())
    person = Person.objects.select_related("org").get(pk=pk)
    area = Area.objects.get(code=CATEGORY_AREAS[category])
    if not access.can(request.user, person.org, Perm.RECORD_WORK, area):
        raise PermissionDenied("您没有登记此条线需求调查和服务计划的权限。")
    return subject, person


@login_required
def assess(request, pk: int, category: str):
    subject, person = _staff_subject(request, pk, category)
    form = AssessmentForm(request.POST or None)
    posted = form_post(
        request,
        form,
        lambda d: services_needs.assessment_create(
            actor=request.user, person=person, category=category, **form.service_args()
        ),
        success=f"已登记{subject.name}的入户需求调查。",
    )
    if posted:
        return redirect("care:person", pk=pk)
    return render(request, "care/assess.html", {"form": form, "s": subject})


@login_required
@require_POST
def need_status(request, pk: int):
    need = get_object_or_404(Need.objects.visible_to(request.user).select_related("assessment__person__org"), pk=pk)
    form = NeedStatusForm(request.POST)
    form_post(
        request,
        form,
        lambda d: services_needs.need_update(actor=request.user, need=need, **d),
        success=f"已更新“{need.name}”的状态。",
    )
    return redirect("care:person", pk=need.assessment.person_id)


@login_required
def plan_edit(request, pk: int, category: str):
    subject, person = _staff_subject(request, pk, category)
    year = timezone.localdate().year
    plan = selectors_person.plans(request.user, [pk], year).get((pk, category))
    form = PlanForm(request.POST or None, plan=plan)
    posted = form_post(
        request,
        form,
        lambda d: services_needs.plan_save(
            actor=request.user, person=person, year=year, category=category, **form.service_args()
        ),
        success=f"已保存{subject.name}的{year}年服务计划。",
    )
    if posted:
        return redirect("care:person", pk=pk)
    return render(request, "care/plan_form.html", {"form": form, "s": subject, "year": year})
