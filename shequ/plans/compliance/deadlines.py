"""Deadline targets (按时完成): done when a record of the named types falls in the window before the due date,
or when the target's task is marked done."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from shequ.plans.compliance.facts import Facts
from shequ.plans.compliance.states import Cell, Result, State
from shequ.plans.models import Target, TargetKind, Task, TaskStatus
from shequ.plans.periods import Span


def due_date(target: Target, year: int) -> date:
    last = calendar.monthrange(year, target.due_month)[1]
    return date(year, target.due_month, min(target.due_day, last))


def window_start(target: Target, year: int) -> date:
    due = due_date(target, year)
    return max(date(year, 1, 1), due - timedelta(days=target.window_days)) if target.window_days else date(year, 1, 1)


def deadline_key(facts: Facts, t: Target) -> tuple:
    """Deadlines with the same key share one aggregate in the records query."""
    return (tuple(sorted(facts.ids_of(t.activity_codes))), t.due_month, t.due_day, t.window_days, t.keywords)


def load_task_done(facts: Facts) -> None:
    """The first completion date of each deadline target's done tasks."""
    deadlines = [t.pk for t in facts.targets if t.kind == TargetKind.DEADLINE]
    if deadlines:
        for target_id, done_on in (
            Task.objects.filter(target_id__in=deadlines, status=TaskStatus.DONE, completed_on__isnull=False)
            .order_by("completed_on")
            .values_list("target_id", "completed_on")
        ):
            facts.task_done.setdefault(target_id, done_on)


def evaluate_deadline(t: Target, facts: Facts) -> Result:
    year, today = facts.year, facts.today
    due, start = due_date(t, year), window_start(t, year)
    in_time = facts.deadline_done.get(t.pk)
    task_done = facts.task_done.get(t.pk)
    candidates = [d for d in (in_time, task_done) if d is not None and d >= start]
    done_on = min(candidates) if candidates else None
    span = Span("deadline", 0, start, due, f"{due.month}月{due.day}日前")
    if done_on is not None:
        on_time = done_on <= due
        state = State.OK if on_time else State.FAIL
        note = f"完成于{done_on:%Y-%m-%d}" + ("" if on_time else "(逾期)")
    else:
        on_time = False if today > due else None
        note = "尚未完成"
        if today > due:
            state = State.FAIL
        elif today < start:
            state = State.FUTURE
        elif span.elapsed_fraction(today) >= 0.5:
            state = State.WARN
        else:
            state = State.PROGRESS
    cell = Cell(span.label, start, due, f"{due.month}月{due.day}日前完成", note, state, on_time, note)
    months: list[str | None] = [None] * 12
    months[due.month - 1] = state
    return Result(t, year, [cell], cell, months)
