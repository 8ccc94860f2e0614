"""The year-end assessment as it is filed (年终考核结果): one community's items, line by line, with the figure Shequ
computed, the self score, the street's score with its reason, the final score; the totals, the vetoes applied and
the steps of the cycle after the table. Declared for the ledger layer."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from shequ.accounts.roles import Perm
from shequ.assessment import scoring
from shequ.assessment.models import Assessment, Score
from shequ.ledgers.declare import Column, Context, Kind, Ledger
from shequ.ledgers.values import cn_date


def _assessment(ctx: Context) -> Assessment | None:
    if "assessment" not in ctx.detail:
        found = (
            Assessment.objects.visible_to(ctx.actor, Perm.EXPORT)
            .filter(org=ctx.org, year=ctx.year)
            .prefetch_related("events__actor")
            .first()
        )
        ctx.detail["assessment"] = found.pk if found else None
        ctx.subject = found
    return ctx.subject


def _rows(ctx: Context) -> Iterable[Score]:
    a = _assessment(ctx)
    if a is None:
        return []
    scores = list(
        Score.objects.visible_to(ctx.actor, Perm.EXPORT)
        .filter(assessment=a)
        .select_related("rubric", "rubric__area")
        .order_by("rubric__sort", "rubric_id", "pk")
    )
    order = {(s.rubric_id, i["code"]): n for s in scores for n, i in enumerate(s.rubric.items)}
    return sorted(scores, key=lambda s: (s.rubric.sort, s.rubric_id, order.get((s.rubric_id, s.item), 99)))


def _score(v) -> str:
    return "" if v is None else f"{v.normalize():f}"


def _points(s: Score) -> str:
    return "" if scoring.kind_of(s.spec) == "veto" else _score(Decimal(str(s.spec.get("points", 0))))


def _kind(s: Score) -> str:
    return {"computed": "计算", "judged": "评审", "veto": "否决"}.get(scoring.kind_of(s.spec), "")


def _notes(ctx: Context) -> list[str]:
    a = _assessment(ctx)
    if a is None:
        return [f"{ctx.org.name}{ctx.year}年度考核尚未发起。"]
    out = [f"阶段：{a.get_stage_display()}。否决前得分：{_score(a.raw_total)}分；总分：{_score(a.total)}分。"]
    out += [f"一票否决：{line}" for line in a.veto_text.splitlines() if line.strip()] or ["一票否决：未发生。"]
    out += [f"{cn_date(e.at.date())} {e.action}（{e.actor.display_name}）{e.note}" for e in a.events.all()]
    return out


LEDGER = Ledger(
    code="assessment",
    title="年终考核结果",
    area=None,
    orientation="landscape",
    columns=[
        Column("序号", Kind.SERIAL),
        Column("条线", Kind.SHORT, lambda s: s.rubric.area.name),
        Column("考核项目", Kind.TEXT, lambda s: s.spec.get("label", s.item)),
        Column("类别", Kind.SHORT, _kind),
        Column("分值", Kind.NUMBER, _points),
        Column("计算依据", Kind.TEXT, lambda s: s.computed_note),
        Column("自评分", Kind.NUMBER, lambda s: _score(s.self_score)),
        Column("审核分", Kind.NUMBER, lambda s: _score(s.review_score)),
        Column("审核意见", Kind.TEXT, lambda s: s.review_reason),
        Column("得分", Kind.NUMBER, lambda s: _score(s.final)),
    ],
    rows=_rows,
    notes=_notes,
    notes_heading="考核结果",
    signatures=("制表人", "审核人", "负责人"),
)
LEDGERS = (LEDGER,)
