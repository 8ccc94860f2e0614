"""States of compliance: what one period of one target shows (达标, 未达标, 进行中, 预警, 未开始) and how
the states of periods combine into a month's or a year's."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from shequ.plans.models import Target
from shequ.plans.periods import PeriodKind, Span


class State:
    OK = "ok"
    FAIL = "fail"
    PROGRESS = "progress"
    WARN = "warn"
    FUTURE = "future"

    LABELS = {OK: "达标", FAIL: "未达标", PROGRESS: "进行中", WARN: "预警", FUTURE: "未开始"}
    # CSS tag tone for each state.
    TONES = {OK: "ok", FAIL: "bad", WARN: "warn", PROGRESS: "", FUTURE: "muted"}
    # Heatmap values (0 = not applicable).
    LEVELS = {FUTURE: 1, PROGRESS: 2, WARN: 3, FAIL: 4, OK: 5}


@dataclass
class Cell:
    """One period of one target: what was expected, what was done, on time or not, and the state."""

    label: str
    start: date | None
    end: date | None
    expected: object
    done: object
    state: str | None
    on_time: bool | None = None
    note: str = ""
    by_now: int | None = None  # how many an even pace would have done by today (a count in progress)

    @property
    def missing(self) -> int | None:
        """How many are still to do in this period (counts only)."""
        if isinstance(self.expected, int) and isinstance(self.done, int):
            return max(self.expected - self.done, 0)
        return None

    @property
    def state_label(self) -> str:
        return State.LABELS.get(self.state, "—") if self.state else "—"

    @property
    def tone(self) -> str:
        return State.TONES.get(self.state, "muted") if self.state else "muted"


@dataclass
class Result:
    target: Target
    year: int
    periods: list[Cell]
    total: Cell
    months: list[str | None] = field(default_factory=list)  # 12 states for the calendar heatmap
    figure: Any = None  # a computed indicator's figure (shequ.plans.indicators.compute.Figure)
    baseline: Any = None  # the figure or value a change is measured against

    @property
    def state(self) -> str | None:
        return self.total.state


def by_pace(expected: int, fraction: float) -> int:
    """How many an even pace has done when ``fraction`` of the time has passed (a part not yet owed)."""
    return int(expected * fraction + 1e-9)


def window_fraction(spans, today: date) -> float:
    """The share of a target's windows (its periods, which may leave months out) that has passed by ``today``."""
    total = sum(s.days for s in spans)
    return sum(s.days * s.elapsed_fraction(today) for s in spans) / total if total else 0.0


def period_state(done: int, expected: int | None, span: Span, today: date, fraction: float | None = None) -> str | None:
    """达标 when reached; 未达标 when the period is over; 未开始 before it; 预警 when behind an even pace (fewer
    done than the elapsed share of the period — or of the target's windows, ``fraction`` — asks for) or when
    half of it has passed with nothing recorded; otherwise 进行中."""
    if expected is None:
        return None
    if done >= expected:
        return State.OK
    if today > span.end:
        return State.FAIL
    if today < span.start:
        return State.FUTURE
    f = span.elapsed_fraction(today) if fraction is None else fraction
    if done < by_pace(expected, f) or (done == 0 and f >= 0.5):
        return State.WARN
    return State.PROGRESS


def shortfall_note(cell: Cell, unit: str = "次") -> str:
    """What a count still lacks, as people say it: "还差8次（按进度应已完成8次，已完成1次）"."""
    missing = cell.missing
    if not missing or cell.state not in (State.WARN, State.PROGRESS, State.FAIL):
        return ""
    note = f"还差{missing}{unit}"
    if cell.state == State.WARN and cell.by_now is not None and cell.by_now > cell.done:
        note += f"（按进度应已完成{cell.by_now}{unit}，已完成{cell.done}{unit}）"
    return note


def year_span(year: int) -> Span:
    return Span(PeriodKind.YEAR, 0, date(year, 1, 1), date(year, 12, 31), "全年")


def combine(states: list[str | None]) -> str | None:
    """The state of several periods together: the worst of failing, warning and in progress; 达标 or 未开始
    only when all are."""
    states = [s for s in states if s]
    if not states:
        return None
    for worst in (State.FAIL, State.WARN, State.PROGRESS):
        if worst in states:
            return worst
    if all(s == State.OK for s in states):
        return State.OK
    if all(s == State.FUTURE for s in states):
        return State.FUTURE
    return State.PROGRESS


@lru_cache(maxsize=16)
def month_bounds(year: int) -> tuple[tuple[date, date], ...]:
    """The first and last day of each month of ``year``."""
    return tuple((date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])) for m in range(1, 13))


def cumulative_month_states(per_month: list[int], expected: int, spans, year: int, today: date) -> list[str | None]:
    """A yearly count's heatmap: what is true of each month — the year's count reached by its end (达标),
    on pace (进行中) or behind an even pace (预警) at its end (or today), missed when the year is over."""
    out: list[str | None] = []
    done = 0
    for m, (first, last) in enumerate(month_bounds(year), 1):
        done += per_month[m - 1]
        if first > today:
            out.append(State.FUTURE)
        elif done >= expected:
            out.append(State.OK)
        elif m == 12 and today > last:
            out.append(State.FAIL)
        else:
            at = min(last + timedelta(days=1), today)
            out.append(State.WARN if done < by_pace(expected, window_fraction(spans, at)) else State.PROGRESS)
    return out


def month_positions(periods, year: int) -> tuple[tuple[int, ...], ...]:
    """For each month of ``year``, the positions in ``periods`` (spans or cells) of those that overlap it."""
    return tuple(
        tuple(i for i, p in enumerate(periods) if p.start and p.start <= last and p.end >= first)
        for first, last in month_bounds(year)
    )


def month_states(
    cells: list[Cell], year: int, positions: tuple[tuple[int, ...], ...] | None = None
) -> list[str | None]:
    """Each month's state: its periods' combined (``positions``: :func:`month_positions` of the cells, when the
    caller has them already)."""
    if positions is None:
        positions = month_positions(cells, year)
    return [combine([cells[i].state for i in found]) for found in positions]


def fmt(v: Decimal | None) -> str:
    if v is None:
        return "—"
    return f"{v.normalize():f}"
