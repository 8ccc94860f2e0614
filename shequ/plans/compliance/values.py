"""Rate and change targets (知晓率 ≥97%, 培训率 较上年+5): the latest measured value against the threshold or
against last year's value."""

from __future__ import annotations

from shequ.plans.compliance.facts import Facts
from shequ.plans.compliance.indicators import expected_text, reached
from shequ.plans.compliance.states import Cell, Result, State, fmt, year_span
from shequ.plans.models import RateEntry, Target, TargetKind


def load_entries(facts: Facts) -> None:
    """The latest entry of each rate and change target, and last year's values where a change has no baseline."""
    valued = [t for t in facts.targets if t.kind in (TargetKind.RATE, TargetKind.CHANGE)]
    if valued:
        for target_id, value, measured_on in (
            RateEntry.objects.filter(target_id__in=[t.pk for t in valued])
            .order_by("target_id", "measured_on", "id")
            .values_list("target_id", "value", "measured_on")
        ):
            facts.latest[target_id] = (value, measured_on)  # the last one wins
    changes = [t for t in valued if t.kind == TargetKind.CHANGE and t.baseline is None]
    if changes:
        for org_id, code, value in (
            RateEntry.objects.filter(
                target__plan__year=facts.year - 1,
                target__plan__org_id__in={t.plan.org_id for t in changes},
                target__code__in={t.code for t in changes},
            )
            .order_by("measured_on", "id")
            .values_list("target__plan__org_id", "target__code", "value")
        ):
            facts.last_year[(org_id, code)] = value


def evaluate_value(t: Target, facts: Facts) -> Result:
    year, today = facts.year, facts.today
    ys = year_span(year)
    latest = facts.latest.get(t.pk)
    value = latest[0] if latest else None
    note = f"测定于{latest[1]:%Y-%m-%d}" if latest else "尚未录入"
    baseline = None
    if t.kind == TargetKind.CHANGE:
        baseline = t.baseline if t.baseline is not None else facts.last_year.get((t.plan.org_id, t.code))
        expected = expected_text(t, baseline, "")
        done = fmt(value - baseline) if value is not None and baseline is not None else fmt(value)
    else:
        expected = expected_text(t, None, "")
        done = fmt(value)
    if reached(t, value, baseline):
        state = State.OK
    elif today > ys.end:
        state = State.FAIL
    elif value is None and ys.elapsed_fraction(today) >= 0.5:
        state = State.WARN
    else:
        state = State.PROGRESS
    cell = Cell("全年", ys.start, ys.end, expected, done, state, note=note)
    return Result(t, year, [cell], cell, [state] * 12)
