"""Forms of care: a visit on a phone (kind, date, what was done, photos, the person's confirmation), a helper pair,
its ending, and a schedule row."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from shequ.care.catalogue import CONFIRM_CHOICES
from shequ.care.models import Category, Unit
from shequ.core.forms import MultipleFileField, MultipleFileInput
from shequ.records.catalogue import CARE_ITEMS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.Form):
    activity_type = forms.ChoiceField(label="服务类型")
    date = forms.DateField(label="走访日期", widget=DATE)
    care_way = forms.ChoiceField(
        label="服务方式", choices=[(c, c) for c in ("上门服务", "集中服务", "电话随访", "其他")], initial="上门服务"
    )
    care_items = forms.MultipleChoiceField(
        label="服务项目", choices=[(c, c) for c in CARE_ITEMS], required=False, widget=forms.CheckboxSelectMultiple
    )
    content = forms.CharField(
        label="服务内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="做了什么、了解到的情况、下一步",
    )
    photos = MultipleFileField(
        label="现场照片",
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text="用手机摄像头拍摄，或从相册选择",
    )
    confirmation = forms.ChoiceField(label="服务对象确认", choices=[(c, c) for c in CONFIRM_CHOICES])
    confirmer = forms.CharField(label="确认人", max_length=50, required=False, help_text="本人或监护人姓名")

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {str(t.pk): t for t in types}
        self.fields["activity_type"].choices = [(str(t.pk), t.name) for t in types]
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        d = self.cleaned_data["date"]
        if d > timezone.localdate():
            raise forms.ValidationError("走访日期不能晚于今天。")
        return d

    def clean(self):
        d = super().clean()
        if d.get("confirmation") and d["confirmation"] != "未能确认" and not (d.get("confirmer") or "").strip():
            self.add_error("confirmer", "请填写确认人（本人或监护人）。")
        return d

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {
            "activity_type": self.types[d["activity_type"]],
            "date": d["date"],
            "content": d["content"],
            "care_items": d["care_items"],
            "care_way": d["care_way"],
            "confirmation": d["confirmation"],
            "confirmer": d["confirmer"],
            "photos": d["photos"],
        }


class PairForm(forms.Form):
    category = forms.ChoiceField(label="人群类别")
    helper = forms.ChoiceField(label="帮扶人", help_text="本社区的工作人员或志愿者账号")
    started_on = forms.DateField(label="结对日期", widget=DATE)
    note = forms.CharField(label="帮扶内容", max_length=200, required=False)

    def __init__(self, *args, categories, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        self.helpers = {str(u.pk): u for u in helpers}
        self.fields["category"].choices = [(c, dict(Category.choices)[c]) for c in categories]
        self.fields["helper"].choices = [("", "请选择")] + [(str(u.pk), u.name or u.username) for u in helpers]
        self.fields["started_on"].initial = timezone.localdate()

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {
            "category": d["category"],
            "helper": self.helpers[d["helper"]],
            "started_on": d["started_on"],
            "note": d["note"],
        }


class PairEndForm(forms.Form):
    ended_on = forms.DateField(label="解除日期", widget=DATE)
    reason = forms.CharField(label="解除原因", max_length=200, required=False)


class ScheduleForm(forms.Form):
    category = forms.ChoiceField(label="人群类别", choices=Category.choices)
    level = forms.CharField(
        label="等级", max_length=2, required=False, help_text="残疾等级1–4或风险等级0–5；留空为该人群默认"
    )
    every = forms.IntegerField(label="每几", min_value=1, max_value=26)
    unit = forms.ChoiceField(label="周期单位", choices=Unit.choices)
    remind_days = forms.IntegerField(label="提前提醒天数", min_value=0, max_value=90)
    note = forms.CharField(label="依据/说明", max_length=200, required=False)
