"""Compliance (达标情况): every target of every org in scope, every period, in a handful of queries.

Records are counted in SQL, grouped by (org, activity type, half month) — and by ISO week only when a
weekly target exists — for all targets at once; Python then folds those few buckets into each target's
periods (see :mod:`shequ.plans.periods`). A record counts for the plan of its own org and of every org
above it that has a plan (a grid's records count for its community), the same subtree the record list's
``org`` filter shows. Queries per evaluation, whatever the number of orgs and targets: activity types,
org paths, half-month counts, [week counts], [deadline records], [veto records], [rate entries],
[last year's entries], [tasks] — at most nine.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Min, Q, Value, When
from django.db.models.functions import ExtractIsoYear, ExtractMonth, ExtractWeek
from django.utils import timezone

from shequ.orgs.models import Org, subtree_q
from shequ.plans import periods
from shequ.plans.models import RateEntry, Target, TargetKind, Task, TaskStatus
from shequ.plans.periods import PeriodKind, Span
from shequ.records.models import ActivityType, Record


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

    @property
    def state(self) -> str | None:
        return self.total.state


@dataclass(frozen=True)
class VetoEvent:
    org_id: int
    date: date
    title: str
    code: str
    url: str = ""


# The target columns an evaluation reads: ``Target.objects.select_related("plan").only(*EVAL_FIELDS)``
# loads a district's targets cheaply when only their states are wanted (dashboards, reminders).
EVAL_FIELDS = (
    "code",
    "title",
    "kind",
    "activity_codes",
    "period",
    "months",
    "min_per_period",
    "min_per_year",
    "threshold",
    "max_value",
    "due_month",
    "due_day",
    "window_days",
    "keywords",
    "extra_filter",
    "case_type_codes",
    "baseline",
    "owner_id",
    "plan__year",
    "plan__org_id",
    "plan__area_id",
)

# Other apps add sources of veto events (e.g. cases of named case types) with one function:
# ``fn(org_ids: list[int], year: int, codes: set[str]) -> Iterable[VetoEvent]``, called once per evaluation.
VETO_SOURCES: list[Callable[[list[int], int, set[str]], Iterable[VetoEvent]]] = []


def register_veto_source(fn):
    VETO_SOURCES.append(fn)
    return fn


MAX_ROOTS = 12


def coarsen(paths: list[str], limit: int = MAX_ROOTS) -> list[str]:
    """The minimal subtrees that cover ``paths``; when there are many (a district's 200 communities),
    their parents instead, level by level, so the records are filtered by a few index ranges. Records of
    orgs without a plan that this lets in are dropped when they are attributed to plan orgs."""
    roots: list[str] = []
    for p in sorted(paths):
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    while len(roots) > limit:
        parents = sorted({r[: r.rstrip("/").rfind("/") + 1] or r for r in roots})
        if parents == roots:
            break
        roots = [p for p in parents if not any(p.startswith(q) and p != q for q in parents)]
    return roots


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


def due_date(target: Target, year: int) -> date:
    last = calendar.monthrange(year, target.due_month)[1]
    return date(year, target.due_month, min(target.due_day, last))


def window_start(target: Target, year: int) -> date:
    due = due_date(target, year)
    return max(date(year, 1, 1), due - timedelta(days=target.window_days)) if target.window_days else date(year, 1, 1)


def _combine(states: list[str | None]) -> str | None:
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


def _month_states(cells: list[Cell], year: int) -> list[str | None]:
    out: list[str | None] = []
    for m in range(1, 13):
        first, last = date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])
        out.append(_combine([c.state for c in cells if c.start and c.start <= last and c.end >= first]))
    return out


def _fmt(v: Decimal | None) -> str:
    if v is None:
        return "—"
    return f"{v.normalize():f}"


class _Context:
    """Everything the evaluation needs, loaded in a fixed number of queries."""

    def __init__(self, targets: Sequence[Target], year: int, today: date):
        self.year = year
        self.today = today
        self.targets = targets
        self.type_ids: dict[str, int] = {}
        self.plan_org_ids = {t.plan.org_id for t in targets}
        self.halves: dict[tuple[int, int], list[int]] = {}
        self.weeks: dict[tuple[int, int], list[int]] = {}
        self.deadline_done: dict[int, date] = {}
        self.vetoes: dict[int, list[VetoEvent]] = defaultdict(list)  # target id -> events
        self.latest: dict[int, tuple[Decimal, date]] = {}
        self.last_year: dict[tuple[int, str], Decimal] = {}
        self.task_done: dict[int, date] = {}
        self.roots: list[str] = []
        self.owners: dict[int, list[int]] = {}

    def ids_of(self, codes: Iterable[str]) -> list[int]:
        return [self.type_ids[c] for c in codes if c in self.type_ids]

    def org_filter(self) -> Q:
        q = Q()
        for p in self.roots:
            q |= subtree_q(p)
        return q

    def load(self) -> None:
        targets = self.targets
        codes = {c for t in targets for c in t.activity_codes}
        if codes:
            areas = {c.split("/", 1)[0] for c in codes}
            for pk, area_code, code in ActivityType.objects.filter(area__code__in=areas).values_list(
                "pk", "area__code", "code"
            ):
                self.type_ids[f"{area_code}/{code}"] = pk
        needs_records = any(t.kind in (TargetKind.COUNT, TargetKind.DEADLINE, TargetKind.VETO) for t in targets)
        if needs_records and self.plan_org_ids:
            # The minimal set of subtrees that hold a plan, and which plan orgs each record org counts for.
            paths = sorted(Org.objects.filter(pk__in=self.plan_org_ids).values_list("path", flat=True))
            self.roots = coarsen(paths)
            for pk, path in Org.objects.filter(self.org_filter()).values_list("pk", "path"):
                ids = [int(p) for p in path.strip("/").split("/")]
                self.owners[pk] = [i for i in ids if i in self.plan_org_ids]
            # The orgs whose records count for some plan, as a plain list: the planner estimates it well.
            counted = sorted(pk for pk, owners in self.owners.items() if owners)
            base = Record.objects.filter(year=self.year, org_id__in=counted).order_by()
            self._scan(base)
            week_types = {
                i
                for t in targets
                if t.kind == TargetKind.COUNT and t.period == PeriodKind.WEEK
                for i in self.ids_of(t.activity_codes)
            }
            if week_types:
                self._count_weeks(base, week_types)
        self._load_entries()

    def _scan(self, base) -> None:
        """Counts by (org, type, half month) in one query; then, in one more query over only the types
        deadlines and vetoes name, each deadline's earliest record in and after its window and each
        veto's matching records, per org."""
        targets = self.targets
        month_types = {
            i
            for t in targets
            if t.kind == TargetKind.COUNT and t.period != PeriodKind.WEEK
            for i in self.ids_of(t.activity_codes)
        }
        annotations: dict = {}
        where = Q()
        deadline_specs: dict[tuple, int] = {}
        veto_specs: dict[tuple, int] = {}
        for t in targets:
            type_ids = tuple(sorted(self.ids_of(t.activity_codes)))
            if not type_ids:
                continue
            if t.kind == TargetKind.DEADLINE:
                key = self._deadline_key(t)
                if key in deadline_specs:
                    continue
                i = deadline_specs[key] = len(deadline_specs)
                start, due = window_start(t, self.year), due_date(t, self.year)
                q = Q(activity_type_id__in=type_ids, date__gte=start, date__lte=due)
                kw = Q()
                for word in t.keyword_list():
                    kw |= Q(title__contains=word)
                q &= kw
                annotations[f"w{i}"] = Min("date", filter=q)
                where |= q
            elif t.kind == TargetKind.VETO:
                key = (type_ids, tuple(sorted((k, tuple(v)) for k, v in (t.extra_filter or {}).items())))
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
            self._count_halves(base, month_types)
        deadline_found: dict[tuple[int, int], date] = {}
        veto_found: dict[tuple[int, int], list] = {}
        if annotations:
            # Only the records in the deadlines' windows and of the vetoes' types: index ranges, not a scan.
            names = list(annotations)
            rows = base.filter(where).values("org_id").annotate(**annotations)
            for row in rows.values_list("org_id", *names):
                values = dict(zip(names, row[1:], strict=True))
                row_owners = self.owners.get(row[0], ())
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
                i = deadline_specs.get(self._deadline_key(t))
                found = deadline_found.get((t.plan.org_id, i)) if i is not None else None
                if found:
                    self.deadline_done[t.pk] = found
        self._veto_events(veto_specs, veto_found)

    def _count_halves(self, base, type_ids: set[int]) -> None:
        """The main aggregate: records by (org, type, half month); rows folded into each plan org above."""
        rows = (
            base.filter(activity_type_id__in=type_ids)
            .annotate(
                m=ExtractMonth("date"),
                h=Case(When(date__day__gt=15, then=Value(1)), default=Value(0), output_field=IntegerField()),
            )
            .values_list("org_id", "activity_type_id", "m", "h")
            .annotate(n=Count("id"))
        )
        halves, owners = self.halves, self.owners
        for org_id, type_id, m, h, n in rows:
            for owner in owners.get(org_id, ()):
                arr = halves.get((owner, type_id))
                if arr is None:
                    arr = halves[(owner, type_id)] = [0] * 24
                arr[(m - 1) * 2 + h] += n

    def _count_weeks(self, base, type_ids: set[int]) -> None:
        rows = (
            base.filter(activity_type_id__in=type_ids)
            .annotate(iy=ExtractIsoYear("date"), iw=ExtractWeek("date"))
            .values_list("org_id", "activity_type_id", "iy", "iw")
            .annotate(n=Count("id"))
        )
        for org_id, type_id, iy, iw, n in rows:
            idx = periods.index_from_iso_week(self.year, iy, iw)
            for owner in self.owners.get(org_id, ()):
                arr = self.weeks.setdefault((owner, type_id), [0] * 54)
                arr[idx] += n

    def _deadline_key(self, t: Target) -> tuple:
        return (tuple(sorted(self.ids_of(t.activity_codes))), t.due_month, t.due_day, t.window_days, t.keywords)

    def _veto_events(self, veto_specs: dict, veto_found: dict) -> None:
        vetoes = [t for t in self.targets if t.kind == TargetKind.VETO]
        case_codes = {c for t in vetoes for c in t.case_type_codes}
        case_events: dict[tuple[int, str], list[VetoEvent]] = defaultdict(list)
        if case_codes and VETO_SOURCES:
            org_ids = list(self.owners)
            for source in VETO_SOURCES:
                for ev in source(org_ids, self.year, case_codes):
                    for owner in self.owners.get(ev.org_id, ()):
                        case_events[(owner, ev.code)].append(ev)
        for t in vetoes:
            org_id = t.plan.org_id
            type_ids = tuple(sorted(self.ids_of(t.activity_codes)))
            if type_ids:
                key = (type_ids, tuple(sorted((k, tuple(v)) for k, v in (t.extra_filter or {}).items())))
                found = veto_found.get((org_id, veto_specs[key]))
                if found:
                    n, first = found
                    self.vetoes[t.pk].append(VetoEvent(org_id, first, f"{n}条记录", "records"))
            for code in t.case_type_codes:
                self.vetoes[t.pk].extend(case_events.get((org_id, code), ()))

    def _load_entries(self) -> None:
        valued = [t for t in self.targets if t.kind in (TargetKind.RATE, TargetKind.CHANGE)]
        if valued:
            for target_id, value, measured_on in (
                RateEntry.objects.filter(target_id__in=[t.pk for t in valued])
                .order_by("target_id", "measured_on", "id")
                .values_list("target_id", "value", "measured_on")
            ):
                self.latest[target_id] = (value, measured_on)  # the last one wins
        changes = [t for t in valued if t.kind == TargetKind.CHANGE and t.baseline is None]
        if changes:
            for org_id, code, value in (
                RateEntry.objects.filter(
                    target__plan__year=self.year - 1,
                    target__plan__org_id__in={t.plan.org_id for t in changes},
                    target__code__in={t.code for t in changes},
                )
                .order_by("measured_on", "id")
                .values_list("target__plan__org_id", "target__code", "value")
            ):
                self.last_year[(org_id, code)] = value
        deadlines = [t.pk for t in self.targets if t.kind == TargetKind.DEADLINE]
        if deadlines:
            for target_id, done_on in (
                Task.objects.filter(target_id__in=deadlines, status=TaskStatus.DONE, completed_on__isnull=False)
                .order_by("completed_on")
                .values_list("target_id", "completed_on")
            ):
                self.task_done.setdefault(target_id, done_on)


def _extra_matches(extra: dict, wanted: dict) -> bool:
    for key, allowed in (wanted or {}).items():
        value = extra.get(key)
        values = value if isinstance(value, list) else [value]
        if not any(v in allowed for v in values):
            return False
    return True


def _evaluate_count(t: Target, ctx: _Context) -> Result:
    year, today = ctx.year, ctx.today
    spans = periods.spans(t.period, year, t.months)
    type_ids = ctx.ids_of(t.activity_codes)
    by_index: dict[int, int] = defaultdict(int)
    if t.period == PeriodKind.WEEK:
        for type_id in type_ids:
            arr = ctx.weeks.get((t.plan.org_id, type_id))
            if arr:
                for i, n in enumerate(arr):
                    by_index[i] += n
    else:
        for type_id in type_ids:
            arr = ctx.halves.get((t.plan.org_id, type_id))
            if arr:
                for h, n in enumerate(arr):
                    if n:
                        by_index[periods.index_from_half_month(t.period, h)] += n
    cells = []
    for s in spans:
        done = by_index.get(s.index, 0)
        state = period_state(done, t.min_per_period, s, today)
        on_time = None if state not in (State.OK, State.FAIL) else state == State.OK
        cells.append(Cell(s.label, s.start, s.end, t.min_per_period, done, state, on_time))
    done_year = sum(c.done for c in cells)
    ys = year_span(year)
    states = [c.state for c in cells]
    if t.min_per_period is not None and State.FAIL in states:
        total_state = State.FAIL  # a missed period fails the year
    else:
        if t.min_per_year is not None:
            total_state = period_state(done_year, t.min_per_year, ys, today)
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
    months = _month_states(cells, year) if t.min_per_period is not None else [total_state] * 12
    return Result(t, year, cells, total, months)


def _evaluate_value(t: Target, ctx: _Context) -> Result:
    year, today = ctx.year, ctx.today
    ys = year_span(year)
    latest = ctx.latest.get(t.pk)
    value = latest[0] if latest else None
    note = f"测定于{latest[1]:%Y-%m-%d}" if latest else "尚未录入"
    if t.kind == TargetKind.CHANGE:
        baseline = t.baseline if t.baseline is not None else ctx.last_year.get((t.plan.org_id, t.code))
        reached = value is not None and baseline is not None and value - baseline >= t.threshold
        expected = f"较上年+{_fmt(t.threshold)}" + (f"(上年{_fmt(baseline)})" if baseline is not None else "(缺上年数)")
        done = _fmt(value - baseline) if value is not None and baseline is not None else _fmt(value)
    else:
        reached = value is not None and value >= t.threshold and (t.max_value is None or value <= t.max_value)
        expected = f"≥{_fmt(t.threshold)}" if t.max_value is None else f"{_fmt(t.threshold)}–{_fmt(t.max_value)}"
        done = _fmt(value)
    if reached:
        state = State.OK
    elif today > ys.end:
        state = State.FAIL
    elif value is None and ys.elapsed_fraction(today) >= 0.5:
        state = State.WARN
    else:
        state = State.PROGRESS
    cell = Cell("全年", ys.start, ys.end, expected, done, state, note=note)
    return Result(t, year, [cell], cell, [state] * 12)


def _evaluate_deadline(t: Target, ctx: _Context) -> Result:
    year, today = ctx.year, ctx.today
    due, start = due_date(t, year), window_start(t, year)
    in_time = ctx.deadline_done.get(t.pk)
    task_done = ctx.task_done.get(t.pk)
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


def _evaluate_veto(t: Target, ctx: _Context) -> Result:
    ys = year_span(ctx.year)
    events = sorted(ctx.vetoes.get(t.pk, ()), key=lambda e: e.date)
    if events:
        state = State.FAIL
        note = "一票否决:" + ";".join(f"{e.date:%m-%d} {e.title}" for e in events[:3])
    else:
        state = State.OK if ctx.today > ys.end else State.PROGRESS
        note = "未发生"
    cell = Cell("全年", ys.start, ys.end, "不发生", len(events), state, None if events else True, note)
    months: list[str | None] = []
    for m in range(1, 13):
        if any(e.date.month == m for e in events):
            months.append(State.FAIL)
        elif date(ctx.year, m, 1) > ctx.today:
            months.append(State.FUTURE)
        else:
            months.append(State.OK)
    return Result(t, ctx.year, [cell], cell, months)


EVALUATORS = {
    TargetKind.COUNT: _evaluate_count,
    TargetKind.RATE: _evaluate_value,
    TargetKind.CHANGE: _evaluate_value,
    TargetKind.DEADLINE: _evaluate_deadline,
    TargetKind.VETO: _evaluate_veto,
}


def evaluate(targets: Iterable[Target], *, today: date | None = None) -> dict[int, Result]:
    """Compliance of ``targets`` (with ``plan`` and ``plan.org`` loaded), grouped by their plans' years."""
    today = today or timezone.localdate()
    by_year: dict[int, list[Target]] = defaultdict(list)
    for t in targets:
        by_year[t.plan.year].append(t)
    results: dict[int, Result] = {}
    for year, group in by_year.items():
        ctx = _Context(group, year, today)
        ctx.load()
        for t in group:
            results[t.pk] = EVALUATORS[TargetKind(t.kind)](t, ctx)
    return results
