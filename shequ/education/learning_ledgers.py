"""The ledger of the learning-organisation register (学习型组织创建台账): every family, building and unit on the
register in the year with that year's score and result, and the share recognised against last year's."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q

from shequ.accounts.roles import Perm
from shequ.education import learning
from shequ.education.learning_models import LearningEvaluation, LearningKind, LearningOrg
from shequ.ledgers.declare import Column, Context, Kind, Ledger
from shequ.orgs.models import subtree_q

CHUNK = 1000


def _rows(ctx: Context) -> Iterable[LearningOrg]:
    assert ctx.year is not None
    year = ctx.year
    this_year = LearningEvaluation.objects.filter(year=year).annotate(n_files=Count("files"))
    return (
        LearningOrg.objects.visible_to(ctx.actor, Perm.EXPORT)
        .filter(
            subtree_q(ctx.org.path, "org__path"),
            Q(listed_on__year__lte=year),
            Q(left_on__isnull=True) | Q(left_on__year__gte=year),
        )
        .select_related("org")
        .prefetch_related(Prefetch("evaluations", queryset=this_year, to_attr="this_year"))
        .order_by("org__path", "kind", "name", "id")
        .iterator(chunk_size=CHUNK)
    )


def _ev(c: LearningOrg) -> LearningEvaluation | None:
    return c.this_year[0] if c.this_year else None


def _evidence(c: LearningOrg) -> str:
    ev = _ev(c)
    if ev is None:
        return ""
    parts = [f"{ev.n_files}个文件"] if ev.n_files else []
    if ev.record_id:
        parts.append("评比记录")
    return "、".join(parts)


def _notes(ctx: Context) -> list[str]:
    assert ctx.year is not None
    out = []
    for row in learning.shares([ctx.org], ctx.year)[0]["rows"]:
        now, last = row["now"], row["last"]
        text = f"{row['label']}：本年{now.text}（{now.numerator:.0f}/{now.denominator:.0f}），上年{last.text}"
        if row["change"] is not None:
            text += f"，较上年{row['change_text']}个百分点"
        out.append(text + "。")
    return out


REGISTER = Ledger(
    code="learning-orgs",
    title="学习型组织创建台账",
    area="education",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("社区", Kind.NAME, lambda c: c.org.name),
        Column("类别", Kind.SHORT, lambda c: LearningKind(c.kind).label),
        Column("名称", Kind.SHORT, lambda c: c.name),
        Column("户主/负责人", Kind.NAME, lambda c: c.contact),
        Column("地址", Kind.SHORT, lambda c: c.address, on_paper=False),
        Column("列入名册", Kind.DATE, lambda c: c.listed_on),
        Column("评估日期", Kind.DATE, lambda c: _ev(c).evaluated_on if _ev(c) else None),
        Column("得分", Kind.NUMBER, lambda c: _ev(c).total if _ev(c) else None),
        Column("评定结果", Kind.SHORT, lambda c: _ev(c).get_result_display() if _ev(c) else "未评估"),
        Column("佐证材料", Kind.SHORT, _evidence),
    ],
    rows=_rows,
    notes=_notes,
    notes_heading="学习型组织占各类组织的比例",
)

LEDGERS = (REGISTER,)
