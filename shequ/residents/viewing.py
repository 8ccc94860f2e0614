"""Who viewed whose sensitive personal data (敏感个人信息查阅台账), month by month, from the audit log.

The log keeps who looked (``person.view_id``: a whole ID number; ``person.view_sensitive``: a page showing a
残疾, 严重精神障碍, 吸毒 or 社区矫正 profile) by ids only; this ledger names the residents for those who may read
the log (the right to read the log at the org), as far as they may see each resident, and only masked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.auditlog.filters import AuditFilter
from shequ.accounts.auditlog.selectors import audit_list
from shequ.accounts.roles import Perm
from shequ.ledgers.declare import Column, Context, Filter, Kind, Ledger
from shequ.residents.models import Person, SpecialKind

ACTIONS = ("person.view_id", "person.view_sensitive")
KINDS = {"disability": "残疾", **dict(SpecialKind.choices)}
OUT_OF_SCOPE = "（不在本人管辖范围）"
CHUNK = 1000


def _month(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise ValueError("月份为1至12。")
    return int(text)


def _prepare(ctx: Context) -> None:
    if not (ctx.actor.is_superuser or access.can(ctx.actor, ctx.org, Perm.VIEW_AUDIT)):
        raise PermissionDenied("您没有查看该单位审计日志的权限。")


def _what(row) -> str:
    if row.action == "person.view_id":
        detail = row.detail or {}
        return f"导出名册（含完整身份证号，{detail.get('whole', 0)}人）" if detail.get("export") else "完整证件号码"
    return "、".join(str(KINDS.get(k, k)) for k in (row.detail or {}).get("kinds", [])) or "敏感档案"


def _rows(ctx: Context) -> Iterator:
    year = ctx.year or timezone.localdate().year
    month = ctx.filters.get("month")
    since = date(year, month or 1, 1)
    until = date(year, 12, 31) if not month or month == 12 else date(year, month + 1, 1) - timedelta(days=1)
    data = {"since": since.isoformat(), "until": until.isoformat(), "org": str(ctx.org.pk)}
    qs = AuditFilter(data, queryset=audit_list(ctx.actor), actor=ctx.actor).rows
    rows = qs.filter(action__in=ACTIONS).order_by("created_at", "id").iterator(chunk_size=CHUNK)
    visible = Person.objects.visible_to(ctx.actor)
    while chunk := list(islice(rows, CHUNK)):
        ids = {int(r.object_id) for r in chunk if r.object_id.isdigit()}
        persons = {p.pk: p for p in visible.filter(pk__in=ids).only("pk", "name", "id_masked")} if ids else {}
        for r in chunk:
            person = persons.get(int(r.object_id)) if r.object_id.isdigit() else None
            r.person_name = person.name if person else ("" if not r.object_id else OUT_OF_SCOPE)
            if not r.object_id and (r.detail or {}).get("export"):
                r.person_name = f"名册内{(r.detail or {}).get('whole', 0)}人"
            r.person_id_masked = person.id_masked if person else ""
            r.what = _what(r)
            yield r


def _title(ctx: Context) -> str:
    month = ctx.filters.get("month")
    return "敏感个人信息查阅台账" + (f"（{month}月）" if month else "")


def _when(r) -> str:
    return timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M")


SENSITIVE_VIEWS = Ledger(
    code="sensitive-views",
    title="敏感个人信息查阅台账",
    area=None,
    orientation="landscape",
    prepare=_prepare,
    filters=[Filter("month", "月份", _month)],
    title_for=_title,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("月份", Kind.SHORT, lambda r: f"{timezone.localtime(r.created_at).month}月"),
        Column("查阅时间", Kind.CODE, _when),
        Column("查阅人", Kind.NAME, lambda r: r.actor_name),
        Column("查阅人单位", Kind.SHORT, lambda r: r.actor_org.name if r.actor_org_id else ""),
        Column("被查阅居民", Kind.NAME, lambda r: r.person_name),
        Column("证件号码（掩码）", Kind.CODE, lambda r: r.person_id_masked),
        Column("查阅内容", Kind.SHORT, lambda r: r.what),
        Column("结果", Kind.SHORT, lambda r: "已查阅" if r.success else "被拒绝"),
    ],
    rows=_rows,
    signatures=("制表人", "个人信息保护负责人"),
)
