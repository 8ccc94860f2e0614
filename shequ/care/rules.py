"""The schedule rules, as pure functions of dates: which period a day falls in, whether a person is due, due soon
or visited, and which past periods went without a visit (a missed month).

A schedule of every *n* months cuts the year into blocks counted from January (quarterly: Jan–Mar, Apr–Jun …);
a schedule of every *n* weeks cuts time into blocks of *n* weeks counted from Monday 1 January 2001. A person is
due in every period of their care and visited in a period when a visit record about them is dated inside it."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

EPOCH_MONDAY = date(2001, 1, 1)


class Rule(Protocol):
    every: int
    unit: str
    remind_days: int


def period(rule: Rule, day: date) -> tuple[date, date]:
    """The first and last day of the period of ``rule`` that holds ``day``."""
    if rule.unit == "week":
        span = 7 * rule.every
        index = (day - EPOCH_MONDAY).days // span
        start = EPOCH_MONDAY + timedelta(days=index * span)
        return start, start + timedelta(days=span - 1)
    first = (day.month - 1) // rule.every * rule.every + 1
    last = first + rule.every - 1
    return date(day.year, first, 1), date(day.year, last, calendar.monthrange(day.year, last)[1])


def periods(rule: Rule, start: date, end: date) -> list[tuple[date, date]]:
    """Every period that overlaps ``start``–``end``, in order."""
    out = []
    day = start
    while day <= end:
        p = period(rule, day)
        out.append(p)
        day = p[1] + timedelta(days=1)
    return out


def pick(schedules: Mapping[tuple[str, str], Rule], category: str, level: str | None) -> Rule | None:
    """The schedule of a group and level: the level's own row, else the group's default row (level "")."""
    return schedules.get((category, level or "")) or schedules.get((category, ""))


@dataclass(frozen=True)
class Standing:
    """Where a person stands today: the current period, the last visit, and what the lists make of it."""

    start: date
    end: date
    last_visit: date | None

    @property
    def visited(self) -> bool:
        return self.last_visit is not None and self.start <= self.last_visit <= self.end

    def days_left(self, today: date) -> int:
        return (self.end - today).days


def standing(rule: Rule, today: date, last_visit: date | None) -> Standing:
    start, end = period(rule, today)
    return Standing(start=start, end=end, last_visit=last_visit)


def is_due(rule: Rule, today: date, last_visit: date | None, care_start: date | None = None) -> bool:
    """本月未走访: the current period has no visit (and the person's care began on or before today)."""
    if care_start is not None and care_start > today:
        return False
    return not standing(rule, today, last_visit).visited


def is_due_soon(rule: Rule, today: date, last_visit: date | None, care_start: date | None = None) -> bool:
    """即将到期: due, and the period ends within the schedule's reminder days."""
    return is_due(rule, today, last_visit, care_start) and (period(rule, today)[1] - today).days < rule.remind_days


def missed_periods(
    rule: Rule, visits: Iterable[date], *, care_start: date, today: date, care_end: date | None = None
) -> list[tuple[date, date]]:
    """The periods of care that ended before today's period without a visit dated inside them.

    A period counts when the person was under care the whole of it (care begun on or before its first day, not
    ended before its last day): a person taken into care in mid-month is first due in full the next month (the
    lists show them as due at once all the same); the current period is never missed yet."""
    current_start = period(rule, today)[0]
    last_day = current_start - timedelta(days=1)
    if care_end is not None:
        last_day = min(last_day, care_end)
    if last_day < care_start:
        return []
    dates = sorted(visits)
    out = []
    for start, end in periods(rule, care_start, last_day):
        if start < care_start or end > last_day:
            continue
        if not any(start <= d <= end for d in dates):
            out.append((start, end))
    return out


def period_label(rule: Rule, start: date, end: date) -> str:
    """本期 in words: 2026年3月, 2026年第2季度 (1–3月 …), or 3月2日–3月15日 for weeks."""
    if rule.unit == "week":
        return f"{start.month}月{start.day}日–{end.month}月{end.day}日"
    if rule.every == 1:
        return f"{start.year}年{start.month}月"
    return f"{start.year}年{start.month}–{end.month}月"
