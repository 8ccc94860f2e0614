"""Scoring a rubric (考核细则), as pure functions over its items and the figures Shequ computed.

An item is one of:

- **computed** (``source``): a count of Shequ's rows in the year (``{"measure": {...}}``) or an indicator of the
  catalogue (``{"indicator": code}``). Full points when the figure reaches ``expect``; below it, ``per_missing``
  is deducted for each missing occurrence (a count) or ``per_point`` for each point below the threshold (a rate),
  never below ``floor``. A rate without data scores ``floor``.
- **computed from a target** (``source: {"target": code}``): the state compliance works out for the target of that
  code in the org's plan of the year, period by period: full points when 达标 or while its periods are still
  running; ``per_missing`` (default: all its points) is deducted for each period that ended 未达标 (a month without
  its board change), or, for a target judged on the year alone (a year count, a deadline, a rate), for each
  occurrence short, or once when it failed; never below ``floor``. No such target in the year's plan scores
  ``floor``.
- **judged** (``judged: true``): a reviewer scores it, 0 to its points, with reasons and evidence.
- **veto** (``veto``): cases of the named types in the year (a 安全责任事故, a 邪教 incident, a 群体性事件) trigger
  its ``effect``: ``zero_line`` / ``cap_line`` (the line scores 0, or at most ``cap``) or ``zero_all`` /
  ``cap_all`` (the whole result). A veto item has no points of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
EFFECTS = {
    "zero_line": "本条线得0分",
    "cap_line": "本条线最高{cap}分",
    "zero_all": "考核总分为0",
    "cap_all": "考核总分最高{cap}分",
}


def q(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def kind_of(item: dict) -> str:
    if item.get("veto"):
        return "veto"
    if item.get("judged"):
        return "judged"
    return "computed"


def computed_score(item: dict, figure: Decimal | None) -> tuple[Decimal, str]:
    """The points a computed item earns for ``figure`` (None: no data), and how, in words."""
    points, floor = Decimal(str(item["points"])), Decimal(str(item.get("floor", 0)))
    expect = Decimal(str(item["expect"]))
    if figure is None:
        return floor, "无数据"
    if figure >= expect:
        return points, f"{figure.normalize():f}，达标"
    short = expect - figure
    if "per_point" in item:
        lost = short * Decimal(str(item["per_point"]))
        how = f"{figure.normalize():f}，比{expect.normalize():f}低{q(short).normalize():f}个百分点"
    else:
        short = short.to_integral_value(rounding="ROUND_CEILING")
        lost = short * Decimal(str(item.get("per_missing", item["points"])))
        how = f"{figure.normalize():f}，少{short.normalize():f}次"
    score = max(points - lost, floor)
    return q(score), f"{how}，扣{q(points - score).normalize():f}分"


def target_score(item: dict, result) -> tuple[Decimal, str]:
    """The points a target-sourced item earns for ``result`` (a compliance ``Result``; None: the org's plan of the
    year has no such target), and how, in words."""
    points, floor = Decimal(str(item["points"])), Decimal(str(item.get("floor", 0)))
    if result is None:
        return floor, "本年计划中无此指标"
    per = Decimal(str(item.get("per_missing", item["points"])))
    failed = [c for c in result.periods if c.state == "fail"]
    if len(result.periods) > 1:
        missing = len(failed)
        how = f"{'、'.join(c.label for c in failed[:6])}{'等' if len(failed) > 6 else ''}未达标（{len(failed)}期）"
    elif result.state == "fail":
        short = result.total.missing
        missing = short if short else 1
        how = f"少{missing}次" if short else f"未达标（{result.total.done}）"
    else:
        missing, how = 0, ""
    if not missing:
        return points, "达标" if result.state == "ok" else "进行中，尚无逾期未达标"
    score = max(points - per * missing, floor)
    return q(score), f"{how}，扣{q(points - score).normalize():f}分"


@dataclass
class VetoHit:
    item: dict
    events: list  # what triggered it: (title, url)

    @property
    def effect_text(self) -> str:
        return EFFECTS[self.item["effect"]].format(cap=self.item.get("cap", 0))


@dataclass
class LineResult:
    """One line of work's result: the items' scores added up, then its own vetoes applied."""

    points: Decimal
    raw: Decimal
    score: Decimal
    vetoes: list[VetoHit] = field(default_factory=list)


def line_result(items: list[dict], scores: dict[str, Decimal | None], vetoes: dict[str, list]) -> LineResult:
    """``scores``: each scored item's points (None: not scored yet, counts 0); ``vetoes``: veto code → events."""
    points = sum((Decimal(str(i["points"])) for i in items if kind_of(i) != "veto"), ZERO)
    raw = sum((scores.get(i["code"]) or ZERO for i in items if kind_of(i) != "veto"), ZERO)
    score = raw
    hits = [VetoHit(i, vetoes[i["code"]]) for i in items if kind_of(i) == "veto" and vetoes.get(i["code"])]
    for hit in hits:
        effect = hit.item["effect"]
        if effect == "zero_line":
            score = ZERO
        elif effect == "cap_line":
            score = min(score, Decimal(str(hit.item.get("cap", 0))))
    return LineResult(points=points, raw=q(raw), score=q(score), vetoes=hits)


def total_result(lines: list[tuple[list[dict], LineResult]]) -> tuple[Decimal, Decimal, list[VetoHit]]:
    """(raw total, total after the vetoes on the whole result, every veto that applied)."""
    raw = sum((r.score for _items, r in lines), ZERO)
    total = raw
    hits = [h for _items, r in lines for h in r.vetoes]
    for hit in hits:
        effect = hit.item["effect"]
        if effect == "zero_all":
            total = ZERO
        elif effect == "cap_all":
            total = min(total, Decimal(str(hit.item.get("cap", 0))))
    return q(raw), q(total), hits
