"""Report periods: a form owed monthly, quarterly, half-yearly or yearly is owed for periods numbered 1…n of a
year, each with its first and last month and its due day."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db import models


class Cycle(models.TextChoices):
    MONTH = "month", "月报"
    QUARTER = "quarter", "季报"
    HALF = "half", "半年报"
    YEAR = "year", "年报"


MONTHS_PER = {Cycle.MONTH: 1, Cycle.QUARTER: 3, Cycle.HALF: 6, Cycle.YEAR: 12}
CN_NUM = "一二三四"


def count(cycle: str) -> int:
    """How many periods of the cycle a year holds."""
    return 12 // MONTHS_PER[Cycle(cycle)]


@dataclass(frozen=True)
class ReportPeriod:
    """Period ``no`` (1-based) of ``year`` in ``cycle``; due on ``due_day`` of the month ``due_lag`` months after
    its last month (0: within its last month)."""

    cycle: str
    year: int
    no: int
    due_day: int = 10
    due_lag: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.no <= count(self.cycle):
            raise ValueError(f"period {self.no} out of range for {self.cycle}")

    @property
    def first_month(self) -> int:
        return (self.no - 1) * MONTHS_PER[Cycle(self.cycle)] + 1

    @property
    def last_month(self) -> int:
        return self.no * MONTHS_PER[Cycle(self.cycle)]

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def due(self) -> date:
        months = self.year * 12 + self.last_month - 1 + self.due_lag
        y, m = divmod(months, 12)
        m += 1
        return date(y, m, min(self.due_day, calendar.monthrange(y, m)[1]))

    @property
    def label(self) -> str:
        c = Cycle(self.cycle)
        if c == Cycle.MONTH:
            return f"{self.year}年{self.no}月"
        if c == Cycle.QUARTER:
            return f"{self.year}年第{CN_NUM[self.no - 1]}季度"
        if c == Cycle.HALF:
            return f"{self.year}年{'上' if self.no == 1 else '下'}半年"
        return f"{self.year}年度"

    @property
    def short(self) -> str:
        c = Cycle(self.cycle)
        return {Cycle.MONTH: f"{self.no}月", Cycle.QUARTER: f"{self.no}季度", Cycle.HALF: "上半年" if self.no == 1
                else "下半年", Cycle.YEAR: "全年"}[c]  # fmt: skip

    @property
    def zero_word(self) -> str:
        """本月, 本季度 … for the 零报告 sentence."""
        return {Cycle.MONTH: "本月", Cycle.QUARTER: "本季度", Cycle.HALF: "本半年", Cycle.YEAR: "本年度"}[
            Cycle(self.cycle)
        ]


def all_periods(cycle: str, year: int, due_day: int = 10, due_lag: int = 1) -> list[ReportPeriod]:
    return [ReportPeriod(cycle, year, n, due_day, due_lag) for n in range(1, count(cycle) + 1)]


def current(cycle: str, today: date, due_day: int = 10, due_lag: int = 1) -> ReportPeriod:
    """The latest period that has ended by ``today``: the one being reported now."""
    running = (today.month - 1) // MONTHS_PER[Cycle(cycle)] + 1
    if running > 1:
        return ReportPeriod(cycle, today.year, running - 1, due_day, due_lag)
    return ReportPeriod(cycle, today.year - 1, count(cycle), due_day, due_lag)
