"""Forms of community education: a lecturer, a course with its sessions, enrolment at the desk, attendance."""

from __future__ import annotations

import re
from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError

from shequ.education.models import TargetGroup
from shequ.orgs.fields import OrgPathChoiceField
from shequ.residents.models import Person
from shequ.residents.widgets import PersonPicker

SESSION_LINE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s+(\d{1,2})[:：](\d{2})\s*[-—~至]\s*(\d{1,2})[:：](\d{2})\s*(.*)$"
)


def parse_sessions(text: str) -> list[tuple[date, time, time, str]]:
    """One session a line: ``2026-03-05 19:00-21:00 主题`` (the topic optional). A bad line is named by number."""
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = SESSION_LINE.match(line)
        if m is None:
            raise ValidationError(f"第{n}行“{line[:30]}”看不懂，请写成：2026-03-05 19:00-21:00 主题")
        y, mo, d, h1, m1, h2, m2, topic = m.groups()
        try:
            day = date(int(y), int(mo), int(d))
            start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
        except ValueError:
            raise ValidationError(f"第{n}行的日期或时间不存在：{line[:30]}") from None
        out.append((day, start, end, topic.strip()))
    if not out:
        raise ValidationError("请至少安排一次课。")
    return out


class LecturerForm(forms.Form):
    org = OrgPathChoiceField(label="所属单位", queryset=None, empty_label=None)
    person = forms.ModelChoiceField(
        label="居民（居民档案）",
        queryset=Person.objects.none(),
        required=False,
        widget=PersonPicker(),
        error_messages={"invalid_choice": "所选居民不在您的管辖范围内。"},
    )
    name = forms.CharField(label="或：外聘讲师姓名", max_length=50, required=False)
    unit = forms.CharField(label="工作单位及职务", max_length=100, required=False, help_text="如：区老年大学书法教师")
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    user = forms.ModelChoiceField(
        label="考勤账号", queryset=None, required=False, empty_label="（不设）",
        help_text="在“用户”中给讲师开设“授课教师”角色后，可在此选择；讲师用它在手机上为本人课程考勤。",
    )  # fmt: skip

    def __init__(self, *args, orgs, persons, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["person"].queryset = persons
        self.fields["person"].widget.queryset = persons
        self.fields["user"].queryset = accounts

    def clean(self):
        d = super().clean()
        if not d.get("person") and not (d.get("name") or "").strip():
            self.add_error("name", "请从居民档案中选择讲师，或填写外聘讲师姓名。")
        return d


class CourseForm(forms.Form):
    org = OrgPathChoiceField(label="办学单位", queryset=None, empty_label=None)
    title = forms.CharField(label="课程名称", max_length=100, help_text="如：智能手机使用班")
    target_group = forms.ChoiceField(label="对象类别", choices=TargetGroup.choices)
    teacher = forms.ModelChoiceField(label="授课教师", queryset=None, empty_label=None, help_text="讲师库中的讲师")
    place = forms.CharField(label="上课地点", max_length=100)
    capacity = forms.IntegerField(label="名额", min_value=1, max_value=1000, widget=forms.NumberInput(
        attrs={"inputmode": "numeric"}))  # fmt: skip
    hours = forms.IntegerField(label="每次课学时", min_value=1, max_value=12, initial=2)
    sessions = forms.CharField(
        label="课次安排",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一次课：日期 时间段 内容，如 2026-03-05 19:00-21:00 认识智能手机",
    )
    description = forms.CharField(label="课程简介", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    open_online = forms.BooleanField(label="居民端开放报名", required=False, initial=True)

    def __init__(self, *args, orgs, lecturers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["teacher"].queryset = lecturers

    def clean_sessions(self):
        return parse_sessions(self.cleaned_data["sessions"])


class EnrolForm(forms.Form):
    persons = forms.ModelMultipleChoiceField(
        label="学员", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请从居民档案中查找并勾选要报名的居民。",
                        "invalid_choice": "所选居民不在您的管辖范围内。"},
    )  # fmt: skip

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = persons
