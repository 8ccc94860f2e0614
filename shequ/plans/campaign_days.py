"""Campaign days (宣传日、纪念日): the recurring days of each line of work, as data an administrator keeps — 世界无烟日
on 31 May, 全国中小学生安全教育日 on the Monday of March's last week, 全国助残日 on May's third Sunday … — each with
the days before and after it that count as its campaign."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models

WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
WEEKS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}


class CampaignDay(models.Model):
    """A day each year: a fixed date (``month``, ``day``) or the ``week``-th ``weekday`` of ``month`` (week -1:
    the last). Records from ``before_days`` before it to ``after_days`` after it count for it."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    month = models.PositiveSmallIntegerField("月")
    day = models.PositiveSmallIntegerField("日", null=True, blank=True, help_text="固定日期；按星期推算的留空")
    weekday = models.PositiveSmallIntegerField(
        "星期", null=True, blank=True, choices=list(enumerate(WEEKDAYS)), help_text="按星期推算时填写"
    )
    week = models.SmallIntegerField("第几个", null=True, blank=True, choices=list(WEEKS.items()))
    before_days = models.PositiveSmallIntegerField("提前计入天数", default=14)
    after_days = models.PositiveSmallIntegerField("之后计入天数", default=0)
    theme = models.CharField("宣传主题", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        app_label = "plans"
        verbose_name = "宣传日"
        verbose_name_plural = "宣传日"
        ordering = ["month", "sort", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not 1 <= (self.month or 0) <= 12:
            raise ValidationError({"month": "月份应为1–12。"})
        if self.day is None and (self.weekday is None or self.week is None):
            raise ValidationError({"day": "请填写固定日期，或按星期推算的“第几个星期几”。"})
        if self.day is not None and not 1 <= self.day <= calendar.monthrange(2024, self.month)[1]:
            raise ValidationError({"day": "这个月没有这一天。"})

    @property
    def rule_text(self) -> str:
        if self.day is not None:
            return f"每年{self.month}月{self.day}日"
        return f"每年{self.month}月{WEEKS.get(self.week or 0, '')}{WEEKDAYS[self.weekday or 0]}"

    def on(self, year: int) -> date:
        """The day in ``year`` (29 February falls on the 28th in other years)."""
        if self.day is not None:
            return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))
        days = [d for d in calendar.Calendar().itermonthdates(year, self.month) if d.month == self.month]
        matching = [d for d in days if d.weekday() == self.weekday]
        return matching[-1] if (self.week or 0) < 0 else matching[min((self.week or 1), len(matching)) - 1]

    def window(self, year: int) -> tuple[date, date]:
        on = self.on(year)
        return on - timedelta(days=self.before_days), on + timedelta(days=self.after_days)
