"""A target's compliance as last worked out (达标状态快照), for the dashboards of a street or a district.

A street's workbench ranks its communities by their share of targets 达标, and a district's lists every target at
risk: thousands of targets over millions of records. Working them all out on every page view would make those
pages grow with the district; instead each target keeps its last state here (``shequ.plans.compliance.standings``
writes and reads it) and the pages read one row per target. A standing is used only on the day it was worked
out, for the target's version it was worked out for, and for ``PLANS_STANDING_MAX_AGE`` seconds; the rest are
worked out again when read, and ``manage.py plans_standings`` (every few minutes) keeps them all fresh.
"""

from __future__ import annotations

from django.db import models


class TargetStanding(models.Model):
    """One target's overall state and what it lacks this period, as of ``computed_at``."""

    target = models.OneToOneField(
        "plans.Target", primary_key=True, on_delete=models.CASCADE, related_name="standing", verbose_name="指标"
    )
    target_version = models.PositiveIntegerField("指标版本")
    state = models.CharField("状态", max_length=16, blank=True)
    lacks = models.CharField("本期欠缺", max_length=200, blank=True)
    done = models.CharField("全年完成", max_length=24, blank=True)
    expected = models.CharField("全年应完成", max_length=24, blank=True)
    computed_on = models.DateField("计算日期")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        app_label = "plans"
        verbose_name = "指标状态快照"
        verbose_name_plural = "指标状态快照"

    def __str__(self) -> str:
        return f"{self.target_id}: {self.state or '-'}"
