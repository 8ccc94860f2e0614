"""Forms of the registry: they validate input at the edge; services re-check and write."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model

from shequ.core.forms import EncryptedPhonesForm, PhoneField
from shequ.core.phones import EncryptedPhone
from shequ.core.versioning import VersionedForm
from shequ.orgs.fields import OrgPathChoiceField
from shequ.orgs.models import Org
from shequ.residents.models import (
    DisabilityNeed,
    DisabilityProfile,
    FloatingProfile,
    IdType,
    Person,
    SpecialGroupProfile,
    StaffProfile,
    SupervisorProfile,
    VolunteerProfile,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERSON_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "phone",
    "grid",
    "relation",
    "estate",
    "building",
    "unit_no",
    "room",
    "village_group",
    "house_no",
    "address_line",
    "residence_status",
    "ethnicity",
    "education",
    "occupation",
    "moved_in_on",
    "moved_out_on",
    "is_deceased",
    "deceased_on",
    "notes",
]


OrgChoiceField = OrgPathChoiceField


class PersonForm(VersionedForm, forms.Form):
    """The person form; ``org`` is asked only when the actor may register in several communities."""

    org = OrgChoiceField(label="社区/村", queryset=Org.objects.none())
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT)
    id_number = forms.CharField(label="证件号码", max_length=30, required=False)
    household_number = forms.CharField(label="户号", max_length=40, required=False, help_text="新户号会自动建户")

    def __init__(self, *args, communities, grids, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in fields_for_model(Person, fields=PERSON_FIELDS).items():
            self.fields[name] = field
        self.fields["phone"] = PhoneField("联系电话")  # kept encrypted
        self.order_fields(["org", "name", "id_type", "id_number", "gender", "birth_date", "phone", "household_number"])
        self.fields["org"].queryset = communities
        self.fields["grid"] = OrgChoiceField(label="网格", queryset=grids, required=False)
        for name in ("birth_date", "moved_in_on", "moved_out_on", "deceased_on"):
            self.fields[name].widget = DATE
        self.fields["notes"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off"})
        if editing:
            del self.fields["org"]
            self.fields["id_number"].help_text = "留空表示不修改已登记的号码"
        else:
            self.fields["gender"].help_text = "填写身份证号码后可不填，由号码推出"
            self.fields["birth_date"].help_text = "填写身份证号码后可不填，由号码推出"
            if communities.count() == 1:
                self.fields["org"].initial = communities.first()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("org", None)
        return data


class MoveForm(forms.Form):
    to_org = OrgChoiceField(label="迁入社区/村", queryset=Org.objects.none())
    moved_on = forms.DateField(label="迁移日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = communities


class LinkAccountForm(forms.Form):
    """The portal account to link to a person, by the phone number the resident logs in with."""

    phone = forms.CharField(
        label="居民端账号手机号",
        max_length=20,
        help_text="居民在居民端注册时使用的手机号",
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "off"}),
    )


class HouseholdForm(VersionedForm, forms.ModelForm):
    class Meta:
        from shequ.residents.models import Household

        model = Household
        fields = [
            "number",
            "grid",
            "estate",
            "building",
            "unit_no",
            "room",
            "village_group",
            "house_no",
            "address_line",
            "notes",
        ]

    org = OrgChoiceField(label="社区/村", queryset=Org.objects.none())

    def __init__(self, *args, communities, grids, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"] = OrgChoiceField(label="网格", queryset=grids, required=False)
        self.order_fields(["org", "number"])
        self.fields["org"].queryset = communities
        if editing:
            del self.fields["org"]
        elif communities.count() == 1:
            self.fields["org"].initial = communities.first()

    def validate_unique(self):
        """The service checks uniqueness within the community."""


class ImportForm(forms.Form):
    org = OrgChoiceField(label="导入到", queryset=Org.objects.none())
    file = forms.FileField(
        label="文件",
        help_text="xlsx、xls、et(WPS)或 csv;有几张工作表时取行数最多的一张（检查后可换）;表头用中文列名",
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        if orgs.count() == 1:
            self.fields["org"].initial = orgs.first()

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".xls", ".xlsm", ".et", ".ods", ".csv", ".txt")):
            raise forms.ValidationError("只能导入 xlsx、xls、et(WPS)或 csv 文件。")
        if f.size > 200 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过200MB。")
        return f


def _profile_form(model, fields, *, widgets=None):
    meta = type("Meta", (), {"model": model, "fields": fields, "widgets": widgets or {}})
    declared = {
        n: PhoneField(getattr(model, n).label) for n in fields if isinstance(getattr(model, n, None), EncryptedPhone)
    }
    return type(f"{model.__name__}Form", (VersionedForm, EncryptedPhonesForm), {"Meta": meta, **declared})


class DisabilityForm(VersionedForm, EncryptedPhonesForm):
    guardian_phone = PhoneField("监护人电话")
    card_number = forms.CharField(
        label="残疾人证号", max_length=30, required=False, help_text="20位：身份证号+类别+等级；填写后将核对"
    )
    needs = forms.MultipleChoiceField(
        label="基本需求", choices=DisabilityNeed.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DisabilityProfile
        fields = [
            "category",
            "grade",
            "has_card",
            "cause",
            "guardian_name",
            "guardian_phone",
            "family_situation",
            "economic_situation",
            "disability_situation",
            "rehabilitation_situation",
            "needs",
            "notes",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 2})
            for f in ("family_situation", "disability_situation", "rehabilitation_situation", "notes")
        }


PROFILE_FORMS = {
    "disability": DisabilityForm,
    "floating": _profile_form(
        FloatingProfile,
        [
            "origin",
            "arrived_on",
            "reason",
            "permit_number",
            "permit_expires_on",
            "housing_type",
            "landlord_name",
            "landlord_phone",
            "employer",
            "notes",
        ],
        widgets={"arrived_on": DATE, "permit_expires_on": DATE},
    ),
    "special": _profile_form(
        SpecialGroupProfile,
        [
            "kind",
            "correction_type",
            "period_start",
            "period_end",
            "released_on",
            "risk_level",
            "helper_name",
            "notes",
        ],
        widgets={"period_start": DATE, "period_end": DATE, "released_on": DATE},
    ),
    "volunteer": _profile_form(
        VolunteerProfile, ["skills", "team", "service_hours", "registered_on", "notes"], widgets={"registered_on": DATE}
    ),
    "supervisor": _profile_form(
        SupervisorProfile, ["kind", "term_start", "term_end", "notes"], widgets={"term_start": DATE, "term_end": DATE}
    ),
    "staff": _profile_form(StaffProfile, ["post", "started_on", "notes"], widgets={"started_on": DATE}),
}
PROFILE_TITLES = {
    "disability": "残疾人档案",
    "floating": "流动人口档案",
    "special": "特殊人群档案",
    "volunteer": "志愿者档案",
    "supervisor": "监督员档案",
    "staff": "工作人员档案",
}
