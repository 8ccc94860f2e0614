from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shequ.accounts import access
from shequ.accounts.auditlog.selectors import audit_list
from shequ.accounts.roles import Perm
from shequ.core.paging import paginate


class AuditFilter(forms.Form):
    action = forms.CharField(label="操作", required=False)
    who = forms.CharField(label="操作人", required=False)
    success = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), ("1", "成功"), ("0", "失败/拒绝")])
    since = forms.DateField(label="起", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="止", required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def audit_log(request):
    if not (request.user.is_superuser or access.can_anywhere(request.user, Perm.VIEW_AUDIT)):
        raise access.PermissionDenied("您没有查看审计日志的权限。")
    form = AuditFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, audit_list(request.user, **{k: v for k, v in filters.items() if v}))
    template = "audit/partials/rows.html" if request.htmx else "audit/list.html"
    return render(request, template, {"form": form, "page": page})
