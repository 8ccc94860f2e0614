"""The forms of upward reports: a report built from its form's fields (pre-filled), the review, the grid's bar."""

from __future__ import annotations

from django import forms

from shequ.reports.models import ReportForm

YEARS = range(2000, 2101)


class ReportEntryForm(forms.Form):
    """One field per field of the report form, pre-filled from Shequ's data; 零报告 as an explicit choice."""

    zero = forms.BooleanField(label="零报告", required=False)
    note = forms.CharField(label="备注", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, report: ReportForm, computed: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.computed = computed
        self.fields["zero"].label = f"零报告：{report.zero_text}" if report.zero_text else "零报告"
        if not report.zero_text:
            del self.fields["zero"]
        for f in report.fields:
            kind = f.get("kind", "int")
            help_text = ""
            if f["code"] in computed:
                c = computed[f["code"]]
                help_text = f"系统计算：{'无数据' if c is None else c}"
            if kind == "text":
                field: forms.Field = forms.CharField(
                    label=f["label"], required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
                )
            else:
                # Text input: what was typed (a letter, a minus) comes back to the service, which says what is wrong.
                field = forms.CharField(
                    label=f["label"], required=False, max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": "decimal" if kind == "decimal" else "numeric"}),
                )  # fmt: skip
            field.help_text = help_text
            self.fields[f["code"]] = field

    def values(self) -> dict:
        return {f["code"]: self.cleaned_data.get(f["code"], "") for f in self.report.fields}

    def field_rows(self):
        """(bound field, computed value, field spec) in the form's order, for the template."""
        for f in self.report.fields:
            yield self[f["code"]], self.computed.get(f["code"]), f


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("accept", "接收"), ("return", "退回")])
    reason = forms.CharField(label="退回原因", required=False, max_length=300)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class GridForm(forms.Form):
    """The completeness grid's bar: which form, which year, whose subtree."""

    form = forms.ChoiceField(label="报表", required=False)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, report_forms: list[ReportForm], years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [(f.code, f.name) for f in report_forms]
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
