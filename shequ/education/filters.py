"""The course list's one filter definition."""

from __future__ import annotations

from django import forms

from shequ.core.filters import ActorFilterSet, ChoiceFilter, IntegerFilter, SubtreeFilter
from shequ.education.models import Course, TargetGroup

YEAR_ERRORS = {"min_value": "年度应在2000年至2100年之间。", "max_value": "年度应在2000年至2100年之间。"}


class CourseFilter(ActorFilterSet):
    org = SubtreeFilter(label="办学单位", field_name="org_id")
    target_group = ChoiceFilter(label="对象类别", choices=[("", "全部"), *TargetGroup.choices])
    year = IntegerFilter(
        label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput, error_messages=YEAR_ERRORS
    )

    class Meta:
        model = Course
        fields: list[str] = []

    def setup(self) -> None:
        from shequ.education.selectors import manageable_orgs
        from shequ.orgs.models import Org

        def orgs():
            ids = set(Course.objects.visible_to(self.actor).values_list("org_id", flat=True).distinct()[:200])
            ids |= set(manageable_orgs(self.actor).values_list("pk", flat=True)[:200])
            return Org.objects.filter(pk__in=ids).order_by("path").values_list("pk", "name")

        self.choices("org", orgs)
