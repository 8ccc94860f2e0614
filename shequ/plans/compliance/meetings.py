"""Count targets over the meetings of a kind of group (``extra_filter = {"group_kind": ["safety"]}``): the quorate
meetings of such groups (read through :mod:`shequ.plans.meetings`) are counted instead of every record of the
meeting's type, folded into the same half months. A target counted in term (``in_term``) also asks for a meeting in
each term's start window (开学: from a week before its first day to two weeks after) and end window (期末: its last
two weeks), each a period of its own: a term without its start or end meeting is a missed period, which fails the
year. A window belongs to the year of the day it is named for (the term's first or last day)."""

from __future__ import annotations

from datetime import date, timedelta

from shequ.plans.compliance.facts import Facts
from shequ.plans.compliance.states import Cell, State, period_state
from shequ.plans.meetings import group_meetings
from shequ.plans.models import Target, TargetKind
from shequ.plans.periods import Span

START_BEFORE, START_AFTER, END_DAYS = 7, 13, 13


def group_kinds(t: Target) -> tuple[str, ...]:
    """The group kinds a count target counts the meetings of (none: it counts records)."""
    if t.kind != TargetKind.COUNT or not isinstance(t.extra_filter, dict):
        return ()
    return tuple(sorted(str(k) for k in t.extra_filter.get("group_kind") or ()))


def load_meetings(facts: Facts) -> None:
    """The meetings of every kind set the year's count targets name, folded to the plan orgs above (one query per
    kind set, in practice one)."""
    wanted = {group_kinds(t) for t in facts.targets} - {()}
    if not wanted or facts.fold is None:
        return
    start = date(facts.year, 1, 1) - timedelta(days=START_AFTER)
    end = date(facts.year, 12, 31) + timedelta(days=START_BEFORE)
    for kinds in wanted:
        for org_id, type_id, day in group_meetings(list(facts.fold.counted), start, end, list(kinds)):
            for owner in facts.owners.get(org_id, ()):
                facts.meetings.setdefault((owner, kinds), []).append((type_id, day))


def halves(t: Target, facts: Facts, type_ids: list[int], kinds: tuple[str, ...]) -> list[list[int]]:
    """The target's meetings of the year by half month, as one array (the shape of the records' counts)."""
    arr = [0] * 24
    wanted = set(type_ids)
    for type_id, day in facts.meetings.get((t.plan.org_id, kinds), ()):
        if type_id in wanted and day.year == facts.year:
            arr[(day.month - 1) * 2 + (1 if day.day > 15 else 0)] += 1
    return [arr]


def term_cells(t: Target, facts: Facts, type_ids: list[int], kinds: tuple[str, ...]) -> list[Cell]:
    """A period for each term's start and end named for a day in the year: one meeting asked for in each."""
    terms = facts.terms.get(t.plan.org_id)
    if not terms:
        return []
    wanted = set(type_ids)
    days = [d for type_id, d in facts.meetings.get((t.plan.org_id, kinds), ()) if type_id in wanted]
    cells = []
    for first, last in sorted(terms):
        name = f"{first.year}年{'春季' if first.month < 7 else '秋季'}学期"
        windows = []
        if first.year == facts.year:
            windows.append(("开学", first - timedelta(days=START_BEFORE), first + timedelta(days=START_AFTER)))
        if last.year == facts.year:
            windows.append(("期末", last - timedelta(days=END_DAYS), last))
        for part, start, end in windows:
            done = sum(start <= d <= end for d in days)
            span = Span("term", 0, start, end, f"{name}{part}")
            state = period_state(done, 1, span, facts.today)
            cell = Cell(span.label, start, end, 1, done, state, None if state not in (State.OK, State.FAIL) else
                        state == State.OK)  # fmt: skip
            if state == State.FAIL:
                cell.note = f"{part}会议未召开（{start.month}月{start.day}日—{end.month}月{end.day}日）"
            cells.append(cell)
    return cells
