from __future__ import annotations

from django import forms

from shequ.orgs.models import Area, Org, OrgKind, UnitType


class OrgForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=OrgKind.choices)
    unit_type = forms.ChoiceField(label="单位类型", choices=[("", "—"), *UnitType.choices], required=False)
    name = forms.CharField(label="名称", max_length=100)
    division_code = forms.CharField(label="区划代码(12位)", max_length=12, required=False)
    code_year = forms.IntegerField(label="代码年度", required=False, min_value=1980, max_value=2100)
    sort = forms.IntegerField(label="排序", required=False, min_value=0, initial=0)
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def clean_sort(self):
        return self.cleaned_data.get("sort") or 0


class OrgEditForm(OrgForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class OrgMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(label="新的上级", queryset=Org.objects.none())

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["code", "name", "description", "sort", "is_active"]
