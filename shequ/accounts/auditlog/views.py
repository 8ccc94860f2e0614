from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.auditlog.selectors import audit_list
from shequ.accounts.roles import Perm
from shequ.audit.models import action_labels
from shequ.core.paging import paginate
from shequ.orgs.fields import OrgPathChoiceField
from shequ.orgs.models import Org


def _object_types() -> list[tuple[str, str]]:
    """The kinds of object the log names, by their Chinese names."""
    shequ_models = [m for m in apps.get_models() if m.__module__.startswith("shequ.")]
    return sorted(((m._meta.label_lower, str(m._meta.verbose_name)) for m in shequ_models), key=lambda c: c[1])


class AuditFilter(forms.Form):
    """The log's filters: the action by its Chinese name, the person, the org, the object and the dates."""

    action = forms.ChoiceField(label="操作", required=False)
    who = forms.CharField(label="操作人", required=False, help_text="姓名或用户名")
    org = OrgPathChoiceField(label="组织（含下级）", queryset=Org.objects.none(), required=False, empty_label="全部")
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object_id = forms.IntegerField(label="对象编号", required=False, min_value=1)
    success = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), ("1", "成功"), ("0", "失败/拒绝")])
    since = forms.DateField(label="起", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="止", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        labels = sorted(action_labels().items(), key=lambda item: item[1])
        self.fields["action"].choices = [("", "全部操作"), *labels]
        self.fields["object_type"].choices = [("", "全部"), *_object_types()]
        self.fields["org"].queryset = orgs


@login_required
def audit_log(request):
    if not (request.user.is_superuser or access.can_anywhere(request.user, Perm.VIEW_AUDIT)):
        raise access.PermissionDenied("您没有查看审计日志的权限。")
    orgs = Org.objects.visible_to(request.user, Perm.VIEW_AUDIT).order_by("path")
    form = AuditFilter(request.GET or None, orgs=orgs)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, audit_list(request.user, **{k: v for k, v in filters.items() if v}))
    template = "audit/partials/rows.html" if request.htmx else "audit/list.html"
    # The same rows as a ledger (审计日志台账) for the chosen org (or the top of the reader's scope) and year.
    export_org = filters.get("org") or orgs.first()
    export_year = (filters.get("since") or timezone.localdate()).year
    query = request.GET.copy()
    for name in ("org", "page", "object_type", "object_id"):
        query.pop(name, None)
    context = {"form": form, "page": page, "export_org": export_org, "export_year": export_year}
    return render(request, template, {**context, "query": query.urlencode()})
