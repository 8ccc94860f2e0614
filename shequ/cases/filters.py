"""The inbox's one filter definition: the inbox page, its htmx refresh and ``GET /api/cases/``."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from shequ.cases import selectors
from shequ.cases.choices import CaseState
from shequ.cases.models import Case, CaseType
from shequ.core.filters import ActorFilterSet, ChoiceFilter, SubtreeFilter
from shequ.orgs.models import Area, Org, OrgKind


class CaseFilter(ActorFilterSet):
    box = ChoiceFilter(label="分类", choices=[("", "全部"), *selectors.BOXES.items()], method="filter_box")
    type = ChoiceFilter(field_name="case_type__code", label="类型")
    area = ChoiceFilter(field_name="area__code", label="条线")
    state = ChoiceFilter(label="状态", choices=[("", "全部"), *CaseState.choices])
    grid = SubtreeFilter(field_name="org_id", label="网格")
    q = django_filters.CharFilter(label="标题/编号", method="filter_q", max_length=50)

    class Meta:
        model = Case
        fields: list[str] = []

    def setup(self) -> None:
        self.filters["box"].extra["widget"] = forms.HiddenInput
        self.choices("type", lambda: CaseType.objects.filter(is_active=True).values_list("code", "name"))
        self.choices("area", lambda: Area.objects.filter(is_active=True).values_list("code", "name"))
        self.choices("grid", self._grids)

    def _grids(self):
        grids = Org.objects.visible_to(self.actor).filter(kind=OrgKind.GRID, is_active=True).select_related("parent")
        return [(g.pk, f"{g.parent.name} · {g.name}" if g.parent else g.name) for g in grids.order_by("path")]

    def filter_box(self, qs, name, value):
        return qs.filter(selectors.box_q(self.actor, value))

    def filter_q(self, qs, name, value):
        """The title, or the case's code (its number after the last dash: 2025-000123)."""
        tail = value.rsplit("-", 1)[-1]
        cond = Q(title__icontains=value)
        if tail.isdigit() and len(tail) < 10:
            cond |= Q(pk=int(tail))
        return qs.filter(cond)
