"""The submissions list's one filter definition."""

from __future__ import annotations

from django import forms

from shequ.core.filters import ActorFilterSet, ChoiceFilter, IntegerFilter, SubtreeFilter
from shequ.reports.models import ReportForm, State, Submission


class SubmissionFilter(ActorFilterSet):
    state = ChoiceFilter(label="状态", choices=[("", "全部"), *State.choices])
    form = ChoiceFilter(label="报表", field_name="form__code")
    org = SubtreeFilter(label="报送单位", field_name="org_id")
    year = IntegerFilter(
        label="年度",
        field_name="year",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput,
        error_messages={"min_value": "年度应在2000年至2100年之间。", "max_value": "年度应在2000年至2100年之间。"},
    )

    class Meta:
        model = Submission
        fields: list[str] = []

    def setup(self) -> None:
        self.choices("form", lambda: ReportForm.objects.filter(is_active=True).values_list("code", "name"))
