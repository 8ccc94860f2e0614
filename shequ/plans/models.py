"""Annual plans (年度工作计划), their measurable targets (指标) and tasks (任务), templates, reminders."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from shequ.accounts.access import ScopedQuerySet
from shequ.core import uploads
from shequ.core.punctuation import split_list
from shequ.core.versioning import Versioned
from shequ.plans.choices import Comparison, PlanStatus, ReminderKind, TargetKind, TaskStatus
from shequ.plans.indicators import registry as indicator_registry
from shequ.plans.periods import PeriodKind
from shequ.plans.querysets import PlanImportQuerySet, PlanQuerySet, TargetQuerySet, TaskQuerySet


class TargetSpec(models.Model):
    """What a target measures; shared by template targets and a plan's own targets.

    - count: records of ``activity_codes`` per ``period`` (only in ``months`` when given), at least
      ``min_per_period`` each period and/or ``min_per_year`` in the year;
    - rate: an entered value (%, 人, 个 …) of at least ``threshold`` (and at most ``max_value``);
    - change: this year's entered value at least ``threshold`` points above last year's;
    - deadline: done by ``due_month``/``due_day``: a record of ``activity_codes`` in the ``window_days``
      before it (titles containing one of ``keywords`` when given), or a linked task completed in time;
    - veto: none of ``activity_codes`` records (or cases of ``case_type_codes``) in the year;
    - indicator: the figure of ``indicator`` in the catalogue (numerator ÷ denominator computed from the data,
      over ``population`` when the indicator lets the template name one), held against ``threshold`` by
      ``comparison`` (at least, at most, or a rise or fall on last year's figure); below ``min_sample`` a
      sample survey's figure does not count (样本不足).

    ``comparison`` also turns a change target into a fall (降低吸烟率 by N points) and a rate into a maximum.

    Activity types are named by "area/code" so that templates survive without the types' ids.
    """

    code = models.SlugField("代码", max_length=40, help_text="同一计划内唯一；采用模板时保持不变，便于比对")
    title = models.CharField("指标", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=TargetKind.choices)
    activity_codes = models.JSONField("活动类型", default=list, blank=True, help_text='如 ["health/board"]')
    period = models.CharField("周期", max_length=12, choices=PeriodKind.choices, blank=True)
    months = models.JSONField("限定月份", default=list, blank=True, help_text="如 [5, 6, 7, 8];空为全年")
    in_term = models.BooleanField(
        "仅在校期间", default=False, help_text="按学校校历，只计在校的月份（寒暑假所在月份不计）"
    )
    min_per_period = models.PositiveIntegerField("每周期至少", null=True, blank=True)
    min_per_year = models.PositiveIntegerField("全年至少", null=True, blank=True)
    threshold = models.DecimalField("达标值", max_digits=9, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField("上限", max_digits=9, decimal_places=2, null=True, blank=True)
    unit = models.CharField("单位", max_length=10, blank=True, default="")
    due_month = models.PositiveSmallIntegerField("时限（月）", null=True, blank=True)
    due_day = models.PositiveSmallIntegerField("时限（日）", null=True, blank=True)
    window_days = models.PositiveSmallIntegerField("提前计入天数", default=0)
    keywords = models.CharField("主题关键词", max_length=100, blank=True, help_text="逗号分隔；记录主题含其一才计入")
    extra_filter = models.JSONField(
        "记录条件", default=dict, blank=True, help_text='只计附加字段符合的记录，如 {"level": ["重大", "特别重大"]}'
    )
    case_type_codes = models.JSONField("否决事项类型", default=list, blank=True)
    indicator = models.CharField("计算口径", max_length=60, blank=True, help_text="指标口径目录中的代码")
    campaign = models.CharField(
        "宣传日", max_length=40, blank=True, help_text="宣传日的代码：时限和计入天数按计划年度的日期确定"
    )
    population = models.CharField("分母人群", max_length=40, blank=True, help_text="口径可选的人群；空为默认")
    comparison = models.CharField("比较方式", max_length=4, choices=Comparison.choices, blank=True)
    min_sample = models.PositiveIntegerField("最少样本量", null=True, blank=True, help_text="抽样调查类口径")
    applies_to = models.JSONField("适用组织", default=list, blank=True, help_text="组织类型或单位类型；空为全部")
    basis = models.TextField("依据（原文）", blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == TargetKind.COUNT:
            if not self.activity_codes:
                errors["activity_codes"] = "次数类指标需要选择活动类型。"
            if not self.period:
                errors["period"] = "次数类指标需要选择周期。"
            if self.min_per_period is None and self.min_per_year is None:
                errors["min_per_period"] = "请填写每周期至少次数或全年至少次数。"
        elif self.kind in (TargetKind.RATE, TargetKind.CHANGE, TargetKind.INDICATOR):
            if self.threshold is None:
                errors["threshold"] = "请填写达标值。"
            allowed = {
                TargetKind.RATE: {"", Comparison.AT_LEAST, Comparison.AT_MOST},
                TargetKind.CHANGE: {"", Comparison.RISE, Comparison.FALL},
                TargetKind.INDICATOR: {"", *Comparison.values},
            }[TargetKind(self.kind)]
            if self.comparison not in allowed:
                errors["comparison"] = "比较方式与指标类型不符。"
            if self.kind == TargetKind.INDICATOR:
                found = indicator_registry.get(self.indicator) if self.indicator else None
                if not self.indicator:
                    errors["indicator"] = "计算指标需要选择计算口径。"
                elif found is None:
                    errors["indicator"] = f"指标口径目录中没有“{self.indicator}”。"
                elif self.population and self.population not in found.populations:
                    errors["population"] = f"“{found.name}”没有可选的人群“{self.population}”。"
        elif self.kind == TargetKind.DEADLINE:
            if not self.due_month or not self.due_day:
                errors["due_month"] = "请填写完成时限（月、日）。"
        elif self.kind == TargetKind.VETO and not self.activity_codes and not self.case_type_codes:
            errors["activity_codes"] = "否决类指标需要指明哪些记录或事项会触发否决。"
        for m in self.months or []:
            if not isinstance(m, int) or not 1 <= m <= 12:
                errors["months"] = "月份应为1–12。"
        if self.due_month and not 1 <= self.due_month <= 12:
            errors["due_month"] = "月份应为1–12。"
        if self.due_day and not 1 <= self.due_day <= 31:
            errors["due_day"] = "日期应为1–31。"
        if errors:
            raise ValidationError(errors)

    # Fields copied when a template is adopted and compared when it changes.
    SPEC_FIELDS = (
        "title",
        "campaign",
        "kind",
        "activity_codes",
        "period",
        "months",
        "in_term",
        "min_per_period",
        "min_per_year",
        "threshold",
        "max_value",
        "unit",
        "due_month",
        "due_day",
        "window_days",
        "keywords",
        "extra_filter",
        "case_type_codes",
        "indicator",
        "population",
        "comparison",
        "min_sample",
        "applies_to",
        "basis",
        "sort",
    )

    def spec(self) -> dict:
        """The target's definition as plain JSON-able data (for snapshots and diffs)."""
        out = {"code": self.code}
        for f in self.SPEC_FIELDS:
            v = getattr(self, f)
            out[f] = str(v.normalize()) if hasattr(v, "normalize") else v
        return out

    @property
    def versus_last_year(self) -> bool:
        return self.kind == TargetKind.CHANGE or self.comparison in (Comparison.RISE, Comparison.FALL)

    def keyword_list(self) -> list[str]:
        return split_list(self.keywords)

    @property
    def applies_label(self) -> str:
        from shequ.orgs.models import OrgKind, UnitType

        labels = {**dict(OrgKind.choices), **dict(UnitType.choices)}
        return "、".join(labels.get(code, code) for code in self.applies_to) or "全部"

    def applies(self, org) -> bool:
        return (
            not self.applies_to or org.kind in self.applies_to or (org.unit_type and org.unit_type in self.applies_to)
        )


class PlanTemplate(models.Model):
    """A plan template published by an org above (street, district); ``org`` empty: a reference template
    shipped with the system. Editing a published template bumps ``version``; adopters see a diff."""

    org = models.ForeignKey(
        "orgs.Org",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_templates",
        verbose_name="发布单位",
    )
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="plan_templates", verbose_name="条线")
    code = models.SlugField("代码", max_length=40)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("原文", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    is_published = models.BooleanField("已发布", default=True)
    source_plan = models.ForeignKey(
        "Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="来源计划"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "计划模板"
        verbose_name_plural = "计划模板"
        ordering = ["area__sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="plantemplate_org_code_unique"),
            models.UniqueConstraint(fields=["code"], condition=Q(org__isnull=True), name="plantemplate_builtin_code"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def publisher_name(self) -> str:
        return self.org.name if self.org_id else "系统参考模板"


class TemplateTarget(TargetSpec):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="targets")

    class Meta:
        verbose_name = "模板指标"
        verbose_name_plural = "模板指标"
        ordering = ["sort", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="templatetarget_code_unique")]


class Plan(Versioned):
    """One org's plan for one year and one line of work."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="plans", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="plans", verbose_name="条线")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("计划原文", blank=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    template = models.ForeignKey(
        PlanTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans", verbose_name="来源模板"
    )
    template_version = models.PositiveIntegerField("采用的模板版本", null=True, blank=True)
    template_snapshot = models.JSONField("采用时的模板指标", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()
    version_shown = ("status",)

    class Meta:
        verbose_name = "年度计划"
        verbose_name_plural = "年度计划"
        ordering = ["-year", "org__path", "area__sort"]
        indexes = [models.Index(fields=["year", "org"], name="plan_year_org")]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "template"], condition=Q(template__isnull=False), name="plan_one_adoption"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"


def plan_attachment_path(instance, filename: str) -> str:
    """plans/attachments/2026/03/<random>.<ext>: the name the user gave is kept on the row, never in the path."""
    return uploads.random_name("plans/attachments", filename)


class PlanAttachmentQuerySet(ScopedQuerySet):
    """A plan's attachment is seen by whoever sees the plan."""

    scope_field = "plan__org"
    scope_area_field = "plan__area"


class PlanAttachment(models.Model):
    """A file kept with a plan (the plan's document, a notice …), checked by content, stored under a random name and
    served only by a scoped view."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to=plan_attachment_path)
    name = models.CharField("名称", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "计划附件"
        verbose_name_plural = "计划附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Target(Versioned, TargetSpec):
    """A measurable target of a plan; ``template_target`` links it to what it was adopted from."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name="计划")
    template_target = models.ForeignKey(
        TemplateTarget,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adopted",
        verbose_name="模板指标",
    )
    baseline = models.DecimalField("上年基数", max_digits=9, decimal_places=2, null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="责任人",
    )
    owner_name = models.CharField("责任人（姓名）", max_length=50, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["plan", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="target_plan_code_unique")]

    @property
    def responsible(self) -> str:
        return self.owner_name or (self.owner.display_name if self.owner_id else "")


def evidence_path(instance, filename: str) -> str:
    return uploads.random_name("plans/evidence", filename)


class RateEntryQuerySet(ScopedQuerySet):
    """An entered value (and its evidence file) goes with its target's plan."""

    scope_field = "target__plan__org"
    scope_area_field = "target__plan__area"


class RateEntry(models.Model):
    """An entered value of a rate target, with its evidence (until surveys compute it). Audited."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="entries", verbose_name="指标")
    value = models.DecimalField("数值", max_digits=9, decimal_places=2)
    measured_on = models.DateField("测定日期")
    evidence = models.TextField("依据说明")
    file = models.FileField("佐证材料", upload_to=evidence_path, blank=True)
    file_name = models.CharField("佐证材料文件名", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RateEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "指标数值"
        verbose_name_plural = "指标数值"
        ordering = ["-measured_on", "-id"]

    def __str__(self) -> str:
        return f"{self.value}"


class Task(Versioned):
    """A task (任务) with its lead and partner units, leader in charge, responsible person and deadline."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="plan_tasks", verbose_name="所属单位")
    year = models.PositiveSmallIntegerField("年度")
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks", verbose_name="计划"
    )
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks", verbose_name="关联指标"
    )
    title = models.CharField("任务", max_length=200)
    description = models.TextField("内容", blank=True)
    lead_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位"
    )
    partner_orgs = models.ManyToManyField("orgs.Org", blank=True, related_name="+", verbose_name="配合单位")
    partners_text = models.CharField("配合单位（其他）", max_length=200, blank=True)
    leader_name = models.CharField("分管领导", max_length=50, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="责任人",
    )
    owner_name = models.CharField("责任人（姓名）", max_length=50, blank=True)
    due = models.DateField("完成时限")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.TODO)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    campaign = models.CharField("宣传日", max_length=40, blank=True, editable=False)
    source_record = models.ForeignKey(
        "records.Record", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="来源会议"
    )
    evidence = models.ManyToManyField("records.Record", blank=True, related_name="+", verbose_name="佐证记录")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()
    version_shown = ("status",)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["org", "year", "due"], name="task_org_year_due"),
            models.Index(fields=["status", "due"], name="task_status_due"),
        ]
        constraints = [
            # A campaign target gets its campaign's task once (made daily; a second run adds nothing).
            models.UniqueConstraint(
                fields=["target", "campaign"], condition=~models.Q(campaign=""), name="task_one_per_campaign_target"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def responsible(self) -> str:
        return self.owner_name or (self.owner.display_name if self.owner_id else "")

    @property
    def is_open(self) -> bool:
        return self.status in (TaskStatus.TODO, TaskStatus.DOING)


class TaskNote(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("进展")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "任务进展"
        verbose_name_plural = "任务进展"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class Reminder(models.Model):
    """A reminder shown in the bell; the daily job keeps one row per user and ``key``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_reminders")
    kind = models.CharField("类型", max_length=10, choices=ReminderKind.choices)
    key = models.CharField(max_length=80)
    org = models.ForeignKey("orgs.Org", null=True, on_delete=models.CASCADE, related_name="+")
    message = models.CharField("内容", max_length=300)
    url = models.CharField(max_length=300, blank=True)
    due = models.DateField("时限", null=True, blank=True)
    day = models.DateField("生成日期")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["read_at", "due", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminder_user_key_unique")]
        indexes = [models.Index(fields=["user", "read_at"], name="reminder_user_unread")]

    def __str__(self) -> str:
        return self.message


class PlanImport(models.Model):
    """A plan document under review: its text and the draft read from it. No plan, target or task exists
    until the draft is adopted; adoption removes this row."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    text = models.TextField("计划原文")
    draft = models.JSONField("读出的草稿", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanImportQuerySet.as_manager()

    class Meta:
        verbose_name = "计划导入草稿"
        verbose_name_plural = "计划导入草稿"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.draft.get("title", "") or f"{self.year}年计划导入"


from shequ.plans.campaign_days import CampaignDay  # noqa: E402,F401  (the model lives beside the plans)
from shequ.plans.standing import TargetStanding  # noqa: E402,F401  (the targets' last worked-out states)
