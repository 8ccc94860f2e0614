"""The audit log as a ledger (审计日志台账): the rows the audit page shows, with its filters, for one org's
subtree and one year, in every format of the ledger layer. Reading it needs the right to read the log."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.auditlog.filters import AuditFilter
from shequ.accounts.auditlog.selectors import audit_list
from shequ.accounts.roles import Perm
from shequ.audit.models import action_labels
from shequ.ledgers.declare import Column, Context, Filter, Kind, Ledger

CHUNK = 1000


def _action(text: str) -> str:
    if text not in action_labels():
        raise ValueError("请从列表中选择操作。")
    return text


def _day(text: str) -> str:
    date.fromisoformat(text)  # ValueError: not a date
    return text


def _success(text: str) -> str:
    if text not in {"0", "1"}:
        raise ValueError("请选择成功或失败/拒绝。")
    return text


def _who(text: str) -> str:
    return text[:50]


def _prepare(ctx: Context) -> None:
    if not (ctx.actor.is_superuser or access.can(ctx.actor, ctx.org, Perm.VIEW_AUDIT)):
        raise PermissionDenied("您没有查看该单位审计日志的权限。")


def _rows(ctx: Context):
    f = ctx.filters
    year = ctx.year or timezone.localdate().year
    since = max(date(year, 1, 1), date.fromisoformat(f["since"])) if f.get("since") else date(year, 1, 1)
    until = min(date(year, 12, 31), date.fromisoformat(f["until"])) if f.get("until") else date(year, 12, 31)
    data = {k: f[k] for k in ("action", "who", "success") if f.get(k)}
    data |= {"since": since.isoformat(), "until": until.isoformat(), "org": str(ctx.org.pk)}
    qs = AuditFilter(data, queryset=audit_list(ctx.actor), actor=ctx.actor).rows
    return qs.order_by("created_at", "id").iterator(chunk_size=CHUNK)


AUDIT = Ledger(
    code="audit",
    title="审计日志",
    area=None,
    orientation="landscape",
    prepare=_prepare,
    filters=[
        Filter("action", "操作", _action),
        Filter("who", "操作人", _who),
        Filter("success", "结果", _success),
        Filter("since", "起", _day),
        Filter("until", "止", _day),
    ],
    columns=[
        Column("序号", Kind.SERIAL),
        Column("时间", Kind.CODE, lambda r: timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M:%S")),
        Column("操作人", Kind.NAME, lambda r: r.actor_name),
        Column("组织", Kind.SHORT, lambda r: r.actor_org.name if r.actor_org_id else ""),
        Column("操作", Kind.SHORT, lambda r: r.action_label),
        Column("对象", Kind.SHORT, lambda r: r.object_label),
        Column("IP", Kind.CODE, lambda r: r.ip or ""),
        Column("结果", Kind.SHORT, lambda r: "成功" if r.success else "失败/拒绝"),
    ],
    rows=_rows,
    signatures=("制表人", "审核人"),
)

LEDGERS = (AUDIT,)
