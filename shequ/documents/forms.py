from __future__ import annotations

from django import forms

from shequ.documents.models import DocKind
from shequ.orgs.models import Area, Org

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionForm(forms.Form):
    adopted_on = forms.DateField(label="制定/通过日期", widget=DATE)
    review_on = forms.DateField(label="下次修订日期", widget=DATE, required=False, help_text="到期前30天起提醒")
    number = forms.CharField(label="文号", max_length=60, required=False)
    summary = forms.CharField(label="主要内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(label="文件", help_text="Word、PDF、WPS文档或图片，不超过30MB")


class DocumentForm(VersionForm):
    org = forms.ModelChoiceField(label="单位", queryset=Org.objects.none(), empty_label=None)
    area = forms.ModelChoiceField(label="条线", queryset=Area.objects.none(), empty_label="请选择")
    kind = forms.ChoiceField(label="类别", choices=[("", "请选择"), *DocKind.choices])
    title = forms.CharField(label="名称", max_length=200)

    field_order = ["org", "area", "kind", "title", "number", "adopted_on", "review_on", "summary", "file"]

    def __init__(self, *args, orgs, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["area"].queryset = areas
