from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from shequ.letters.models import Holders, LetterKind
from shequ.orgs.models import Org

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SPLIT = re.compile(r"[，,、\t]+|\s{2,}")


class StartForm(forms.Form):
    """The first step of issuing: which letter, from which org (GET)."""

    kind = forms.ModelChoiceField(label="责任书", queryset=LetterKind.objects.none(), empty_label="请选择")
    issuer = forms.ModelChoiceField(label="发出单位", queryset=Org.objects.none(), empty_label="请选择")

    def __init__(self, *args, kinds, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["issuer"].queryset = issuers


def parse_people(text: str) -> list[tuple[str, str]]:
    """Lines of “姓名，年级/班级” (a comma, 、, a tab or two spaces between; the class may be left out)."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = SPLIT.split(line, maxsplit=1)
        out.append((parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""))
    return out


class IssueForm(forms.Form):
    issued_on = forms.DateField(label="发出日期", widget=DATE)
    due_on = forms.DateField(label="签订期限", widget=DATE, help_text="到期未签订的将标为逾期")
    orgs = forms.ModelMultipleChoiceField(
        label="签订单位", queryset=Org.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    people = forms.CharField(
        label="签订人员",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="每行一人：姓名，年级/班级（如：李明，三年级2班）",
    )

    def __init__(self, *args, kind: LetterKind, holder_orgs, role: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if kind.holders == Holders.ORGS:
            del self.fields["people"]
            self.fields["orgs"].queryset = holder_orgs
            self.fields["orgs"].required = True
            self.fields["orgs"].error_messages["required"] = "请选择签订责任书的单位。"
        else:
            del self.fields["orgs"]
            self.fields["people"].label = f"签订人员（{role}）"
            self.fields["people"].required = True
            self.fields["people"].error_messages["required"] = "请填写签订责任书的人员，每行一人。"

    def clean_people(self):
        rows = parse_people(self.cleaned_data.get("people", ""))
        if not rows:
            raise ValidationError("请填写签订责任书的人员，每行一人。")
        return rows


class SignForm(forms.Form):
    signer_name = forms.CharField(label="签字人", max_length=50)
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    drawn = forms.CharField(label="签名", widget=forms.HiddenInput, required=False)
    scan = forms.FileField(label="或：上传签字后的纸质责任书扫描件", required=False, help_text="图片或PDF，不超过20MB")
