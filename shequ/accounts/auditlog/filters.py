"""The audit log's one filter definition: the log page, its htmx refresh and the audit ledger (审计日志台账)."""

from __future__ import annotations

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q

from shequ.accounts.roles import Perm
from shequ.audit.models import AuditLog, action_labels
from shequ.core.filters import ActorFilterSet, ChoiceFilter, IntegerFilter, SubtreeFilter
from shequ.orgs.fields import path_choices
from shequ.orgs.models import Org

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def object_types() -> list[tuple[str, str]]:
    """The kinds of object the log names, by their Chinese names."""
    shequ_models = [m for m in apps.get_models() if m.__module__.startswith("shequ.")]
    return sorted(((m._meta.label_lower, str(m._meta.verbose_name)) for m in shequ_models), key=lambda c: c[1])


def audit_orgs(actor):
    """The orgs whose log the actor reads, in tree order."""
    return Org.objects.visible_to(actor, Perm.VIEW_AUDIT).order_by("path")


class AuditFilter(ActorFilterSet):
    """The action by its Chinese name, the person, the org (and below), the object and the dates."""

    auto_id = "id_%s"

    action = ChoiceFilter(label="操作")
    who = django_filters.CharFilter(label="操作人", method="filter_who", max_length=50, help_text="姓名或用户名")
    org = SubtreeFilter(field_name="actor_org_id", label="组织（含下级）")
    object_type = ChoiceFilter(label="对象类型")
    object_id = IntegerFilter(label="对象编号", method="filter_object_id", min_value=1, max_value=2**31 - 1)
    success = ChoiceFilter(
        label="结果", choices=[("", "全部"), ("1", "成功"), ("0", "失败/拒绝")], method="filter_success"
    )
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="起", widget=DATE)
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="止", widget=DATE)

    class Meta:
        model = AuditLog
        fields: list[str] = []

    def setup(self) -> None:
        self.choices("action", lambda: sorted(action_labels().items(), key=lambda item: item[1]), empty="全部操作")
        self.choices("object_type", object_types)
        self.choices("org", self._orgs)

    def _orgs(self):
        return path_choices(audit_orgs(self.actor))

    def filter_who(self, qs, name, value):
        return qs.filter(Q(actor_name__contains=value) | Q(actor__username=value))

    def filter_object_id(self, qs, name, value):
        return qs.filter(object_id=str(value))

    def filter_success(self, qs, name, value):
        return qs.filter(success=value == "1")
