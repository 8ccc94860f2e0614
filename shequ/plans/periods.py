"""Period arithmetic for targets: pure functions, no database.

A year is cut into periods of one kind (week, half month, month, two months, quarter, half year, year).
Every period lies inside its year (绝不能跨年归类): weeks start on Monday and the first and last week of a
year are clipped at 1 January and 31 December. A target may restrict itself to some months; then only
periods that start in one of those months count (for weeks: whose first day in the year is in them).

The compliance engine aggregates records in SQL by half month (and by ISO week for weekly targets);
:func:`index_from_half_month` and :func:`index_from_iso_week` map those buckets onto periods.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.db import models


class PeriodKind(models.TextChoices):
    WEEK = "week", "每周"
    HALF_MONTH = "half_month", "每半月"
    MONTH = "month", "每月"
    TWO_MONTHS = "two_months", "每两月"
    QUARTER = "quarter", "每季度"
    HALF_YEAR = "half_year", "每半年"
    YEAR = "year", "每年"


# Months per period for the kinds that are whole months.
MONTHS_PER = {
    PeriodKind.MONTH: 1,
    PeriodKind.TWO_MONTHS: 2,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}


@dataclass(frozen=True)
class Span:
    """One period: its index within the year (0-based), first and last day, and a Chinese label."""

    kind: str
    index: int
    start: date
    end: date
    label: str

    def __contains__(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def elapsed_fraction(self, today: date) -> float:
        """0 before the period, 1 after it; in between, the share of its days that have fully passed."""
        if today < self.start:
            return 0.0
        if today > self.end:
            return 1.0
        return (today - self.start).days / self.days


def _first_monday(year: int) -> date:
    """The Monday on or before 1 January: week 0 of the year starts there (clipped to 1 January)."""
    jan1 = date(year, 1, 1)
    return jan1 - timedelta(days=jan1.weekday())


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def index_of(kind: str, d: date) -> int:
    """The index, within ``d``'s own year, of the period of ``kind`` that contains ``d``."""
    if kind == PeriodKind.WEEK:
        return (d - _first_monday(d.year)).days // 7
    if kind == PeriodKind.HALF_MONTH:
        return (d.month - 1) * 2 + (1 if d.day > 15 else 0)
    return (d.month - 1) // MONTHS_PER[PeriodKind(kind)]


def index_from_half_month(kind: str, half_month: int) -> int:
    """Map a half-month bucket (0–23) onto the index of a month-based period kind."""
    if kind == PeriodKind.HALF_MONTH:
        return half_month
    if kind == PeriodKind.WEEK:
        raise ValueError("weeks are not made of half months")
    return (half_month // 2) // MONTHS_PER[PeriodKind(kind)]


def index_from_iso_week(year: int, iso_year: int, iso_week: int) -> int:
    """Map an ISO (year, week) bucket of a date in ``year`` onto the year's clipped week index."""
    monday = date.fromisocalendar(iso_year, iso_week, 1)
    return max(0, (monday - _first_monday(year)).days // 7)


def _month_label(kind: str, start_month: int) -> str:
    n = MONTHS_PER[PeriodKind(kind)]
    if kind == PeriodKind.YEAR:
        return "全年"
    if kind == PeriodKind.HALF_YEAR:
        return "上半年" if start_month == 1 else "下半年"
    if kind == PeriodKind.QUARTER:
        return f"第{'一二三四'[(start_month - 1) // 3]}季度"
    if n == 1:
        return f"{start_month}月"
    return f"{start_month}–{start_month + n - 1}月"


@lru_cache(maxsize=512)
def _all_spans(kind: str, year: int) -> tuple[Span, ...]:
    out: list[Span] = []
    if kind == PeriodKind.WEEK:
        first = _first_monday(year)
        last_day = date(year, 12, 31)
        i = 0
        while True:
            start = first + timedelta(days=7 * i)
            if start > last_day:
                break
            s, e = max(start, date(year, 1, 1)), min(start + timedelta(days=6), last_day)
            out.append(Span(kind, i, s, e, f"第{i + 1}周({s.month}/{s.day}–{e.month}/{e.day})"))
            i += 1
    elif kind == PeriodKind.HALF_MONTH:
        for m in range(1, 13):
            last = calendar.monthrange(year, m)[1]
            out.append(Span(kind, (m - 1) * 2, date(year, m, 1), date(year, m, 15), f"{m}月上半月"))
            out.append(Span(kind, (m - 1) * 2 + 1, date(year, m, 16), date(year, m, last), f"{m}月下半月"))
    else:
        n = MONTHS_PER[PeriodKind(kind)]
        for i, m in enumerate(range(1, 13, n)):
            end_month = m + n - 1
            out.append(
                Span(
                    kind,
                    i,
                    date(year, m, 1),
                    date(year, end_month, calendar.monthrange(year, end_month)[1]),
                    _month_label(kind, m),
                )
            )
    return tuple(out)


def spans(kind: str, year: int, months: tuple[int, ...] | list[int] | None = None) -> tuple[Span, ...]:
    """The periods of ``kind`` in ``year``; with ``months``, only those that start in one of them."""
    all_spans = _all_spans(str(kind), year)
    if not months:
        return all_spans
    wanted = frozenset(months)
    return tuple(s for s in all_spans if s.start.month in wanted)


def months_label(months: list[int] | tuple[int, ...] | None) -> str:
    """[5, 6, 7, 8] → "5–8月"; [3, 9] → "3、9月"; none → ""."""
    if not months:
        return ""
    ms = sorted(set(months))
    if ms == list(range(ms[0], ms[-1] + 1)) and len(ms) > 2:
        return f"{ms[0]}–{ms[-1]}月"
    return "、".join(str(m) for m in ms) + "月"


# --- the school year -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolYear:
    """A school's calendar as targets read it: its terms and the holidays inside or between them, each a
    (first day, last day) pair. Terms run across years (an autumn term from September to January); every
    period a target counts still lies inside its own year."""

    terms: tuple[tuple[date, date], ...]
    holidays: tuple[tuple[date, date], ...] = ()

    def school_day(self, d: date) -> bool:
        """In a term and not in a holiday."""
        return any(s <= d <= e for s, e in self.terms) and not any(s <= d <= e for s, e in self.holidays)


def term_months(cal: SchoolYear, year: int) -> tuple[int, ...]:
    """The months of ``year`` that are in term (在校期间): at least half of their days are school days. The
    summer and winter holidays' months do not count (July with a term ending on the 3rd, August, February with
    a term starting on the 24th); an autumn term's January counts in the year of that January."""
    out = []
    for m in range(1, 13):
        last = calendar.monthrange(year, m)[1]
        days = sum(cal.school_day(date(year, m, d)) for d in range(1, last + 1))
        if days * 2 >= last:
            out.append(m)
    return tuple(out)
