"""The append-only audit log (审计日志)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditDeletionRefused(Exception):
    pass


def retention_cutoff():
    return timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)


class AuditQuerySet(models.QuerySet):
    def delete(self):
        if self.filter(created_at__gte=retention_cutoff()).exists():
            raise AuditDeletionRefused(f"不能删除{settings.AUDIT_RETENTION_DAYS}天内的审计日志。")
        return super().delete()

    def update(self, **kwargs):
        raise AuditDeletionRefused("审计日志不能修改。")


# Chinese names of actions for people reading the log; unknown actions fall back to their verb.
ACTION_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出",
    "auth.login_failed": "登录失败",
    "auth.denied": "越权访问被拒绝",
    "auth.password_change": "修改密码",
}
VERB_LABELS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "move": "迁移",
    "retire": "撤销",
    "restore": "恢复",
    "add": "添加",
    "end": "终止",
    "revoke": "吊销",
    "import": "导入",
    "export": "导出",
    "transition": "流转",
    "close": "关账",
    "reopen": "重新开账",
}


class AuditLog(models.Model):
    """Who did what to which object, from where, and whether it was allowed.

    Rows are written only by :func:`shequ.audit.services.audit`; they are never updated, and none
    younger than ``AUDIT_RETENTION_DAYS`` can be deleted.
    """

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="操作人"
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    actor_org = models.ForeignKey(
        "orgs.Org", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="操作人组织"
    )
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    success = models.BooleanField("成功", default=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditDeletionRefused("审计日志不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.created_at >= retention_cutoff():
            raise AuditDeletionRefused(f"不能删除{settings.AUDIT_RETENTION_DAYS}天内的审计日志。")
        return super().delete(*args, **kwargs)

    @property
    def action_label(self) -> str:
        if self.action in ACTION_LABELS:
            return ACTION_LABELS[self.action]
        verb = self.action.rsplit(".", 1)[-1]
        return VERB_LABELS.get(verb, self.action)
