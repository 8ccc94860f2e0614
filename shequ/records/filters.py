"""The record list's one filter definition: the list page, its htmx refresh and ``GET /api/records/``.

``org``, ``area``, ``type``, ``year``, ``date_from``, ``date_to`` and ``q`` are also the drill-down links of other
pages (a plan's target, the ledgers page, the workbench)."""

from __future__ import annotations

import django_filters
from django import forms

from shequ.core.filters import ActorFilterSet, ChoiceFilter, IntegerFilter, SubtreeFilter
from shequ.orgs.models import Area
from shequ.records import selectors
from shequ.records.models import ActivityType, Record

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordFilter(ActorFilterSet):
    org = SubtreeFilter(field_name="org_id", label="单位")
    area = ChoiceFilter(label="条线", method="filter_area")
    type = ChoiceFilter(field_name="activity_type_id", label="类型")
    year = IntegerFilter(
        label="年度",
        min_value=1990,
        max_value=2100,
        widget=forms.Select,
        error_messages={"min_value": "年度应在1990年至2100年之间。", "max_value": "年度应在1990年至2100年之间。"},
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="起", widget=DATE)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="止", widget=DATE)
    q = django_filters.CharFilter(field_name="title", lookup_expr="contains", label="主题含", max_length=50)

    class Meta:
        model = Record
        fields: list[str] = []

    def setup(self) -> None:
        self._area_ids: dict[str, int] = {}

        def areas():
            rows = list(Area.objects.filter(is_active=True).order_by("sort", "id").values_list("code", "name", "pk"))
            self._area_ids = {code: pk for code, _, pk in rows}
            return [(code, name) for code, name, _ in rows]

        types = ActivityType.objects.filter(is_active=True).select_related("area").order_by("area__sort", "sort", "id")
        self.choices("org", lambda: selectors.filter_orgs(self.actor).values_list("pk", "name"))
        self.choices("area", areas)
        self.choices("type", lambda: [(t.pk, f"{t.area.name} · {t.name}") for t in types])
        self.choices("year", lambda: [(y, f"{y}年") for y in selectors.year_choices()])

    def filter_area(self, qs, name, value):
        # The value was checked against the choices, which read each area's id with its code.
        return qs.filter(area_id=self._area_ids[value])
