"""Year closing: close a year of an org (its records become read-only) and reopen it."""

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
from shequ.orgs.models import Org
from shequ.records import selectors, services
from shequ.records.forms import YearCloseForm


@login_required
def years(request):
    closures = selectors.closures_visible(request.user).order_by("-year", "org__path")
    can_close = access.can_anywhere(request.user, Perm.CLOSE_YEAR)
    form = None
    if can_close:
        form = YearCloseForm(
            orgs=Org.objects.visible_to(request.user, Perm.CLOSE_YEAR)
            .filter(is_active=True)
            .exclude(kind="grid")
            .order_by("path"),
            years=selectors.year_choices(),
            initial={"year": timezone.localdate().year - 1},
        )
    rows = [{"closure": c, "can_reopen": access.can(request.user, c.org, Perm.REOPEN_YEAR)} for c in closures[:200]]
    return render(request, "records/years.html", {"rows": rows, "form": form, "can_close": can_close})


@login_required
@require_POST
def year_close(request):
    if not access.can_anywhere(request.user, Perm.CLOSE_YEAR):
        raise PermissionDenied("只有领导或管理员可以年度关账。")
    form = YearCloseForm(
        request.POST,
        orgs=Org.objects.visible_to(request.user, Perm.CLOSE_YEAR).filter(is_active=True),
        years=selectors.year_choices(),
    )
    if not form.is_valid():
        messages.error(request, "请选择要关账的单位和年度。")
        return redirect("records:years")
    form_post(
        request,
        form,
        lambda d: services.year_close(actor=request.user, org=d["org"], year=d["year"]),
        success=f"已关闭{form.cleaned_data['org'].name}的{form.cleaned_data['year']}年度，相关记录只读。",
        refusals=ValidationError,
    )
    return redirect("records:years")


@login_required
@require_POST
def year_reopen(request, pk: int):
    closure = selectors.closure_get(request.user, pk)
    services.year_reopen(actor=request.user, closure=closure, reason=request.POST.get("reason", ""))
    messages.success(request, f"已重新开放{closure.org.name}的{closure.year}年度。")
    return redirect("records:years")
