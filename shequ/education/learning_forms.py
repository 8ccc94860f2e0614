"""Forms of the learning-organisation register, course resources and the funds page."""

from __future__ import annotations

from django import forms

from shequ.core.forms import MultipleFileField
from shequ.education.learning import CRITERIA
from shequ.education.learning_models import LearningKind, ResourceKind
from shequ.orgs.fields import OrgPathChoiceField


class DateInput(forms.DateInput):
    input_type = "date"


class CandidateForm(forms.Form):
    org = OrgPathChoiceField(label="所属社区", queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="类别", choices=LearningKind.choices)
    name = forms.CharField(label="名称", max_length=100, help_text="如：张建国家庭、3栋2单元楼组、幸福社区卫生服务站")
    contact = forms.CharField(label="户主/楼组长/负责人", max_length=50, required=False)
    address = forms.CharField(label="地址", max_length=100, required=False)
    listed_on = forms.DateField(label="列入名册日期", widget=DateInput())

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class EvaluationForm(forms.Form):
    """The checklist of the candidate's kind: one score per criterion, then the evidence."""

    evaluated_on = forms.DateField(label="评估日期", widget=DateInput())
    files = MultipleFileField(label="佐证材料", help_text="照片、Word、PDF等，一次最多10个，每个不超过20MB")
    record = forms.ModelChoiceField(
        label="或关联评比活动记录", queryset=None, required=False, empty_label="（不关联）",
        help_text="社区教育条线的工作记录，如本年度的学习型家庭评比活动",
    )  # fmt: skip
    note = forms.CharField(label="评语", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, kind: str, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = CRITERIA[kind]
        for n, c in enumerate(self.criteria, start=1):
            self.fields[f"score_{c.code}"] = forms.IntegerField(
                label=f"{n}. {c.text}（{c.points}分）", min_value=0, max_value=c.points,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "max": c.points, "min": 0}),
                error_messages={"required": "请打分。", "max_value": f"最多{c.points}分。",
                                "min_value": "不能为负数。"},
            )  # fmt: skip
        self.fields["record"].queryset = records
        self.order_fields(["evaluated_on", *[f"score_{c.code}" for c in self.criteria], "files", "record", "note"])

    def clean(self):
        d = super().clean()
        d["scores"] = {c.code: d.pop(f"score_{c.code}") for c in self.criteria if f"score_{c.code}" in d}
        return d


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ResourceKind.choices)
    title = forms.CharField(label="名称", max_length=100, help_text="如：第一讲讲义、太极拳二十四式示范视频")
    file = forms.FileField(label="文件", help_text="讲义、课件：PDF、Word、演示文稿；视频：MP4，不超过200MB")
