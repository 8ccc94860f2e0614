from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from shequ.core.forms import MultipleFileField, MultipleFileInput
from shequ.core.versioning import VersionedForm
from shequ.orgs.fields import OrgPathChoiceField
from shequ.orgs.models import Area
from shequ.records import extra as extra_fields
from shequ.records.models import ActivityType


class RecordForm(VersionedForm, forms.Form):
    """The phone-first recording form: common fields, the type's own fields (``x_…``), photos and files."""

    org = OrgPathChoiceField(label="单位", queryset=None, empty_label=None)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    title = forms.CharField(label="主题", max_length=200)
    place = forms.CharField(label="地点", max_length=200, required=False)
    organiser = forms.CharField(label="组织者", max_length=100, required=False)
    participant_count = forms.IntegerField(
        label="参加人数",
        min_value=0,
        max_value=1_000_000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    content = forms.CharField(label="活动内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    summary = forms.CharField(label="总结评价", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    persons = forms.ModelMultipleChoiceField(
        label="签到名单", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    photos = MultipleFileField(
        label="拍照",
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text="用手机摄像头拍摄现场照片",
    )
    photo_files = MultipleFileField(
        label="从相册选择照片", widget=MultipleFileInput(attrs={"accept": "image/*"}), help_text="可多选,JPG或PNG"
    )
    attachments = MultipleFileField(
        label="附件",
        widget=MultipleFileInput(
            attrs={
                "accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps,.ofd,.txt,.csv,.jpg,.jpeg,.png,.mp3,.mp4"
            }
        ),
        help_text="签到表扫描件、底稿、课件等，每个不超过20MB",
    )

    COMMON = ("org", "date", "title", "place", "organiser", "participant_count")
    TEXTS = ("content", "summary")

    def __init__(self, *args, activity_type: ActivityType, orgs, persons, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_type = activity_type
        self.record = record
        self.fields["org"].queryset = orgs
        self.fields["persons"].queryset = persons
        self.extra_names = extra_fields.add_form_fields(self, activity_type.extra_fields)
        if record is not None:
            del self.fields["org"]
            self.carry_version(record)
            self.photos_existing = list(record.photos.all())
            self.files_existing = list(record.attachments.all())
        else:
            self.photos_existing, self.files_existing = [], []
        if activity_type.area.code == "health" and activity_type.code == "board":
            self.fields["title"].label = "标题"
            self.fields["title"].help_text = "如：第5期 控烟宣传"
        elif activity_type.area.code == "health":
            self.fields["title"].label = "活动主题"
            self.fields["participant_count"].label = "接受健康教育人数"

    def clean_participant_count(self):
        return self.cleaned_data.get("participant_count") or 0

    def clean_date(self):
        d = self.cleaned_data["date"]
        if d > timezone.localdate():
            raise ValidationError("活动日期不能晚于今天。")
        return d

    @property
    def extra_bound_fields(self):
        return [self[n] for n in self.extra_names]

    @property
    def common_bound_fields(self):
        return [self[n] for n in self.COMMON if n in self.fields]

    @property
    def text_bound_fields(self):
        return [self[n] for n in self.TEXTS]

    def has_files(self) -> bool:
        return any(self.files.getlist(n) for n in ("photos", "photo_files", "attachments")) if self.files else False

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "date": d["date"],
            "title": d["title"],
            "place": d["place"],
            "organiser": d["organiser"],
            "participant_count": d["participant_count"],
            "content": d["content"],
            "summary": d["summary"],
            "extra": extra_fields.values_from_form(d, self.activity_type.extra_fields),
            "persons": list(d["persons"]),
            "photos": [*d["photos"], *d["photo_files"]],
            "attachments": d["attachments"],
        }


class YearCloseForm(forms.Form):
    org = OrgPathChoiceField(label="单位", queryset=None, empty_label=None)
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, *args, orgs, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["year"].choices = [(y, f"{y}年") for y in years]


class LedgerForm(forms.Form):
    org = OrgPathChoiceField(label="单位", queryset=None, empty_label=None)
    area = forms.ModelChoiceField(
        label="条线", queryset=Area.objects.filter(is_active=True), empty_label=None, to_field_name="code"
    )
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, *args, orgs, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["year"].choices = [(y, f"{y}年") for y in years]


class ActivityTypeForm(forms.Form):
    area = forms.ModelChoiceField(label="条线", queryset=Area.objects.all(), empty_label=None)
    code = forms.SlugField(label="代码", max_length=40, help_text="英文小写、数字、下划线或连字符，同一条线内唯一")
    name = forms.CharField(label="名称", max_length=50)
    description = forms.CharField(label="说明", max_length=200, required=False)
    sort = forms.IntegerField(label="排序", min_value=0, required=False, initial=0)
    is_active = forms.BooleanField(label="在用", required=False, initial=True)
    extra_fields = forms.CharField(
        label="附加字段（JSON）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "translate": "no"}),
        help_text="每项一个字段，写法与类型见下方示例。",
    )

    def clean_extra_fields(self):
        raw = (self.cleaned_data.get("extra_fields") or "").strip() or "[]"
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"不是有效的JSON:第{exc.lineno}行第{exc.colno}列附近有误。") from exc
        return extra_fields.validate_schema(data)

    def clean_sort(self):
        return self.cleaned_data.get("sort") or 0
