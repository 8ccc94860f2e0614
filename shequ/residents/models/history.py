"""History of the registry: moves between communities, and import jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shequ.accounts.access import ScopedQuerySet
from shequ.accounts.roles import Perm
from shequ.core import uploads


class PersonMoveQuerySet(ScopedQuerySet):
    """A move belongs to the community the person left: its memory of who went where."""

    scope_field = "from_org"


class ImportJobQuerySet(ScopedQuerySet):
    """Import jobs are working material of those who may import into the org."""

    scope_perm = Perm.IMPORT_DATA


class PersonMove(models.Model):
    """A person left one community for another: the old community keeps this row and its own records."""

    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="moves", verbose_name="居民")
    from_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="迁出社区")
    to_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="迁入社区")
    from_household_number = models.CharField("原户号", max_length=40, blank=True)
    moved_on = models.DateField("迁移日期")
    note = models.CharField("说明", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="经办人"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonMoveQuerySet.as_manager()

    class Meta:
        verbose_name = "迁移记录"
        verbose_name_plural = "迁移记录"
        ordering = ["-moved_on", "-id"]
        indexes = [
            models.Index(fields=["from_org", "-moved_on"], name="personmove_from"),
            models.Index(fields=["to_org", "-moved_on"], name="personmove_to"),
        ]

    def __str__(self) -> str:
        return f"{self.from_org} → {self.to_org}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    MAPPING = "mapping", "待确认列"
    CHECKING = "checking", "检查中"
    CHECKED = "checked", "已检查"
    IMPORTING = "importing", "导入中"
    DONE = "done", "已导入"
    FAILED = "failed", "未通过"
    DISCARDED = "discarded", "已放弃"


def import_file_path(instance, filename: str) -> str:
    """residents/imports/2026/03/<random>.sealed: the file is stored encrypted (``shequ.core.sealed``), under a
    name nobody can guess; the name it was uploaded under is ``ImportJob.filename``."""
    return uploads.random_name("residents/imports", "upload.sealed")


class ImportJob(models.Model):
    """One uploaded file: its dry run (errors by row and column, counts) and, once confirmed, its import.

    Large files run as a background task; ``processed`` and ``total`` drive the progress bar. The file is kept
    sealed only while the job needs it (see ``residents.imports.jobs``): ``file`` is empty once it was deleted.
    """

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="导入到")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="导入人"
    )
    file = models.FileField("文件（加密）", upload_to=import_file_path, blank=True)
    filename = models.CharField("文件名", max_length=200)
    status = models.CharField("状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    commit = models.BooleanField("正式导入", default=False)
    total = models.PositiveIntegerField("总行数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    added = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("无变化", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    sheet = models.CharField("工作表", max_length=100, blank=True, help_text="空白时取行数最多的工作表")
    sheets = models.JSONField("全部工作表", default=list, blank=True)
    layout = models.JSONField(
        "表格结构", default=dict, blank=True, help_text="表头所在行、各列表头、前几行的值，以及待确认的列"
    )
    mapping = models.JSONField("列的对应", default=dict, blank=True, help_text="列序号 → 字段，空白表示忽略")
    changes = models.JSONField("将修改的内容", default=list, blank=True)
    skipped = models.JSONField("跳过的行", default=list, blank=True)
    phase = models.CharField("阶段", max_length=16, blank=True)
    heartbeat = models.DateTimeField("最近进展", null=True, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "-created_at"], name="importjob_org_time")]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        """Checking is the first half of a real import, writing the second."""
        share = min(1.0, self.processed / self.total) if self.total else 0.0
        if self.phase == "writing":
            return 50 + int(share * 50)
        return int(share * (50 if self.commit else 100))

    @property
    def running(self) -> bool:
        return self.status in {ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.IMPORTING}


class ImportMapping(models.Model):
    """How an org's files of one shape map to the registry's fields, remembered for the next upload.

    The shape is the file's header cells in order (normalised); ``mapping`` maps a header to a field key,
    or to "" for a column the worker chose to ignore.
    """

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+", verbose_name="组织")
    shape = models.CharField("表头特征", max_length=64)
    headers = models.JSONField("表头", default=list)
    mapping = models.JSONField("对应", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="确认人"
    )
    updated_at = models.DateTimeField("确认时间", auto_now=True)

    class Meta:
        verbose_name = "导入列对应"
        verbose_name_plural = "导入列对应"
        constraints = [models.UniqueConstraint(fields=["org", "shape"], name="importmapping_org_shape")]

    def __str__(self) -> str:
        return f"{self.org_id}:{self.shape[:8]}"
