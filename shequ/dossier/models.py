"""The annual dossier (年度档案): one org's year in one zip, built in the background.

A :class:`Dossier` is the current archive of one community's year: its stored zip (a random name under
``dossiers/<id>/`` in the media storage, served only through a scoped view), its size and when it was built, and
whether it is frozen (built after the year was closed: kept and served as it is, never built again). A
:class:`DossierJob` is one click: one community's dossier, or every community below a street or district, built by
one task per community (any task worker takes one), with the progress of each community on its dossier row. The
communities a job failed (or left undone when its worker died) are built again by a retry: a new job of just those,
pointing back at the one it retries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shequ.accounts.access import ScopedQuerySet
from shequ.accounts.roles import Perm


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class DossierQuerySet(ScopedQuerySet):
    scope_perm = Perm.EXPORT


class DossierJob(models.Model):
    """One click of 生成年度档案: for ``org`` (a community) or every community below it (a street, a district)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    heartbeat = models.DateTimeField("最近进展", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries", verbose_name="重试的任务"
    )

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "年度档案生成任务"
        verbose_name_plural = "年度档案生成任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年度档案"


class Dossier(models.Model):
    """One community's dossier of one year: the zip last built whole, and the progress of the build under way."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    job = models.ForeignKey(DossierJob, null=True, on_delete=models.SET_NULL, related_name="dossiers")
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    step = models.CharField("当前步骤", max_length=120, blank=True)
    parts_done = models.PositiveIntegerField("已完成", default=0)
    parts_total = models.PositiveIntegerField("共计", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    file = models.CharField("文件", max_length=200, blank=True)  # its name in the media storage; empty until built
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    files = models.PositiveIntegerField("文件数", default=0)
    seconds = models.FloatField("用时（秒）", default=0)
    built_at = models.DateTimeField("生成时间", null=True, blank=True)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    frozen = models.BooleanField("已冻结", default=False, help_text="关账后生成：原样保存，不再重新生成")

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "年度档案"
        verbose_name_plural = "年度档案"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="dossier_org_year_unique")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年度档案"

    @property
    def percent(self) -> int:
        return round(100 * self.parts_done / self.parts_total) if self.parts_total else 0
