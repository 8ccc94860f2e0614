from __future__ import annotations

from django import forms

from shequ.core.punctuation import split_list
from shequ.core.versioning import VersionedForm
from shequ.orgs.fields import OrgPathChoiceField
from shequ.orgs.models import Area
from shequ.plans import campaigns
from shequ.plans.importing import ReviewedTarget
from shequ.plans.indicators import registry as indicator_registry
from shequ.plans.models import Comparison, PlanStatus, Target, TargetKind, TaskStatus
from shequ.plans.periods import PeriodKind
from shequ.records.models import ActivityType

MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]


class PlanForm(forms.Form):
    org = OrgPathChoiceField(label="单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    area = forms.ModelChoiceField(label="条线", queryset=Area.objects.filter(is_active=True))
    title = forms.CharField(label="标题", max_length=200)
    text = forms.CharField(label="计划原文", widget=forms.Textarea, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class PlanEditForm(VersionedForm, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    text = forms.CharField(label="计划原文", widget=forms.Textarea, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanStatus.choices)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")
    name = forms.CharField(label="名称", max_length=200, required=False)


class AdoptForm(forms.Form):
    org = OrgPathChoiceField(label="采用单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class TargetForm(VersionedForm, forms.Form):
    code = forms.SlugField(label="代码", max_length=40, required=False, help_text="留空自动生成")
    title = forms.CharField(label="指标", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=TargetKind.choices)
    activity_codes = forms.MultipleChoiceField(
        label="活动类型",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="次数、时限、否决类指标计入的记录类型",
    )
    period = forms.ChoiceField(label="周期", choices=[("", "—"), *PeriodKind.choices], required=False)
    months = forms.TypedMultipleChoiceField(
        label="限定月份", choices=MONTH_CHOICES, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    in_term = forms.BooleanField(
        label="仅在校期间", required=False, help_text="学校的指标：按校历只计在校的月份，寒暑假所在月份不计"
    )
    min_per_period = forms.IntegerField(label="每周期至少（次）", min_value=0, required=False)
    min_per_year = forms.IntegerField(label="全年至少（次）", min_value=0, required=False)
    indicator = forms.ChoiceField(label="计算口径", required=False, help_text="计算指标：从指标口径目录中选择")
    population = forms.ChoiceField(label="分母人群", required=False, help_text="口径可选人群时；空为默认人群")
    comparison = forms.ChoiceField(
        label="比较方式", choices=[("", "—"), *Comparison.choices], required=False, help_text="空为不低于达标值"
    )
    min_sample = forms.IntegerField(label="最少样本量（份）", min_value=1, required=False, help_text="抽样调查类口径")
    threshold = forms.DecimalField(label="达标值 / 较上年变化", max_digits=9, decimal_places=2, required=False)
    max_value = forms.DecimalField(label="上限", max_digits=9, decimal_places=2, required=False)
    unit = forms.CharField(label="单位", max_length=10, required=False, help_text="如 %、人、个")
    baseline = forms.DecimalField(label="上年基数", max_digits=9, decimal_places=2, required=False)
    due_month = forms.IntegerField(label="时限（月）", min_value=1, max_value=12, required=False)
    due_day = forms.IntegerField(label="时限（日）", min_value=1, max_value=31, required=False)
    window_days = forms.IntegerField(label="提前计入天数", min_value=0, max_value=366, required=False, initial=0)
    campaign = forms.ChoiceField(
        label="宣传日", required=False, help_text="时限类指标：选择宣传日后，时限和计入天数按计划年度的日期自动确定"
    )
    keywords = forms.CharField(label="主题关键词", max_length=100, required=False, help_text="逗号分隔")
    owner_name = forms.CharField(label="责任人", max_length=50, required=False)
    basis = forms.CharField(label="依据（原文）", widget=forms.Textarea, required=False)

    def __init__(self, *args, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        types = ActivityType.objects.filter(is_active=True).select_related("area")
        if area is not None:
            types = types.filter(area=area)
        self.fields["activity_codes"].choices = [(f"{t.area.code}/{t.code}", t.name) for t in types]
        self.fields["campaign"].choices = [("", "—"), *campaigns.choices()]
        catalogue = indicator_registry.indicators()
        self.fields["indicator"].choices = [("", "—"), *((i.code, i.name) for i in catalogue.values())]
        populations = {k: p.label for i in catalogue.values() for k, p in i.populations.items()}
        self.fields["population"].choices = [("", "默认"), *populations.items()]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["window_days"] = data.get("window_days") or 0
        for k in ("code", "unit", "keywords", "owner_name", "basis", "period", "indicator", "population", "comparison"):
            data[k] = data.get(k) or ""
        return data


class RateEntryForm(forms.Form):
    value = forms.DecimalField(label="数值", max_digits=9, decimal_places=2)
    measured_on = forms.DateField(label="测定日期", widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label="依据说明", widget=forms.Textarea, help_text="如：问卷调查200份，答对率…")
    file = forms.FileField(label="佐证材料", required=False)


class TaskForm(VersionedForm, forms.Form):
    title = forms.CharField(label="任务", max_length=200)
    description = forms.CharField(label="内容", widget=forms.Textarea, required=False)
    plan = forms.ModelChoiceField(label="所属计划", queryset=None, required=False)
    lead_org = OrgPathChoiceField(label="牵头单位", queryset=None, required=False)
    partner_orgs = forms.ModelMultipleChoiceField(label="配合单位", queryset=None, required=False)
    partners_text = forms.CharField(label="配合单位（其他）", max_length=200, required=False)
    leader_name = forms.CharField(label="分管领导", max_length=50, required=False)
    owner_name = forms.CharField(label="责任人", max_length=50, required=False)
    due = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, plans=None, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["lead_org"].queryset = orgs
        self.fields["partner_orgs"].queryset = orgs


class TaskNoteForm(forms.Form):
    text = forms.CharField(label="进展情况", widget=forms.Textarea)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=TaskStatus.choices)
    completed_on = forms.DateField(label="完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False)


class EvidenceForm(forms.Form):
    record = forms.IntegerField(label="记录编号")
    remove = forms.BooleanField(required=False)


# ---- importing a plan from its document --------------------------------------------------------------


class ImportStartForm(forms.Form):
    org = OrgPathChoiceField(label="单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    file = forms.FileField(label="上传计划文件", required=False, help_text="支持.docx、.txt、.pdf（有文字层）")
    text = forms.CharField(label="或粘贴计划全文", widget=forms.Textarea(attrs={"rows": 8}), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传计划文件，或粘贴计划全文。")
        return data


class ImportPlanForm(forms.Form):
    title = forms.CharField(label="计划标题", max_length=200)
    area = forms.ModelChoiceField(label="条线", queryset=Area.objects.filter(is_active=True))
    publish = forms.BooleanField(label="同时发布为模板（供下级社区采用）", required=False)


DECISIONS = [("accept", "采用"), ("reject", "不采用")]


def _due(text: str) -> tuple[int, int] | None:
    text = (text or "").strip().replace("月", "-").replace("日", "").replace("/", "-")
    if not text:
        return None
    try:
        month, day = (int(x) for x in text.split("-"))
    except ValueError as exc:
        raise forms.ValidationError("时限请写成“6-30”或“6月30日”。") from exc
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise forms.ValidationError("时限的月份应为1–12，日期应为1–31。")
    return month, day


class DraftTargetForm(forms.Form):
    """One extracted target on the review page: accepted as it is, edited, or rejected."""

    decision = forms.ChoiceField(label="处理", choices=DECISIONS, initial="accept", widget=forms.RadioSelect)
    src = forms.CharField(widget=forms.HiddenInput, required=False)
    basis = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="指标", max_length=200, required=False)
    kind = forms.ChoiceField(label="类型", choices=TargetKind.choices)
    activity_code = forms.ChoiceField(label="计入的活动类型", required=False)
    period = forms.ChoiceField(label="周期", choices=[("", "—"), *PeriodKind.choices], required=False)
    months = forms.CharField(label="限定月份", required=False, help_text="如 5,6,7,8；空为全年")
    min_per_period = forms.IntegerField(label="每周期至少", min_value=0, required=False)
    min_per_year = forms.IntegerField(label="全年至少", min_value=0, required=False)
    threshold = forms.DecimalField(label="达标值", max_digits=9, decimal_places=2, required=False)
    max_value = forms.DecimalField(label="上限", max_digits=9, decimal_places=2, required=False)
    unit = forms.CharField(label="单位", max_length=10, required=False)
    due = forms.CharField(label="完成时限", required=False, help_text="如 6-30")
    owner_name = forms.CharField(label="责任人", max_length=50, required=False)

    def __init__(self, *args, activity_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_code"].choices = [("", "—— 请选择 ——"), *activity_choices]

    def clean(self):
        data = super().clean()
        if data.get("decision") != "accept":
            return data
        if not (data.get("title") or "").strip():
            self.add_error("title", "请填写指标名称。")
            return data
        months = []
        for part in split_list(data.get("months")):
            if not part.isdigit() or not 1 <= int(part) <= 12:
                self.add_error("months", "月份应为1–12，用逗号分隔。")
                return data
            months.append(int(part))
        try:
            due = _due(data.get("due"))
        except forms.ValidationError as exc:
            self.add_error("due", exc)
            return data
        reviewed = ReviewedTarget(
            title=data["title"].strip(),
            kind=data["kind"],
            basis=data.get("basis") or "",
            activity_codes=[data["activity_code"]] if data.get("activity_code") else [],
            period=data.get("period") or "",
            months=months,
            min_per_period=data.get("min_per_period"),
            min_per_year=data.get("min_per_year"),
            threshold=data.get("threshold"),
            max_value=data.get("max_value"),
            unit=data.get("unit") or "",
            due_month=due[0] if due else None,
            due_day=due[1] if due else None,
            owner_name=data.get("owner_name") or "",
        )
        probe = Target(code="x", **{k: v for k, v in vars(reviewed).items() if k != "owner_name"})
        try:
            probe.clean()
        except forms.ValidationError as exc:
            for fld, msgs in exc.message_dict.items():
                target_field = {"activity_codes": "activity_code", "due_month": "due", "due_day": "due"}.get(fld, fld)
                for msg in msgs:
                    self.add_error(target_field if target_field in self.fields else None, msg)
        data["reviewed"] = reviewed
        return data


OBLIGATION_DECISIONS = [("drop", "不保留"), ("task", "保留为任务")]


class ObligationForm(forms.Form):
    """A duty without a number: kept as a task, or left out (or given a number as a new target)."""

    decision = forms.ChoiceField(label="处理", choices=OBLIGATION_DECISIONS, initial="drop", widget=forms.RadioSelect)
    text = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label="任务", max_length=200, required=False)
    due = forms.DateField(label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    leader_name = forms.CharField(widget=forms.HiddenInput, required=False)
    owner_name = forms.CharField(widget=forms.HiddenInput, required=False)
    partners_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "task":
            if not (data.get("title") or "").strip():
                self.add_error("title", "请填写任务名称。")
            if not data.get("due"):
                self.add_error("due", "请填写完成时限。")
        return data
