from __future__ import annotations

from django import forms

from shequ.accounts.models import phone_validator
from shequ.cases.choices import MONITOR_CATEGORIES, OPINION_CATEGORIES
from shequ.core.forms import MultipleFileField, MultipleFileInput

MAX_PHOTOS = 6


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label="手机号",
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}),
    )


class PhoneForm(forms.Form):
    """Step one: the phone that the code goes to."""

    phone = _phone_field()


class RegisterForm(forms.Form):
    phone = _phone_field()
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    community = forms.ModelChoiceField(label="所在社区/村", queryset=None, empty_label="请选择")
    password1 = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少8位，含大写字母、小写字母、数字、符号中的至少三类",
    )
    password2 = forms.CharField(
        label="再次输入密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["community"].label_from_instance = lambda o: (
            f"{o.parent.name} · {o.name}" if o.parent_id else o.name
        )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class PostForm(forms.Form):
    """A resident's opinion, or a supervisor's report, with photos from the phone."""

    org = forms.ChoiceField(label="社区/村")
    case_type = forms.ChoiceField(label="类型", widget=forms.RadioSelect)
    category = forms.ChoiceField(label="类别")
    title = forms.CharField(label="标题", max_length=60)
    description = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)
    place = forms.CharField(label="地点", max_length=200, required=False, help_text="监督员上报请写明具体位置")
    photos = MultipleFileField(
        label="照片",
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
        help_text=f"最多{MAX_PHOTOS}张；照片会压缩并去除位置信息。",
    )
    allow_public = forms.BooleanField(
        label="同意答复后在民情民意交流栏公开（只显示姓氏，电话、证件号码、门牌号等隐去）", required=False, initial=True
    )

    def __init__(self, *args, memberships, is_monitor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = {m.org_id: m.org for m in memberships}
        self.orgs = orgs
        self.fields["org"].choices = [(pk, o.name) for pk, o in orgs.items()]
        if len(orgs) == 1:
            self.fields["org"].widget = forms.HiddenInput()
            self.fields["org"].initial = next(iter(orgs))
            self.fields["org"].required = False
        types = [("opinion", "意见建议")] + ([("monitor", "监督员上报")] if is_monitor else [])
        self.fields["case_type"].choices = types
        self.fields["case_type"].initial = "opinion"
        if len(types) == 1:
            self.fields["case_type"].widget = forms.HiddenInput()
            self.fields["case_type"].required = False
        cats = [("民情民意", [(c, c) for c in OPINION_CATEGORIES])]
        if is_monitor:
            cats.append(("监督员上报", [(c, c) for c in MONITOR_CATEGORIES]))
        self.fields["category"].choices = [("", "请选择"), *cats] if is_monitor else [("", "请选择"), *cats[0][1]]

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(f"最多上传{MAX_PHOTOS}张照片。")
        return photos

    def clean(self):
        data = super().clean()
        if not data.get("org") and len(self.orgs) == 1:
            data["org"] = next(iter(self.orgs))
        if not data.get("case_type") and len(self.fields["case_type"].choices) == 1:
            data["case_type"] = "opinion"
        kind, cat = data.get("case_type"), data.get("category")
        if kind and cat:
            allowed = MONITOR_CATEGORIES if kind == "monitor" else OPINION_CATEGORIES
            if cat not in allowed:
                self.add_error("category", "类别与类型不符。")
        if data.get("org"):
            data["org"] = self.orgs.get(int(data["org"]))
        return data


class RateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("rate", "评价"), ("reopen", "不满意，要求重新办理")], widget=forms.HiddenInput
    )
    rating = forms.TypedChoiceField(
        label="满意度",
        choices=[(i, f"{i}星") for i in range(5, 0, -1)],
        coerce=int,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "stars-input"}),
    )
    comment = forms.CharField(label="评价意见", max_length=500, required=False)
    reason = forms.CharField(label="不满意的原因", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "rate" and not data.get("rating"):
            self.add_error("rating", "请选择满意度（1到5星）。")
        if data.get("decision") == "reopen" and not (data.get("reason") or "").strip():
            self.add_error("reason", "请写明不满意的原因。")
        return data


class LinkIdForm(forms.Form):
    """Linking oneself to the registry, step one: the ID number the community registered."""

    id_number = forms.CharField(
        label="身份证号码",
        max_length=20,
        help_text="社区登记的居民身份证或港澳台居民居住证号码；验证码将发送到社区登记的手机号",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class LinkCodeForm(forms.Form):
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
