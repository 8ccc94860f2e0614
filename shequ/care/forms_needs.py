"""Forms of a person's needs and plan: the 入户需求调查表 on a phone (a status per need, 不需要 by default), a need's
new status, and the service plan of a year (a few rows of service, provider, frequency)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from shequ.care.catalogue import NEEDS, SURVEY_METHODS
from shequ.care.models import NeedStatus
from shequ.records.catalogue import CARE_ITEMS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NONE = ""
PLAN_ROWS = 6


class AssessmentForm(forms.Form):
    surveyed_on = forms.DateField(label="调查日期", widget=DATE)
    method = forms.ChoiceField(label="调查方式", choices=[(m, m) for m in SURVEY_METHODS])
    respondent = forms.CharField(label="受访人", max_length=50, required=False, help_text="本人或监护人姓名")
    notes = forms.CharField(
        label="其他需求及情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["surveyed_on"].initial = timezone.localdate()
        choices = [(NONE, "不需要"), *NeedStatus.choices]
        for code, name, _ in NEEDS:
            self.fields[f"need_{code}"] = forms.ChoiceField(label=name, choices=choices, required=False)
            self.fields[f"note_{code}"] = forms.CharField(
                label=f"{name}说明", max_length=200, required=False,
                widget=forms.TextInput(attrs={"aria-label": f"{name}说明", "placeholder": "说明（可选）"}),
            )  # fmt: skip

    def clean_surveyed_on(self):
        d = self.cleaned_data["surveyed_on"]
        if d > timezone.localdate():
            raise forms.ValidationError("调查日期不能晚于今天。")
        return d

    def need_rows(self):
        return [(self[f"need_{code}"], self[f"note_{code}"]) for code, _, _ in NEEDS]

    def service_args(self) -> dict:
        d = self.cleaned_data
        needs = {code: (d[f"need_{code}"], d[f"note_{code}"]) for code, _, _ in NEEDS if d.get(f"need_{code}")}
        return {
            "surveyed_on": d["surveyed_on"],
            "method": d["method"],
            "respondent": d["respondent"],
            "notes": d["notes"],
            "needs": needs,
        }


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=NeedStatus.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class PlanForm(forms.Form):
    goal = forms.CharField(label="服务目标", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = list(plan.items.all()) if plan is not None else []
        if plan is not None:
            self.fields["goal"].initial = plan.goal
        services = [("", "—"), *[(c, c) for c in CARE_ITEMS]]
        for n in range(PLAN_ROWS):
            item = items[n] if n < len(items) else None
            self.fields[f"service_{n}"] = forms.ChoiceField(
                label=f"服务项目{n + 1}", choices=services, required=False, initial=item.service if item else ""
            )
            self.fields[f"provider_{n}"] = forms.CharField(
                label=f"服务提供者{n + 1}", max_length=100, required=False, initial=item.provider if item else ""
            )
            self.fields[f"frequency_{n}"] = forms.CharField(
                label=f"服务频次{n + 1}", max_length=40, required=False, initial=item.frequency if item else "",
                widget=forms.TextInput(attrs={"placeholder": "如：每月1次"}),
            )  # fmt: skip

    def rows(self):
        return [(self[f"service_{n}"], self[f"provider_{n}"], self[f"frequency_{n}"]) for n in range(PLAN_ROWS)]

    def service_args(self) -> dict:
        d = self.cleaned_data
        items = [(d[f"service_{n}"], d[f"provider_{n}"], d[f"frequency_{n}"]) for n in range(PLAN_ROWS)]
        return {"goal": d["goal"], "items": items}
