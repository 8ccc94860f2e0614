"""Ledgers (台账) of groups, declared for the ledger layer: the roster of the groups with their terms
(组织机构及成员名册; ``?group=`` for one group)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, Q
from django.http import Http404

from shequ.accounts.roles import Perm
from shequ.groups.models import Group, GroupMember, GroupTerm
from shequ.ledgers.declare import Column, Context, Filter, Kind, Ledger
from shequ.orgs.models import subtree_q

CHUNK = 1000


def _pk(text: str) -> int:
    if not text.isdigit() or len(text) > 12:
        raise ValueError("请填写编号。")
    return int(text)


def _roster_prepare(ctx: Context) -> None:
    """With ``?group=``: that group, if the actor may see it and it lies in the org; its line of work is the
    ledger's."""
    pk = ctx.filters.get("group")
    if pk is None:
        return
    group = Group.objects.visible_to(ctx.actor, Perm.EXPORT).select_related("area", "org").filter(pk=pk).first()
    if group is None or not group.org.path.startswith(ctx.org.path):
        raise Http404
    ctx.subject = group
    ctx.area = group.area


def _year_q(year: int, prefix: str = "") -> Q:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Q(**{f"{prefix}joined_on__lte": end}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": start})
    )


def _roster_rows(ctx: Context) -> Iterable[GroupMember]:
    assert ctx.year is not None
    qs = GroupMember.objects.visible_to(ctx.actor, Perm.EXPORT).filter(
        subtree_q(ctx.org.path, "group__org__path"), _year_q(ctx.year)
    )
    if ctx.subject is not None:
        qs = qs.filter(group=ctx.subject)
    end, start = date(ctx.year, 12, 31), date(ctx.year, 1, 1)
    terms = Prefetch(
        "group__terms", queryset=GroupTerm.objects.filter(start__lte=end, end__gte=start).order_by("number")
    )
    return (
        qs.select_related("group", "group__org", "group__kind")
        .prefetch_related(terms)
        .order_by("group__org__path", "group__area__sort", "group__kind__sort", "group_id", "joined_on", "id")
        .iterator(chunk_size=CHUNK)
    )


def _terms(m: GroupMember) -> str:
    return "；".join(t.label for t in m.group.terms.all())


def _roster_title(ctx: Context) -> str:
    return f"{ctx.subject.name}成员名册" if ctx.subject is not None else "组织机构及成员名册"


ROSTER = Ledger(
    code="group-roster",
    title="组织机构及成员名册",
    area=None,
    filters=[Filter("group", "组织机构", _pk)],
    prepare=_roster_prepare,
    title_for=_roster_title,
    name_for=_roster_title,
    columns=[
        Column("序号", Kind.SERIAL),
        Column("组织机构", Kind.SHORT, lambda m: m.group.name),
        Column("单位", Kind.SHORT, lambda m: m.group.org.name, on_paper=False),
        Column("类型", Kind.SHORT, lambda m: m.group.kind.name),
        Column("届次及任期", Kind.SHORT, _terms),
        Column("姓名", Kind.NAME, lambda m: m.name),
        Column("职务", Kind.SHORT, lambda m: m.role),
        Column("类别", Kind.SHORT, lambda m: m.category),
        Column("工作单位及职务", Kind.TEXT, lambda m: m.unit),
        Column("加入日期", Kind.DATE, lambda m: m.joined_on),
        Column("退出日期", Kind.DATE, lambda m: m.left_on),
    ],
    rows=_roster_rows,
)

LEDGERS = (ROSTER,)
