"""Dashboard, dispute screening table, ledgers and time limits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.cases import ledgers, services, stats
from shequ.cases.forms import TimeLimitForm
from shequ.cases.models import CaseTimeLimit, CaseType
from shequ.cases.views.common import require_staff
from shequ.core.forms import form_post
from shequ.core.replica import stale_ok
from shequ.ledgers.declare import FORMATS
from shequ.orgs.models import Area, Org, OrgKind


def _int(value, default: int) -> int:
    return int(value) if str(value or "").isdigit() else default


@login_required
@stale_ok
def dashboard(request):
    require_staff(request)
    org = stats.focus_org(request.user, _int(request.GET.get("org"), 0))
    if org is None:
        raise PermissionDenied("您没有可查看的组织。")
    year = _int(request.GET.get("year"), timezone.localdate().year)
    data = stats.dashboard(request.user, org=org, year=year)
    up = org.parent if org.parent_id and access.can(request.user, org.parent, Perm.VIEW) else None
    return render(request, "cases/dashboard.html", {**data, "org": org, "up": up, "years": _years()})


@login_required
def screening(request):
    require_staff(request)
    org = stats.focus_org(request.user, _int(request.GET.get("org"), 0))
    if org is None:
        raise PermissionDenied("您没有可查看的组织。")
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    month = min(max(_int(request.GET.get("month"), today.month if year == today.year else 12), 1), 12)
    data = stats.screening(request.user, org=org, year=year, month=month)
    return render(request, "cases/screening.html", {**data, "years": _years(), "month_list": range(1, 13)})


def _years() -> list[int]:
    y = timezone.localdate().year
    return list(range(y, y - 5, -1))


@login_required
def ledger_index(request):
    require_staff(request)
    if not access.can_anywhere(request.user, Perm.EXPORT):
        raise PermissionDenied("您没有导出台账的权限。")
    orgs = list(
        Org.objects.visible_to(request.user, Perm.EXPORT)
        .filter(is_active=True)
        .exclude(kind=OrgKind.GRID)
        .select_related("parent")
        .order_by("path")[:500]
    )
    areas = {a.code: a for a in Area.objects.filter(code__in=[x.area for x in ledgers.LEDGERS if x.area])}
    rows = [
        {
            "org": o,
            "ledgers": [
                x if access.can(request.user, o, Perm.EXPORT, area=areas.get(x.area) if x.area else None) else None
                for x in ledgers.LEDGERS
            ],
        }
        for o in orgs
    ]
    return render(
        request,
        "cases/ledgers.html",
        {"rows": rows, "years": _years()[:2], "ledgers": ledgers.LEDGERS, "formats": FORMATS},
    )


@login_required
def limits(request):
    require_staff(request)
    orgs = Org.objects.visible_to(request.user, Perm.APPROVE_CASE).filter(is_active=True).order_by("path")
    can_set = orgs.exists()
    types = CaseType.objects.filter(is_active=True).order_by("sort")
    form = TimeLimitForm(request.POST or None, types=types, orgs=orgs) if can_set else None
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied("只有领导可以设置办理时限。")
        if form_post(request, form, lambda d: services.time_limit_set(actor=request.user, **d), success="已保存时限。"):
            return redirect("cases:limits")
    overrides = (
        CaseTimeLimit.objects.visible_to(request.user)
        .select_related("case_type", "org", "updated_by")
        .order_by("org__path", "case_type__sort")
    )
    return render(
        request,
        "cases/limits.html",
        {"types": types, "overrides": overrides, "form": form},
    )


@login_required
@require_POST
def limit_clear(request, pk: int):
    require_staff(request)
    row = get_object_or_404(CaseTimeLimit.objects.visible_to(request.user).select_related("org"), pk=pk)
    services.time_limit_clear(actor=request.user, limit=row)
    messages.success(request, "已恢复默认时限。")
    return redirect("cases:limits")
