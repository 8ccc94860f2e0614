from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from shequ.groups.models import Presence
from shequ.orgs.fields import OrgPathChoiceField
from shequ.records.forms import RecordForm
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


def _presence(label: str, initial: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Presence.choices,
        initial=initial,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择出席、请假或缺席。"},
    )


def _signin_label(who) -> str:
    """A member as 姓名（职务）; a staff account by its name."""
    role = getattr(who, "role", "")
    name = getattr(who, "name", "") or getattr(who, "username", "")
    return f"{name}（{role}）" if role else name


def parse_guests(text: str) -> list[tuple[str, str]]:
    """Guests one a line: 姓名，单位及职务 (a comma of either width)."""
    guests = []
    for line in text.splitlines():
        name, _sep, unit = line.replace(",", "，").partition("，")
        if name.strip():
            guests.append((name, unit))
    return guests


class MeetingForm(forms.Form):
    """A meeting: the record's own fields, the agenda, the sign-in of each member in office (``att_<id>``),
    guests, minutes, and the photos and files through the records form's own fields."""

    activity_type = forms.ModelChoiceField(label="会议类型", queryset=None, empty_label=None)
    date = forms.DateField(label="日期", widget=DATE)
    title = forms.CharField(label="会议名称", max_length=200)
    place = forms.CharField(label="地点", max_length=200, required=False)
    host = forms.CharField(label="主持人", max_length=50, required=False)
    recorder = forms.CharField(label="记录人", max_length=50, required=False)
    agenda = forms.CharField(
        label="议题", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="每行一项"
    )
    guests = forms.CharField(
        label="列席人员",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="每行一人：姓名，单位及职务",
    )
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    photos = RecordForm.base_fields["photos"]
    photo_files = RecordForm.base_fields["photo_files"]
    attachments = RecordForm.base_fields["attachments"]

    def __init__(self, *args, types, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = types
        self.members = members  # a group's members in office, or an org's staff accounts
        for m in members:
            self.fields[f"att_{m.pk}"] = _presence(_signin_label(m), Presence.PRESENT)

    def clean_date(self):
        d = self.cleaned_data["date"]
        if d > timezone.localdate():
            raise ValidationError("会议日期不能晚于今天。")
        return d

    @property
    def sign_in_fields(self):
        return [self[f"att_{m.pk}"] for m in self.members]

    @property
    def main_fields(self):
        return [self[n] for n in ("activity_type", "date", "title", "place", "host", "recorder", "agenda")]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        guests = parse_guests(d["guests"])
        return {
            "activity_type": d["activity_type"],
            "date": d["date"],
            "title": d["title"],
            "place": d["place"],
            "host": d["host"],
            "recorder": d["recorder"],
            "minutes": d["minutes"],
            "agenda": d["agenda"].splitlines(),
            "guests": guests,
            "attendance": {m.pk: d.get(f"att_{m.pk}") for m in self.members},
            "photos": [*d["photos"], *d["photo_files"]],
            "attachments": d["attachments"],
        }


class SigninForm(forms.Form):
    """The saved sign-in of a meeting, edited: each row's status (``att_<row id>``) and the guests."""

    guests = forms.CharField(
        label="列席人员",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="每行一人：姓名，单位及职务",
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for a in rows:
            label = _signin_label(a.member) if a.member_id else _signin_label(a.user)
            self.fields[f"att_{a.pk}"] = _presence(label, a.status)

    @property
    def sign_in_fields(self):
        return [self[f"att_{a.pk}"] for a in self.rows]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"attendance": {a.pk: d.get(f"att_{a.pk}") for a in self.rows}, "guests": parse_guests(d["guests"])}


class ResolutionForm(forms.Form):
    text = forms.CharField(label="决议事项", widget=forms.Textarea(attrs={"rows": 2}))
    votes_for = forms.IntegerField(
        label="赞成", min_value=0, max_value=1000, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    votes_against = forms.IntegerField(
        label="反对", min_value=0, max_value=1000, initial=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    votes_abstain = forms.IntegerField(
        label="弃权", min_value=0, max_value=1000, initial=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class ResolutionTaskForm(forms.Form):
    title = forms.CharField(label="任务", max_length=200)
    lead_org = OrgPathChoiceField(label="牵头单位", queryset=None, required=False)
    leader_name = forms.CharField(label="分管领导", max_length=50, required=False)
    owner_name = forms.CharField(label="责任人", max_length=50)
    due = forms.DateField(label="完成时限", widget=DATE)
    description = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_org"].queryset = orgs
