"""Counting records: counts by (org, activity type, half month) — and by ISO week only when a weekly target
exists — in SQL for all targets at once, folded in Python into each count target's periods. The same scan
finds each deadline's earliest record in its window and each veto's matching records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connections
from django.db.models import Case, Count, IntegerField, Min, Q, Value, When
from django.db.models.functions import ExtractIsoYear, ExtractMonth, ExtractWeek

from shequ.plans import periods, terms
from shequ.plans.compliance.deadlines import deadline_key, due_date, window_start
from shequ.plans.compliance.facts import Facts
from shequ.plans.compliance.meetings import group_kinds, term_cells
from shequ.plans.compliance.meetings import halves as meeting_halves
from shequ.plans.compliance.states import (
    Cell,
    Result,
    State,
    by_pace,
    cumulative_month_states,
    month_positions,
    month_states,
    period_state,
    shortfall_note,
    window_fraction,
    year_span,
)
from shequ.plans.compliance.vetoes import collect_events, veto_key
from shequ.plans.indicators.compute import Fold
from shequ.plans.models import Target, TargetKind
from shequ.plans.periods import PeriodKind
from shequ.records.models import ActivityType, Record


def load_records(facts: Facts) -> None:
    """Activity type ids, the plan orgs each record org counts for, and the record counts."""
    targets = facts.targets
    codes = {c for t in targets for c in t.activity_codes}
    if codes:
        areas = {c.split("/", 1)[0] for c in codes}
        for pk, area_code, code in ActivityType.objects.filter(area__code__in=areas).values_list(
            "pk", "area__code", "code"
        ):
            facts.type_ids[f"{area_code}/{code}"] = pk
    needs_records = any(t.kind in (TargetKind.COUNT, TargetKind.DEADLINE, TargetKind.VETO) for t in targets)
    if needs_records and facts.plan_org_ids:
        # Which plan orgs each record org counts for (the subtrees that hold a plan, read by a few ranges).
        facts.fold = Fold.load(facts.plan_org_ids)
        facts.owners = facts.fold.owners
        # The orgs whose records count for some plan, as a plain list: the planner estimates it well.
        counted = facts.fold.counted
        base = Record.objects.filter(year=facts.year, org_id__in=counted).order_by()
        _scan(facts, base)
        week_types = {
            i
            for t in targets
            if t.kind == TargetKind.COUNT and t.period == PeriodKind.WEEK
            for i in facts.ids_of(t.activity_codes)
        }
        if week_types:
            _count_weeks(facts, base, week_types)


def _scan(facts: Facts, base) -> None:
    """Counts by (org, type, half month) in one query; then, in one more query over only the types
    deadlines and vetoes name, each deadline's earliest record in and after its window and each
    veto's matching records, per org."""
    targets = facts.targets
    month_types = {
        i
        for t in targets
        if t.kind == TargetKind.COUNT and t.period != PeriodKind.WEEK
        for i in facts.ids_of(t.activity_codes)
    }
    annotations: dict = {}
    where = Q()
    deadline_specs: dict[tuple, int] = {}
    veto_specs: dict[tuple, int] = {}
    for t in targets:
        type_ids = tuple(sorted(facts.ids_of(t.activity_codes)))
        if not type_ids:
            continue
        if t.kind == TargetKind.DEADLINE:
            key = deadline_key(facts, t)
            if key in deadline_specs:
                continue
            i = deadline_specs[key] = len(deadline_specs)
            start, due = window_start(t, facts.year), due_date(t, facts.year)
            q = Q(activity_type_id__in=type_ids, date__gte=start, date__lte=due)
            kw = Q()
            for word in t.keyword_list():
                kw |= Q(title__contains=word)
            q &= kw
            annotations[f"w{i}"] = Min("date", filter=q)
            where |= q
        elif t.kind == TargetKind.VETO:
            key = veto_key(type_ids, t)
            if key in veto_specs:
                continue
            j = veto_specs[key] = len(veto_specs)
            q = Q(activity_type_id__in=type_ids)
            for field_name, allowed in (t.extra_filter or {}).items():
                q &= Q(**{f"extra__{field_name}__in": list(allowed)})
            annotations[f"v{j}"] = Count("id", filter=q)
            annotations[f"f{j}"] = Min("date", filter=q)
            where |= q
    if month_types:
        _count_halves(facts, base, month_types)
    deadline_found: dict[tuple[int, int], date] = {}
    veto_found: dict[tuple[int, int], list] = {}
    if annotations:
        # Only the records in the deadlines' windows and of the vetoes' types: index ranges, not a scan.
        names = list(annotations)
        rows = base.filter(where).values("org_id").annotate(**annotations)
        for row in rows.values_list("org_id", *names):
            values = dict(zip(names, row[1:], strict=True))
            row_owners = facts.owners.get(row[0], ())
            for i in deadline_specs.values():
                w = values[f"w{i}"]
                if w is None:
                    continue
                for owner in row_owners:
                    cur = deadline_found.get((owner, i))
                    if cur is None or w < cur:
                        deadline_found[(owner, i)] = w
            for j in veto_specs.values():
                v = values[f"v{j}"]
                if not v:
                    continue
                for owner in row_owners:
                    cur = veto_found.setdefault((owner, j), [0, None])
                    cur[0] += v
                    first = values[f"f{j}"]
                    if cur[1] is None or first < cur[1]:
                        cur[1] = first
    for t in targets:
        if t.kind == TargetKind.DEADLINE and t.activity_codes:
            i = deadline_specs.get(deadline_key(facts, t))
            found = deadline_found.get((t.plan.org_id, i)) if i is not None else None
            if found:
                facts.deadline_done[t.pk] = found
    collect_events(facts, veto_specs, veto_found)


