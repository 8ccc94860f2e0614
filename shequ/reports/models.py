"""Upward reports (信息报送): report forms declared as data, and the submissions the owing orgs make of them.

A :class:`ReportForm` says who owes it (org kinds), how often (a :class:`~shequ.reports.periods.Cycle`), by when
(its due day) and what it holds (its fields, each with an optional formula that pre-fills it from Shequ's data).
A :class:`Submission` is one org's report for one period: submitted (with its figures, or as an explicit 零报告),
then accepted or returned by the level above; a returned report is corrected and submitted again. Every step is
a :class:`SubmissionEvent` (the history) and an audit row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from shequ.accounts.access import ScopedQuerySet
from shequ.core.versioning import Versioned, VersionedQuerySet
from shequ.reports.periods import Cycle, ReportPeriod

FIELD_KINDS = ("int", "decimal", "text")
RESERVED_CODES = frozenset({"zero", "note", "version", "decision", "reason"})  # names the report's page uses


class ReportForm(models.Model):
    """A report form (报表): data, loaded from ``catalogue.py`` and kept by administrators.

    ``fields``: ``[{"code", "label", "kind": int|decimal|text, "formula"?: {...}, "zero_keeps"?: bool}]``. A formula
    pre-fills the field for the org and period: ``{"indicator": "<catalogue code>"}`` (a count indicator's
    figure, a rate's value) or ``{"measure": {"noun", "where", "count"?, "sum"?}}`` (a count of Shequ's rows,
    written as the indicator catalogue's measures are). ``kinds``: the org kinds that owe it. ``due_day`` of the
    month ``due_lag`` months after the period's last month.
    """

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=80)
    area = models.ForeignKey("orgs.Area", verbose_name="工作条线", on_delete=models.PROTECT)
    kinds = models.JSONField("报送单位类型", default=list)
    cycle = models.CharField("报送周期", max_length=10, choices=Cycle.choices)
    due_day = models.PositiveSmallIntegerField("截止日", default=10)
    due_lag = models.PositiveSmallIntegerField("截止月（期末后第几月）", default=1)
    fields = models.JSONField("填报项目", default=list)
    zero_text = models.CharField("零报告说明", max_length=60, blank=True, help_text="留空表示不允许零报告")
    receiver = models.CharField("报送对象", max_length=40, blank=True)
    description = models.CharField("说明", max_length=200, blank=True)
    escalate_after = models.PositiveSmallIntegerField(
        "督办天数", default=3, help_text="逾期超过此天数仍未报送的，提请接收单位负责人督办"
    )
    sort = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "报表"
        verbose_name_plural = "报表"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        codes = [f.get("code") for f in self.fields]
        if not codes or len(set(codes)) != len(codes) or not all(codes) or RESERVED_CODES & set(codes):
            raise ValidationError({"fields": "填报项目须有各不相同的代码（不能用 zero、note 等保留字）。"})
        if any(f.get("kind", "int") not in FIELD_KINDS for f in self.fields):
            raise ValidationError({"fields": "填报项目的类型只能是整数、小数或文字。"})

    def period(self, year: int, no: int) -> ReportPeriod:
        return ReportPeriod(self.cycle, year, no, self.due_day, self.due_lag)

    @property
    def number_fields(self) -> list[dict]:
        return [f for f in self.fields if f.get("kind", "int") != "text"]

    @property
    def zeroed_fields(self) -> list[dict]:
        """The figures a 零报告 sets to 0 (the others, such as the screenings held, keep what was typed)."""
        return [f for f in self.number_fields if not f.get("zero_keeps")]


class State(models.TextChoices):
    SUBMITTED = "submitted", "已报送"
    ACCEPTED = "accepted", "已接收"
    RETURNED = "returned", "已退回"


class SubmissionQuerySet(ScopedQuerySet, VersionedQuerySet):
    scope_area_field = "area"


class Submission(Versioned):
    """One org's report of one form for one period. ``values``: the figures as submitted; ``computed``: what
    Shequ's data gave for them when it was submitted (a figure differing from it is marked as changed by hand).
    ``zero``: an explicit 零报告. ``first_submitted_at`` decides on time or late; a returned report keeps it."""

    form = models.ForeignKey(ReportForm, verbose_name="报表", on_delete=models.PROTECT, related_name="submissions")
    org = models.ForeignKey("orgs.Org", verbose_name="报送单位", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("orgs.Area", verbose_name="工作条线", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    period_no = models.PositiveSmallIntegerField("期次")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.SUBMITTED)
    zero = models.BooleanField("零报告", default=False)
    values = models.JSONField("填报数据", default=dict)
    computed = models.JSONField("系统计算数据", default=dict)
    note = models.TextField("备注", blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    revision = models.PositiveSmallIntegerField("报送次数", default=1)
    first_submitted_at = models.DateTimeField("首次报送时间")
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    objects = SubmissionQuerySet.as_manager()
    version_shown = ("state",)

    class Meta:
        verbose_name = "报表报送"
        verbose_name_plural = "报表报送"
        constraints = [
            models.UniqueConstraint(fields=["form", "org", "year", "period_no"], name="report_submission_unique")
        ]
        indexes = [models.Index(fields=["form", "year", "org"])]

    def __str__(self) -> str:
        return f"{self.org} {self.period.label}{self.form.name}"

    @property
    def period(self) -> ReportPeriod:
        return self.form.period(self.year, self.period_no)

    @property
    def on_time(self) -> bool:
        return self.first_submitted_at.date() <= self.period.due if self.first_submitted_at else False

    @property
    def changed(self) -> set[str]:
        """Codes of the figures entered differently from what Shequ computed."""
        return {code for code, v in self.values.items() if code in self.computed and str(v) != str(self.computed[code])}


class EventKind(models.TextChoices):
    SUBMIT = "submit", "报送"
    RESUBMIT = "resubmit", "重新报送"
    ACCEPT = "accept", "接收"
    RETURN = "return", "退回"


class EventQuerySet(ScopedQuerySet):
    scope_field = "submission__org"
    scope_area_field = "submission__area"


class SubmissionEvent(models.Model):
    """One step of a submission's history, with the figures as they stood at that step."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("操作", max_length=10, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间")
    zero = models.BooleanField("零报告", default=False)
    values = models.JSONField("数据", default=dict)
    reason = models.CharField("原因/说明", max_length=300, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class EscalationQuerySet(ScopedQuerySet):
    scope_area_field = "area"


class Escalation(models.Model):
    """A 督办 sent by hand by the receiving level to an org that has not reported a period, with a note: it rings
    the owing org's bell until the report is in. (A report overdue by more than the form's ``escalate_after``
    days is escalated without one: see ``reports.escalation``.)"""

    form = models.ForeignKey(ReportForm, verbose_name="报表", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", verbose_name="报送单位", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("orgs.Area", verbose_name="工作条线", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    period_no = models.PositiveSmallIntegerField("期次")
    note = models.CharField("督办事项", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("督办时间")

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = "报表督办"
        verbose_name_plural = "报表督办"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["form", "org", "year", "period_no"])]

    def __str__(self) -> str:
        return f"督办 {self.org} {self.form}"
