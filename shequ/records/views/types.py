"""Activity types: the list and the administrator's form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.records import extra, services
from shequ.records.forms import ActivityTypeForm
from shequ.records.models import ActivityType


@login_required
def type_list(request):
    types = ActivityType.objects.select_related("area").order_by("area__sort", "sort", "id")
    groups: dict = {}
    for t in types:
        groups.setdefault(t.area, []).append(t)
    return render(
        request,
        "records/type_list.html",
        {"groups": groups, "can_manage": access.can_anywhere(request.user, Perm.MANAGE_AREAS)},
    )


@login_required
def type_edit(request, pk: int | None = None):
    if not access.can_anywhere(request.user, Perm.MANAGE_AREAS):
        raise PermissionDenied("只有系统管理员可以维护活动类型。")
    import json

    t = get_object_or_404(ActivityType.objects.select_related("area"), pk=pk) if pk else None
    initial = {}
    if t is not None:
        initial = {
            "area": t.area_id,
            "code": t.code,
            "name": t.name,
            "description": t.description,
            "sort": t.sort,
            "is_active": t.is_active,
            "extra_fields": json.dumps(t.extra_fields, ensure_ascii=False, indent=2),
        }
    form = ActivityTypeForm(request.POST or None, initial=initial or {"is_active": True, "extra_fields": "[]"})
    if t is not None:
        form.fields["area"].disabled = True
        form.fields["code"].disabled = True

    def save(d):
        if t is None:
            return services.activity_type_create(
                actor=request.user,
                area=d["area"],
                code=d["code"],
                name=d["name"],
                description=d["description"],
                extra_fields_schema=d["extra_fields"],
                sort=d["sort"],
            )
        return services.activity_type_update(
            actor=request.user,
            activity_type=t,
            name=d["name"],
            description=d["description"],
            extra_fields_schema=d["extra_fields"],
            sort=d["sort"],
            is_active=d["is_active"],
        )

    if form_post(request, form, save, success="已保存。"):
        return redirect("records:types")
    return render(
        request, "records/type_form.html", {"form": form, "activity_type": t, "extra_kinds": extra.KINDS.items()}
    )
