"""The survey list's one filter definition: the survey page and ``GET /api/surveys/``."""

from __future__ import annotations

from django import forms

from shequ.core.filters import ActorFilterSet, ChoiceFilter, IntegerFilter, SubtreeFilter
from shequ.orgs.models import Area
from shequ.surveys.models import Survey, SurveyStatus


class SurveyFilter(ActorFilterSet):
    status = ChoiceFilter(label="状态", choices=[("", "全部"), *SurveyStatus.choices])
    org = SubtreeFilter(label="调查单位", field_name="org_id")
    area = ChoiceFilter(label="条线", field_name="area__code")
    year = IntegerFilter(
        label="年度",
        field_name="opened_on__year",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput,
        error_messages={"min_value": "年度应在2000年至2100年之间。", "max_value": "年度应在2000年至2100年之间。"},
    )

    class Meta:
        model = Survey
        fields: list[str] = []

    def setup(self) -> None:
        self.choices("area", lambda: Area.objects.filter(is_active=True).values_list("code", "name"))
