"""Documents (制度、预案、章程): an org's register of the documents of a line of work — rules, emergency plans,
charters, work plans, assessment standards, reward rules and summaries — each with its versions (a new version
supersedes the last and keeps it), the day it was adopted, the day it is next due for review, and its file."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shequ.accounts.access import ScopedQuerySet
from shequ.core.uploads import random_name


class DocKind(models.TextChoices):
    RULE = "rule", "制度"
    EMERGENCY = "emergency", "应急预案"
    CHARTER = "charter", "章程"
    PLAN = "plan", "工作计划"
    STANDARD = "standard", "考核标准"
    REWARD = "reward", "奖惩措施"
    SUMMARY = "summary", "工作总结"


class DocumentQuerySet(ScopedQuerySet):
    """A document is seen where its org is, by a 专干 in their line of work."""

    scope_area_field = "area"

    def current(self):
        """The versions in force: not superseded by a later one, not withdrawn."""
        return self.filter(superseded_by__isnull=True, withdrawn_on__isnull=True)


def document_path(instance, filename: str) -> str:
    return random_name("documents", filename)


class Document(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    area = models.ForeignKey("orgs.Area", on_delete=models.PROTECT, related_name="+", verbose_name="条线")
    kind = models.CharField("类别", max_length=12, choices=DocKind.choices)
    title = models.CharField("名称", max_length=200)
    number = models.CharField("文号", max_length=60, blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    # Every version of a document shares the first version's id: its history is one indexed query.
    series = models.PositiveIntegerField("文件编号", null=True, blank=True, db_index=True, editable=False)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by", verbose_name="上一版本"
    )
    adopted_on = models.DateField("制定/通过日期")
    review_on = models.DateField("下次修订日期", null=True, blank=True)
    withdrawn_on = models.DateField("废止日期", null=True, blank=True)
    summary = models.TextField("主要内容", blank=True)
    file = models.FileField("文件", upload_to=document_path)
    file_name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "制度文件"
        verbose_name_plural = "制度文件"
        ordering = ["org__path", "area__sort", "kind", "title", "-version"]
        indexes = [
            models.Index(fields=["org", "adopted_on"]),
            models.Index(fields=["review_on"], name="document_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"