def _count_halves(facts: Facts, base, type_ids: set[int]) -> None:
    """The main aggregate: records by (org, type, month, half); rows folded into each plan org above. Tens of
    thousands of rows at a district's scale: read as they come, without the ORM's conversion of each value."""
    qs = (
        base.filter(activity_type_id__in=type_ids)
        .annotate(
            m=ExtractMonth("date"),
            h=Case(When(date__day__gt=15, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .values_list("org_id", "activity_type_id", "m", "h")
        .annotate(n=Count("id"))
    )
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    halves, owners = facts.halves, facts.owners
    for org_id, type_id, m, h, n in rows:
        for owner in owners.get(org_id, ()):
            arr = halves.get((owner, type_id))
            if arr is None:
                arr = halves[(owner, type_id)] = [0] * 24
            arr[(int(m) - 1) * 2 + h] += n  # PostgreSQL's EXTRACT gives a numeric


def _count_weeks(facts: Facts, base, type_ids: set[int]) -> None:
    rows = (
        base.filter(activity_type_id__in=type_ids)
        .annotate(iy=ExtractIsoYear("date"), iw=ExtractWeek("date"))
        .values_list("org_id", "activity_type_id", "iy", "iw")
        .annotate(n=Count("id"))
    )
    for org_id, type_id, iy, iw, n in rows:
        idx = periods.index_from_iso_week(facts.year, iy, iw)
        for owner in facts.owners.get(org_id, ()):
            arr = facts.weeks.setdefault((owner, type_id), [0] * 54)
            arr[idx] += n


def load_terms(facts: Facts) -> None:
    """The months in term of the plan orgs whose targets count only in term (one reader per calendar keeper)."""
    org_ids = sorted({t.plan.org_id for t in facts.targets if t.kind == TargetKind.COUNT and t.in_term})
    for org_id, cal in terms.school_years(org_ids, facts.year).items():
        facts.term_months[org_id] = periods.term_months(cal, facts.year)
        facts.terms[org_id] = cal.terms


@dataclass(frozen=True)
class Windows:
    """A count target's periods in its year as of today, worked out once per evaluation for every target with the
    same period kind, months and months in term: the spans, the share of their days passed by today, and which
    period each half month of the records' counts falls in."""

    spans: tuple[periods.Span, ...]
    fraction: float
    half_index: tuple[int, ...]
    month_spans: tuple[tuple[int, ...], ...]  # for each month, the positions of the spans that overlap it


def windows(t: Target, facts: Facts) -> Windows:
    term = facts.term_months.get(t.plan.org_id) if t.in_term else None
    key = (t.period, tuple(t.months or ()), term)
    found = facts.windows.get(key)
    if found is None:
        spans = periods.spans(t.period, facts.year, t.months)
        if term is not None:  # only the periods that start in a month in term
            spans = tuple(s for s in spans if s.start.month in term)
        halves = () if t.period == PeriodKind.WEEK else _half_index(t.period)
        overlap = month_positions(spans, facts.year)
        found = facts.windows[key] = Windows(spans, window_fraction(spans, facts.today), halves, overlap)
    return found


@lru_cache(maxsize=16)
def _half_index(kind: str) -> tuple[int, ...]:
    return tuple(periods.index_from_half_month(kind, h) for h in range(24))


def evaluate_count(t: Target, facts: Facts) -> Result:
    year, today = facts.year, facts.today
    w = windows(t, facts)
    spans = w.spans
    type_ids = facts.ids_of(t.activity_codes)
    kinds = group_kinds(t) if t.period != PeriodKind.WEEK else ()
    by_index: dict[int, int] = defaultdict(int)
    if t.period == PeriodKind.WEEK:
        for type_id in type_ids:
            arr = facts.weeks.get((t.plan.org_id, type_id))
            if arr:
                for i, n in enumerate(arr):
                    by_index[i] += n
    else:
        half_index = w.half_index
        for arr in _halves(t, facts, type_ids, kinds):
            if arr:
                for h, n in enumerate(arr):
                    if n:
                        by_index[half_index[h]] += n
    cells = []
    for s in spans:
        done = by_index.get(s.index, 0)
        state = period_state(done, t.min_per_period, s, today)
        on_time = None if state not in (State.OK, State.FAIL) else state == State.OK
        cell = Cell(s.label, s.start, s.end, t.min_per_period, done, state, on_time)
        if t.min_per_period is not None and s.start <= today <= s.end:
            cell.by_now = by_pace(t.min_per_period, s.elapsed_fraction(today))
        cell.note = shortfall_note(cell) if s.start <= today else ""
        cells.append(cell)
    done_year = sum(c.done for c in cells)
    by_month: tuple[tuple[int, ...], ...] | None = w.month_spans
    if kinds and t.in_term:  # each term's start and end meeting, periods of their own beside the months
        cells = sorted([*cells, *term_cells(t, facts, type_ids, kinds)], key=lambda c: (c.start, c.end))
        by_month = None
    fraction = w.fraction
    ys = year_span(year)
    states = [c.state for c in cells]
    if t.min_per_period is not None and State.FAIL in states:
        total_state = State.FAIL  # a missed period fails the year
    else:
        if t.min_per_year is not None:
            total_state = period_state(done_year, t.min_per_year, ys, today, fraction)
        elif all(st == State.OK for st in states):
            total_state = State.OK
        elif all(st == State.FUTURE for st in states):
            total_state = State.FUTURE
        else:
            total_state = State.PROGRESS
        if t.min_per_period is not None and total_state == State.OK and any(st != State.OK for st in states):
            total_state = State.PROGRESS  # the year's count is reached, later periods still count
        if total_state in (State.PROGRESS, State.FUTURE) and State.WARN in states:
            total_state = State.WARN
    total = Cell("全年", ys.start, ys.end, t.min_per_year, done_year, total_state)
    if t.min_per_year is not None and ys.start <= today:
        total.by_now = by_pace(t.min_per_year, fraction)
        total.note = shortfall_note(total)
    if t.min_per_period is not None:
        months = month_states(cells, year, by_month)
    elif t.min_per_year is not None and t.period != PeriodKind.WEEK:
        months = cumulative_month_states(_per_month(t, facts, type_ids), t.min_per_year, spans, year, today)
    else:
        months = [total_state] * 12
    return Result(t, year, cells, total, months)


def _halves(t: Target, facts: Facts, type_ids: list[int], kinds: tuple[str, ...]) -> list:
    """The target's half-month counts: of a kind of group's meetings, else of the records of its types."""
    if kinds:
        return meeting_halves(t, facts, type_ids, kinds)
    return [facts.halves.get((t.plan.org_id, type_id)) for type_id in type_ids]


def _per_month(t: Target, facts: Facts, type_ids: list[int]) -> list[int]:
    """A target's records (or meetings) in each month of the year (from the half-month counts)."""
    out = [0] * 12
    for arr in _halves(t, facts, type_ids, group_kinds(t)):
        for h, n in enumerate(arr or ()):
            out[h // 2] += n
    return out
