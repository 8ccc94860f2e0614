"""The plans' choice lists: the states of plans and tasks, the kinds of target and reminder."""

from __future__ import annotations

from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    ARCHIVED = "archived", "已归档"


class TargetKind(models.TextChoices):
    COUNT = "count", "次数"
    RATE = "rate", "比率/数值"
    CHANGE = "change", "较上年变化"
    DEADLINE = "deadline", "完成时限"
    VETO = "veto", "一票否决"
    INDICATOR = "indicator", "计算指标"


class Comparison(models.TextChoices):
    """How a rate is held against its threshold: at least or at most, or a change on last year's figure."""

    AT_LEAST = "gte", "不低于"
    AT_MOST = "lte", "不高于"
    RISE = "rise", "较上年提高"
    FALL = "fall", "较上年降低"


class TaskStatus(models.TextChoices):
    TODO = "todo", "未开始"
    DOING = "doing", "进行中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "任务即将到期"
    OVERDUE = "overdue", "任务已逾期"
    AT_RISK = "at_risk", "指标预警"
    SECURITY = "security", "安全告警"
    REVIEW = "review", "文件待修订"
    REPORT_DUE = "rep_due", "报表即将截止"
    REPORT_LATE = "rep_late", "报表逾期未报"
