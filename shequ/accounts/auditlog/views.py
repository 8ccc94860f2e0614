from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.auditlog.filters import AuditFilter, audit_orgs
from shequ.accounts.auditlog.selectors import audit_list
from shequ.accounts.roles import Perm
from shequ.core.paging import paginate


@login_required
def audit_log(request):
    if not (request.user.is_superuser or access.can_anywhere(request.user, Perm.VIEW_AUDIT)):
        raise access.PermissionDenied("您没有查看审计日志的权限。")
    flt = AuditFilter(request.GET, queryset=audit_list(request.user), actor=request.user)
    page = paginate(request, flt.rows)
    template = "audit/partials/rows.html" if request.htmx else "audit/list.html"
    # The same rows as a ledger (审计日志台账) for the chosen org (or the top of the reader's scope) and year.
    org_id = flt.value("org")
    orgs = audit_orgs(request.user)
    export_org = (orgs.filter(pk=org_id) if org_id else orgs).first()
    export_year = flt.value("since", timezone.localdate()).year
    query = request.GET.copy()
    for name in ("org", "page", "object_type", "object_id"):
        query.pop(name, None)
    context = {"form": flt.form, "page": page, "export_org": export_org, "export_year": export_year}
    return render(request, template, {**context, "query": query.urlencode()})
