from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.orgtree import selectors, services
from shequ.accounts.orgtree.forms import AreaForm, OrgEditForm, OrgForm, OrgMoveForm
from shequ.accounts.roles import Perm
from shequ.core.forms import action_post, form_post
from shequ.orgs.models import ALLOWED_PARENTS, Area, Org, OrgKind


@login_required
def org_list(request):
    show_retired = request.GET.get("retired") == "1"
    orgs = list(selectors.org_list(request.user, include_retired=show_retired))
    base_depth = min((o.depth for o in orgs), default=0)
    for o in orgs:
        o.indent = o.depth - base_depth
    return render(
        request,
        "orgs/org_list.html",
        {"orgs": orgs, "show_retired": show_retired, "can_manage": access.can_anywhere(request.user, Perm.MANAGE_ORGS)},
    )


@login_required
def org_detail(request, pk: int):
    org = selectors.org_get(request.user, pk)
    from shequ.accounts.models import Membership

    members = Membership.objects.visible_to(request.user).filter(org=org, is_active=True).select_related("user")
    return render(
        request,
        "orgs/org_detail.html",
        {
            "org": org,
            "children": selectors.org_children(request.user, org),
            "members": members,
            "can_manage": access.can(request.user, org, Perm.MANAGE_ORGS),
            # A grid worker sees their grid, not the community above it: its name, without a link.
            "parent_visible": org.parent is not None and access.can(request.user, org.parent, Perm.VIEW),
            "child_kinds": [OrgKind(k) for k, parents in ALLOWED_PARENTS.items() if org.kind in parents],
        },
    )


@login_required
def org_create(request, parent_pk: int):
    parent = selectors.org_get(request.user, parent_pk)
    access.check(request.user, parent, Perm.MANAGE_ORGS)
    form = OrgForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    posted = form_post(
        request,
        form,
        lambda d: services.org_create(actor=request.user, parent=parent, **d),
        success=lambda org: f"已新建“{org.name}”。",
    )
    if posted:
        return redirect("orgs:detail", pk=posted.result.pk)
    return render(request, "orgs/org_form.html", {"form": form, "parent": parent, "title": f"在“{parent.name}”下新建"})


@login_required
def org_edit(request, pk: int):
    org = selectors.org_get(request.user, pk)
    access.check(request.user, org, Perm.MANAGE_ORGS)
    initial = {f: getattr(org, f) for f in OrgEditForm.base_fields if f != "kind"}
    form = OrgEditForm(request.POST or None, initial=initial)
    if form_post(request, form, lambda d: services.org_update(actor=request.user, org=org, **d), success="已保存。"):
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/org_form.html", {"form": form, "org": org, "title": f"编辑“{org.name}”"})


@login_required
def org_move(request, pk: int):
    org = selectors.org_get(request.user, pk)
    access.check(request.user, org, Perm.MANAGE_ORGS)
    kinds = ALLOWED_PARENTS.get(org.kind, set()) - {None}
    parents = (
        Org.objects.visible_to(request.user, Perm.MANAGE_ORGS)
        .filter(is_active=True, kind__in=kinds)
        .exclude(path__startswith=org.path)
        .order_by("path")
    )
    form = OrgMoveForm(request.POST or None, parents=parents)
    if form_post(
        request,
        form,
        lambda d: services.org_move(actor=request.user, org=org, new_parent=d["new_parent"]),
        success=lambda _: f"已将“{org.name}”移到“{form.cleaned_data['new_parent'].name}”之下。",
    ):
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/org_form.html", {"form": form, "org": org, "title": f"迁移“{org.name}”"})


@login_required
@require_POST
def org_retire(request, pk: int):
    org = selectors.org_get(request.user, pk)
    if request.POST.get("restore") == "1":
        action_post(request, lambda: services.org_restore(actor=request.user, org=org), success=f"已恢复“{org.name}”。")
    else:
        action_post(
            request,
            lambda: services.org_retire(actor=request.user, org=org),
            success=f"已撤销“{org.name}”，历史数据保留。",
        )
    return redirect("orgs:detail", pk=org.pk)


@login_required
def area_list(request):
    return render(
        request,
        "orgs/area_list.html",
        {
            "areas": selectors.area_list(include_inactive=True),
            "can_manage": access.can_anywhere(request.user, Perm.MANAGE_AREAS),
        },
    )


@login_required
def area_edit(request, pk: int | None = None):
    if not access.can_anywhere(request.user, Perm.MANAGE_AREAS):
        raise access.PermissionDenied("只有系统管理员可以维护工作条线。")
    area = get_object_or_404(Area, pk=pk) if pk else None
    form = AreaForm(request.POST or None, instance=area)
    if area is not None:
        form.fields["code"].disabled = True

    def save(data):
        if area is None:
            return services.area_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                description=data["description"],
                sort=data["sort"] or 0,
            )
        return services.area_update(
            actor=request.user,
            area=Area.objects.get(pk=area.pk),
            name=data["name"],
            description=data["description"],
            sort=data["sort"] or 0,
            is_active=data["is_active"],
        )

    if form_post(request, form, save, success="已保存。"):
        return redirect("orgs:areas")
    return render(request, "orgs/area_form.html", {"form": form, "area": area})
