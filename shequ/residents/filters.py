"""The registry list's one filter definition: the list page, its htmx refresh, ``GET /api/residents/persons``
and the roster ledger (居民花名册), which exports what the list shows."""

from __future__ import annotations

import django_filters
from django import forms

from shequ.core.filters import ActorFilterSet, ChoiceFilter, FlagFilter, SubtreeFilter
from shequ.orgs.fields import path_choices
from shequ.residents import selectors
from shequ.residents.models import HousingType, Person, ResidenceStatus
from shequ.residents.selectors import PERMIT_FILTERS, PROFILE_FILTERS


class PersonFilter(ActorFilterSet):
    auto_id = "id_%s"

    q = django_filters.CharFilter(
        label="查找",
        method="filter_q",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "姓名/拼音/首字母/证件尾号/电话/地址"}),
    )
    org = SubtreeFilter(field_name="org_id", label="社区/村")
    grid = SubtreeFilter(field_name="grid_id", label="网格")
    status = ChoiceFilter(
        field_name="residence_status", label="居住状态", choices=[("", "全部"), *ResidenceStatus.choices]
    )
    profile = ChoiceFilter(label="人群", choices=[("", "全部"), *PROFILE_FILTERS.items()], method="filter_profile")
    # The three of a floating population narrow the 流动人口 profile (with profile=floating), as its filter reads them.
    permit = ChoiceFilter(
        label="流动人口·居住证", choices=[("", "不限"), *PERMIT_FILTERS.items()], method="with_profile"
    )
    housing = ChoiceFilter(label="流动人口·住房", choices=[("", "不限"), *HousingType.choices], method="with_profile")
    employer = django_filters.CharFilter(label="流动人口·服务处所", max_length=100, method="with_profile")
    duplicates = FlagFilter(field_name="possible_duplicate", label="只看疑似重复")

    class Meta:
        model = Person
        fields: list[str] = []

    def setup(self) -> None:
        self.choices("org", lambda: path_choices(selectors.communities_for(self.actor)))
        self.choices("grid", lambda: path_choices(selectors.grids_for(self.actor).order_by("path")))

    def filter_q(self, qs, name, value):
        q = selectors.search_for(self.actor, value)
        return qs if q is None else qs.filter(q)

    def filter_profile(self, qs, name, value):
        d = self.form.cleaned_data
        return selectors.profile_filter(
            self.actor,
            qs,
            value,
            permit=d.get("permit", ""),
            housing=d.get("housing", ""),
            employer=d.get("employer", ""),
        )

    def with_profile(self, qs, name, value):
        return qs  # read by filter_profile
