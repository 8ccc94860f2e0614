"""States of compliance: what one period of one target shows (达标, 未达标, 进行中, 预警, 未开始) and how
the states of periods combine into a month's or a year's."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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


def period_state(done: int, expected: int | None, span: Span, today: date) -> str | None:
    """达标 when reached; 未达标 when the period is over; 未开始 before it; 预警 when half of it has passed
    with nothing recorded; otherwise 进行中."""
    if expected is None:
        return None
    if done >= expected:
        return State.OK
    if today > span.end:
        return State.FAIL
    if today < span.start:
        return State.FUTURE
    if done == 0 and span.elapsed_fraction(today) >= 0.5:
        return State.WARN
    return State.PROGRESS


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


def month_states(cells: list[Cell], year: int) -> list[str | None]:
    out: list[str | None] = []
    for m in range(1, 13):
        first, last = date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])
        out.append(combine([c.state for c in cells if c.start and c.start <= last and c.end >= first]))
    return out


def fmt(v: Decimal | None) -> str:
    if v is None:
        return "—"
    return f"{v.normalize():f}"
