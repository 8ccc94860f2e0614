from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from shequ.orgs.fields import OrgPathChoiceField
from shequ.residents.models import Person
from shequ.residents.widgets import PersonPicker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GroupForm(forms.Form):
    org = OrgPathChoiceField(label="单位", queryset=None, empty_label=None)
    area = forms.ModelChoiceField(label="条线", queryset=None, empty_label=None)
    kind = forms.ModelChoiceField(label="类型", queryset=None, empty_label=None)
    name = forms.CharField(label="名称", max_length=100, help_text="如：健康教育领导小组")
    founded_on = forms.DateField(label="成立日期", widget=DATE)
    term_start = forms.DateField(label="本届任期开始", widget=DATE)
    term_end = forms.DateField(label="本届任期结束", widget=DATE)
    duties = forms.CharField(label="职责", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    rules = forms.CharField(
        label="会议制度", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="如：每半年至少召开一次"
    )

    def __init__(self, *args, orgs, areas, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["area"].queryset = areas
        self.fields["kind"].queryset = kinds


class GroupEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    duties = forms.CharField(label="职责", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    rules = forms.CharField(label="会议制度", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    dissolved_on = forms.DateField(label="撤销日期", widget=DATE, required=False, help_text="仍在运行的请留空")


class TermForm(forms.Form):
    start = forms.DateField(label="新一届任期开始", widget=DATE)
    end = forms.DateField(label="任期结束", widget=DATE)


class MemberForm(forms.Form):
    """A member: a resident of the registry (searched) or a staff account, with their role and category."""

    person = forms.ModelChoiceField(
        label="居民（居民档案）",
        queryset=Person.objects.none(),
        required=False,
        widget=PersonPicker(),
        error_messages={"invalid_choice": "所选居民不在您的管辖范围内。"},
    )
    user = forms.ModelChoiceField(label="或：工作人员", queryset=None, required=False, empty_label="（不选）")
    role = forms.ChoiceField(label="职务")
    category = forms.ChoiceField(label="类别", required=False)
    unit = forms.CharField(label="工作单位及职务", max_length=100, required=False, help_text="如：社区卫生服务中心主任")
    joined_on = forms.DateField(label="加入日期", widget=DATE)

    def __init__(self, *args, group, persons, staff, **kwargs):
        super().__init__(*args, **kwargs)
        kind = group.kind
        self.fields["person"].queryset = persons
        self.fields["person"].widget.queryset = persons
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda u: u.display_name
        self.fields["role"].choices = [(r, r) for r in kind.roles]
        if kind.categories:
            self.fields["category"].choices = [("", "请选择"), *((c, c) for c in kind.categories)]
            self.fields["category"].required = True
        else:
            del self.fields["category"]

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("user")):
            raise ValidationError("请选择一位居民或一名工作人员（二者选一）。")
        return data


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="退出日期", widget=DATE)
    note = forms.CharField(label="退出原因", max_length=100, required=False, help_text="如：换届、迁出、工作调动")
