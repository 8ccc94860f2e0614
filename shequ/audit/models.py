"""The append-only audit log (审计日志).

Each row carries a keyed hash of its own content (``row_hash``); once committed it is sealed into one chain
(``chain_seq``, ``chain_hash``) by :mod:`shequ.audit.chain`, so that ``manage.py audit_verify`` finds a row that
was edited, deleted or slipped in. The database refuses UPDATE and DELETE on the table (a trigger: django-pgtrigger
on PostgreSQL, a plain trigger from the migration on SQLite) except the one-time seal of a row and the pruning path.
Rows hold ids and keyed hashes only, never a resident's personal data: anonymising a person leaves the log whole.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditDeletionRefused(Exception):
    pass


def audit_mac(message: bytes) -> str:
    """HMAC-SHA256 under ``AUDIT_KEY`` (64 hex characters)."""
    return hmac.new(settings.AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


GENESIS = "0" * 64


def chain_link(prev: str, seq: int, row_hash: str) -> str:
    """The chain hash of the row at ``seq``: it binds the row's hash to every row sealed before it."""
    return audit_mac(f"{prev}:{seq}:{row_hash}".encode())


class AuditQuerySet(models.QuerySet):
    def visible_to(self, actor, perm: str = "view_audit") -> AuditQuerySet:
        """Rows written by actors acting for an org in the actor's audit scope (read from ``actor.scope``)."""
        scope = getattr(actor, "scope", None) if getattr(actor, "is_authenticated", False) else None
        if scope is None:
            return self.none()
        return self.filter(scope.rows_q(perm, field="actor_org"))

    def delete(self):
        raise AuditDeletionRefused("审计日志只能由 prune_audit 按保留期清理。")

    def update(self, **kwargs):
        raise AuditDeletionRefused("审计日志不能修改。")


# Chinese names of actions for people reading the log; unknown actions fall back to their verb.
ACTION_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出",
    "auth.login_failed": "登录失败",
    "auth.denied": "越权访问被拒绝",
    "auth.not_found": "访问不存在或范围外的对象",
    "auth.password_change": "修改密码",
    "audit.prune": "清理过期审计日志",
}
VERB_LABELS = {
    "create": "新建",
    "update": "修改",
    "change": "修改",
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
    "view": "查看",
}


def action_labels() -> dict[str, str]:
    """Every known action's Chinese name: the log's own, and those each app declares (``audit_actions`` on its
    ``AppConfig``), read from the app registry as the ledgers are."""
    labels = dict(ACTION_LABELS)
    for config in apps.get_app_configs():
        labels.update(getattr(config, "audit_actions", {}))
    return labels


def action_label(action: str) -> str:
    """The Chinese name of an action; an undeclared one by its verb (never the raw code where a verb is known)."""
    labels = action_labels()
    if action in labels:
        return labels[action]
    verb = action.rsplit(".", 1)[-1]
    return VERB_LABELS.get(verb, action)


# The columns a row's hash covers, in order: everything but the id and the chain.
HASHED_FIELDS = (
    "created_at",
    "actor_id",
    "actor_name",
    "actor_org_id",
    "action",
    "object_type",
    "object_id",
    "ip",
    "success",
    "detail",
)


def row_hash_of(row) -> str:
    """The keyed hash of a row's content in one canonical form, as stored (also used by the migration that
    stamps the rows written before the chain existed)."""
    created = row.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    values = [created, *(getattr(row, name) for name in HASHED_FIELDS[1:])]
    return audit_mac(json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())


class AuditLog(models.Model):
    """Who did what to which object, from where, and whether it was allowed.

    Rows are written only by :func:`shequ.audit.services.audit`; they are never updated (but for their seal into
    the chain, once), and deleted only by pruning past ``AUDIT_RETENTION_DAYS``. The actor's id and name stay in
    the row: deleting a user leaves them (no foreign-key constraint, nothing cascades).
    """

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    actor_org = models.ForeignKey(
        "orgs.Org",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="操作人组织",
    )
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    success = models.BooleanField("成功", default=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    row_hash = models.CharField("行校验值", max_length=64, blank=True, editable=False)
    chain_seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    chain_hash = models.CharField("链校验值", max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["id"], condition=models.Q(chain_seq__isnull=True), name="audit_unsealed"),
        ]
        triggers = [
            # A row changes once: when it is sealed (its chain columns go from empty to set, nothing else moves).
            pgtrigger.Protect(
                name="audit_no_update",
                operation=pgtrigger.Update,
                condition=(
                    pgtrigger.Q(old__chain_seq__isnull=False)
                    | pgtrigger.Q(new__chain_seq__isnull=True)
                    | pgtrigger.Q(old__created_at__df=pgtrigger.F("new__created_at"))
                    | pgtrigger.Q(old__actor_id__df=pgtrigger.F("new__actor_id"))
                    | pgtrigger.Q(old__actor_name__df=pgtrigger.F("new__actor_name"))
                    | pgtrigger.Q(old__actor_org_id__df=pgtrigger.F("new__actor_org_id"))
                    | pgtrigger.Q(old__action__df=pgtrigger.F("new__action"))
                    | pgtrigger.Q(old__object_type__df=pgtrigger.F("new__object_type"))
                    | pgtrigger.Q(old__object_id__df=pgtrigger.F("new__object_id"))
                    | pgtrigger.Q(old__ip__df=pgtrigger.F("new__ip"))
                    | pgtrigger.Q(old__success__df=pgtrigger.F("new__success"))
                    | pgtrigger.Q(old__detail__df=pgtrigger.F("new__detail"))
                    | pgtrigger.Q(old__row_hash__df=pgtrigger.F("new__row_hash"))
                ),
            ),
            # Deleting is pruning's alone (shequ.audit.chain.prune, under pgtrigger.ignore).
            pgtrigger.Protect(name="audit_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditDeletionRefused("审计日志不能修改。")
        self.prepare()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditDeletionRefused("审计日志只能由 prune_audit 按保留期清理。")

    def compute_row_hash(self) -> str:
        return row_hash_of(self)

    def prepare(self) -> AuditLog:
        """Normalise the fields as the database will return them, then stamp the row's hash."""
        if self.ip:
            self.ip = self._meta.get_field("ip").get_prep_value(self.ip)
        self.detail = json.loads(json.dumps(self.detail or {}, default=str))
        self.row_hash = self.compute_row_hash()
        return self

    @property
    def object_label(self) -> str:
        """The object as people read it: its kind and id (the log keeps no names)."""
        if not self.object_type:
            return ""
        try:
            kind = apps.get_model(self.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            kind = self.object_type
        return f"{kind} #{self.object_id}" if self.object_id else str(kind)

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class AuditPerson(models.Model):
    """A person an audited row covered beside its object: each resident of a roster exported with whole ID numbers.

    Written in bulk after the export's row (:func:`shequ.audit.services.audit_persons`), ids only, so that a person's
    我的信息 and the 敏感个人信息查阅台账 count the export for every person it held, by an index on the person. The
    export's row keeps their number and a digest of their ids; pruning the row removes these with it.
    """

    audit = models.ForeignKey(
        AuditLog, on_delete=models.DO_NOTHING, db_constraint=False, related_name="persons", verbose_name="审计日志"
    )
    person_id = models.BigIntegerField("居民ID")

    class Meta:
        verbose_name = "审计日志涉及的居民"
        verbose_name_plural = "审计日志涉及的居民"
        indexes = [models.Index(fields=["person_id", "audit"], name="audit_person")]

    def __str__(self) -> str:
        return f"{self.audit_id}:{self.person_id}"
