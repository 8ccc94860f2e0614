from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.core.paging import paginate
from shequ.residents import selectors, services
from shequ.residents.forms import HouseholdForm, MoveForm
from shequ.residents.views.common import can_register, form_orgs

HOUSEHOLD_FIELDS = ["number", "grid", "estate", "building", "unit_no", "room", "village_group", "house_no", "notes"]


@login_required
def household_list(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看居民档案的权限。")
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.household_list(request.user, q=q))
    return render(
        request,
        "residents/household_list.html",
        {"page": page, "q": q, "can_edit": can_register(request.user)},
    )


@login_required
def household_detail(request, pk: int):
    household = selectors.household_get(request.user, pk)
    members = selectors.household_members(request.user, household)
    return render(
        request,
        "residents/household_detail.html",
        {
            "household": household,
            "members": members,
            "panels": selectors.person_panels(request.user, members),
            "can_edit": access.can(request.user, household.org, Perm.EDIT_RESIDENTS),
        },
    )


@login_required
def household_create(request):
    communities, grids = form_orgs(request.user)
    if not communities.exists():
        raise PermissionDenied("您没有建户的权限。")
    form = HouseholdForm(request.POST or None, communities=communities, grids=grids)
    posted = form_post(
        request,
        form,
        lambda d: services.household_create(actor=request.user, org=d["org"], **{k: d[k] for k in HOUSEHOLD_FIELDS}),
        success=lambda household: f"已建户“{household.number}”。",
    )
    if posted:
        return redirect("residents:household", pk=posted.result.pk)
    return render(request, "residents/person_form.html", {"form": form, "title": "新建户"})


@login_required
def household_edit(request, pk: int):
    household = selectors.household_get(request.user, pk)
    access.check(request.user, household.org, Perm.EDIT_RESIDENTS)
    _communities, grids = form_orgs(request.user)
    form = HouseholdForm(
        request.POST or None,
        instance=household,
        communities=_communities,
        grids=grids.filter(parent=household.org),
        editing=True,
    )
    form.carry_version(household)

    def save(d):
        household.refresh_from_db()
        return services.household_update(
            actor=request.user, household=household, version=form.version, **{k: d[k] for k in HOUSEHOLD_FIELDS}
        )

    if form_post(request, form, save, success="已保存。"):
        return redirect("residents:household", pk=household.pk)
    return render(request, "residents/person_form.html", {"form": form, "title": f"修改户“{household.number}”"})


@login_required
def household_move(request, pk: int):
    household = selectors.household_get(request.user, pk)
    access.check(request.user, household.org, Perm.EDIT_RESIDENTS)
    communities = selectors.communities_for(request.user, Perm.VIEW).exclude(pk=household.org_id)
    form = MoveForm(request.POST or None, communities=communities, initial={"moved_on": timezone.localdate()})
    if form_post(
        request,
        form,
        lambda d: services.household_move(actor=request.user, household=household, **d),
        success=lambda _: f"已将户“{household.number}”整户迁往{form.cleaned_data['to_org'].name}。",
    ):
        return redirect("residents:households")
    return render(request, "residents/person_form.html", {"form": form, "title": f"整户迁移“{household.number}”"})
