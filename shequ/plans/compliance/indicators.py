"""Computed targets (计算指标): the figure of an indicator of the catalogue for the plan's org and year, held
against the threshold — at least, at most, or a rise or fall on last year's computed figure.

All the evaluation's indicator targets are computed together (:func:`shequ.plans.indicators.compute.compute`):
one grouped query per distinct measure for every org, and as many again for last year's figures when a change
target has no baseline of its own.
"""

from __future__ import annotations

from decimal import Decimal

from shequ.core.indicators import Period
from shequ.plans.compliance.facts import Facts
from shequ.plans.compliance.states import Cell, Result, State, fmt, year_span
from shequ.plans.indicators import compute, registry
from shequ.plans.models import Comparison, Target, TargetKind


def _ask(t: Target) -> compute.Ask:
    return (t.indicator, t.population, t.plan.org_id)


def load_indicators(facts: Facts) -> None:
    targets = [t for t in facts.targets if t.kind == TargetKind.INDICATOR and t.indicator]
    if not targets:
        return
    fold = facts.fold or compute.Fold.load(facts.plan_org_ids)
    period = Period(facts.year, facts.today)
    figures = compute.compute([_ask(t) for t in targets], period, fold=fold)
    for t in targets:
        if _ask(t) in figures:
            facts.figures[t.pk] = figures[_ask(t)]
    earlier = [t for t in targets if t.versus_last_year and t.baseline is None]
    if earlier:
        last = compute.compute([_ask(t) for t in earlier], period.previous(), fold=fold)
        for t in earlier:
            if _ask(t) in last:
                facts.last_figures[t.pk] = last[_ask(t)]


def expected_text(t: Target, baseline: Decimal | None, unit: str) -> str:
    threshold = fmt(t.threshold)
    if t.comparison == Comparison.RISE or (t.kind == TargetKind.CHANGE and t.comparison != Comparison.FALL):
        sign = "+"
    elif t.comparison == Comparison.FALL:
        sign = "-"
    elif t.comparison == Comparison.AT_MOST:
        return f"≤{threshold}{unit}"
    else:
        return f"≥{threshold}{unit}" if t.max_value is None else f"{threshold}–{fmt(t.max_value)}{unit}"
    last = f"（上年{fmt(baseline)}{unit}）" if baseline is not None else "（缺上年数）"
    return f"较上年{sign}{threshold}{'个百分点' if unit == '%' else unit}{last}"


def reached(t: Target, value: Decimal | None, baseline: Decimal | None) -> bool:
    """Whether ``value`` meets the target (a rise or fall needs last year's figure)."""
    if value is None or t.threshold is None:
        return False
    if t.versus_last_year:
        if baseline is None:
            return False
        change = baseline - value if t.comparison == Comparison.FALL else value - baseline
        return change >= t.threshold
    if t.comparison == Comparison.AT_MOST:
        return value <= t.threshold
    return value >= t.threshold and (t.max_value is None or value <= t.max_value)


def evaluate_indicator(t: Target, facts: Facts) -> Result:
    ys = year_span(facts.year)
    today = facts.today
    ind = registry.get(t.indicator)
    fig = facts.figures.get(t.pk)
    unit = ind.unit if ind else t.unit
    last = facts.last_figures.get(t.pk)
    baseline = t.baseline if t.baseline is not None else (last.value if last is not None else None)
    value = fig.value if fig is not None else None
    short = bool(
        fig is not None and t.min_sample and fig.sample is not None and fig.sample < t.min_sample and value is not None
    )
    usable = value is not None and not short
    if ind is None:
        done, note = "—", f"指标口径目录中没有“{t.indicator}”"
    elif value is None:
        done, note = "无数据", "分母为0，暂无数据"
    elif short:
        done, note = "样本不足", f"样本{fig.sample}份，少于要求的{t.min_sample}份（计算值{fig.text}）"
    else:
        done = fig.text if not t.versus_last_year or baseline is None else f"{fig.text}（{_change(value, baseline)}）"
        note = _note(fig)
    if usable and reached(t, value, baseline):
        state = State.OK
    elif usable and ind is not None and ind.measured and not (t.versus_last_year and baseline is None):
        state = State.FAIL  # a closed survey below the target: measured, not still accumulating
    elif today > ys.end:
        state = State.FAIL
    elif not usable and ys.elapsed_fraction(today) >= 0.5:
        state = State.WARN
    else:
        state = State.PROGRESS
    cell = Cell("全年", ys.start, ys.end, expected_text(t, baseline, unit), done, state, note=note)
    return Result(t, facts.year, [cell], cell, [state] * 12, figure=fig, baseline=last)


def _change(value: Decimal, baseline: Decimal) -> str:
    d = value - baseline
    return f"较上年{'+' if d >= 0 else ''}{fmt(d)}"


def _note(fig: compute.Figure) -> str:
    parts = [
        f"{fmt(fig.numerator)}{fig.indicator.unit}"
        if fig.indicator.is_count
        else f"{fmt(fig.numerator)}/{fmt(fig.denominator)}"
    ]
    if fig.sample is not None:
        parts.append(f"样本{fig.sample}份")
    interval = fig.interval
    if interval is not None:
        parts.append(f"95%置信区间{fmt(interval[0])}–{fmt(interval[1])}{fig.indicator.unit}")
    return "，".join(parts)
