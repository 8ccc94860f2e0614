"""The school year (学年) as a school's staff read it: the calendar a school runs on (its own, or the nearest one
above it), its current and next school year, and the eight key prevention items (八项重点防范内容) per term — taught
(a safety lesson, ``school/lesson``, with the item among its topics) and drilled (a drill, ``school/drill``, of a
kind that practises it), derived from the records, never typed.

The eight items are the school safety plan's (参考计划篇5 “做到工作重点突出”): 防溺水、防雷击、防交通事故、防传染病、
防因教师体罚学生而造成的学生伤害事故、防地质灾害事故、防学生日常活动伤害事故、防校舍教学设施安全事故.

A term's records count while they lie in the term and in the year the term starts in: an autumn term runs into
January, and January's records are filed under the next year (绝不能跨年归类), so they count for no term's coverage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from shequ.core.indicators import Indicator, Measure, Period
from shequ.education.models import CalendarKind, CalendarPeriod, SchoolCalendar
from shequ.orgs.models import Org, UnitType
from shequ.records.indicators import types_q
from shequ.records.models import Record

LESSON = "school/lesson"
DRILL = "school/drill"


@dataclass(frozen=True)
class Item:
    """One key prevention item: the plan's words, a short label, the lesson topics that teach it and the drill
    kinds that practise it (none: an item no drill practises)."""

    code: str
    label: str
    plan_text: str
    topics: tuple[str, ...]
    drills: tuple[str, ...]


EIGHT_ITEMS: tuple[Item, ...] = (
    Item("drowning", "防溺水", "防溺水", ("防溺水",), ("防溺水",)),
    Item("lightning", "防雷击", "防雷击", ("防雷击",), ("防雷击",)),
    Item("traffic", "防交通事故", "防交通事故", ("防交通事故",), ("交通安全",)),
    Item("epidemic", "防传染病", "防传染病", ("防传染病",), ("传染病防控",)),
    Item("punishment", "防体罚伤害", "防因教师体罚学生而造成的学生伤害事故", ("防体罚伤害",), ()),
    Item("geological", "防地质灾害", "防地质灾害事故", ("防地质灾害",), ("防震避险",)),
    Item("activity", "防日常活动伤害", "防学生日常活动伤害事故", ("防活动伤害",), ("防踩踏",)),
    Item("buildings", "防校舍设施事故", "防校舍教学设施安全事故", ("防校舍设施事故", "消防安全"), ("消防疏散",)),
)
DRILLABLE = sum(1 for i in EIGHT_ITEMS if i.drills)


@dataclass
class ItemRow:
    item: Item
    lessons: list[Record] = field(default_factory=list)
    drills: list[Record] = field(default_factory=list)

    @property
    def taught(self) -> bool:
        return bool(self.lessons)

    @property
    def drilled(self) -> bool:
        return bool(self.drills)


@dataclass
class TermCoverage:
    """The checklist of one term: for each item, the lessons that taught it and the drills that practised it."""

    term: CalendarPeriod
    until: date  # the last day counted: the term's end, or 31 December of the year it starts in
    rows: list[ItemRow]

    @property
    def taught(self) -> int:
        return sum(r.taught for r in self.rows)

    @property
    def drilled(self) -> int:
        return sum(r.drilled for r in self.rows)

    @property
    def complete(self) -> bool:
        return self.taught == len(self.rows)

    @property
    def clipped(self) -> bool:
        return self.until < self.term.end

    def started(self, today: date) -> bool:
        return self.term.start <= today


def counted_until(term: CalendarPeriod) -> date:
    return min(term.end, date(term.start.year, 12, 31))


def _values(record: Record, name: str) -> set[str]:
    value = record.extra.get(name)
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)} if value else set()


def coverage(school: Org, terms: Iterable[CalendarPeriod]) -> list[TermCoverage]:
    """Each term's checklist for ``school``: one query for the lessons and drills of all the terms."""
    terms = sorted(terms, key=lambda t: t.start)
    if not terms:
        return []
    first, last = terms[0].start, max(counted_until(t) for t in terms)
    records = list(
        Record.objects.filter(types_q([LESSON, DRILL]), org=school, date__gte=first, date__lte=last)
        .select_related("activity_type")
        .only("id", "date", "title", "extra", "activity_type__code")
        .order_by("date", "id")
    )
    return [_tally(term, records) for term in terms]


def _tally(term: CalendarPeriod, records: Iterable[Record]) -> TermCoverage:
    """One term's checklist from the school's lessons and drills (``activity_type`` loaded)."""
    until = counted_until(term)
    rows = [ItemRow(item) for item in EIGHT_ITEMS]
    for r in records:
        if not term.start <= r.date <= until:
            continue
        is_lesson = r.activity_type.code == "lesson"
        found = _values(r, "topic_kind") if is_lesson else _values(r, "drill_kind")
        for row in rows:
            if is_lesson and found & set(row.item.topics):
                row.lessons.append(r)
            elif not is_lesson and found & set(row.item.drills):
                row.drills.append(r)
    return TermCoverage(term, until, rows)


# --- the plans' figure: 八项重点防范内容每学期全覆盖 -------------------------------------------------------------


def figures(org_ids: list[int], period: Period) -> dict[int, tuple[Decimal, Decimal]]:
    """For each school asked: the items taught summed over the terms that start in the year and have started by
    the period's day, and eight times those terms. Four queries, whatever the number of schools."""
    schools = dict(Org.objects.filter(pk__in=org_ids, unit_type=UnitType.SCHOOL).values_list("pk", "path"))
    if not schools:
        return {}
    chains = {pk: [int(p) for p in path.strip("/").split("/")] for pk, path in schools.items()}
    cal_of = dict(
        SchoolCalendar.objects.filter(org_id__in={a for c in chains.values() for a in c}).values_list("org_id", "pk")
    )
    own = {pk: next((cal_of[a] for a in reversed(c) if a in cal_of), None) for pk, c in chains.items()}
    terms: dict[int, list[CalendarPeriod]] = defaultdict(list)
    for t in CalendarPeriod.objects.filter(
        calendar_id__in={c for c in own.values() if c is not None},
        kind=CalendarKind.TERM,
        start__gte=date(period.year, 1, 1),
        start__lte=period.as_of,
    ):
        terms[t.calendar_id].append(t)
    lessons: dict[int, list[Record]] = defaultdict(list)
    for r in (
        Record.objects.filter(types_q([LESSON]), org_id__in=list(schools), year=period.year)
        .select_related("activity_type")
        .only("id", "org_id", "date", "extra", "activity_type__code")
    ):
        lessons[r.org_id].append(r)
    out = {}
    for pk in schools:
        mine = terms.get(own[pk], []) if own[pk] is not None else []
        taught = sum(_tally(t, lessons[pk]).taught for t in mine)
        out[pk] = (Decimal(taught), Decimal(len(EIGHT_ITEMS) * len(mine)))
    return out


INDICATORS = (
    Indicator(
        code="school_eight_items_coverage",
        name="八项重点防范内容每学期教育覆盖率",
        area="school",
        numerator=Measure("records", "各学期已开展安全教育的重点防范内容（项·学期）", {"types": [LESSON]}),
        denominator=Measure("records", "本年已开学的学期数×8项（由校历计算）", {"types": [LESSON]}),
        needs=("校历（学期）", "安全教育课记录（教育内容）"),
        note="每个学期，八项重点防范内容各有至少一次安全教育课即为全覆盖（100%）。学期按校历，"
        "跨年学期次年1月的记录归入次年；分子的明细为本年的安全教育课。",
        figures=figures,
    ),
)


# --- calendars ---------------------------------------------------------------------------------------------------


def calendar_of(org: Org) -> SchoolCalendar | None:
    """The calendar ``org`` runs on: its own, else the nearest org's above it (one query)."""
    ids = [int(p) for p in org.path.strip("/").split("/")]
    found = {c.org_id: c for c in SchoolCalendar.objects.filter(org_id__in=ids).select_related("org")}
    return next((found[i] for i in reversed(ids) if i in found), None)


def school_year_of(d: date) -> int:
    """The school year a day belongs to, by the year it starts in (September)."""
    return d.year if d.month >= 9 else d.year - 1


def school_year_label(y: int) -> str:
    return f"{y}—{y + 1}学年"


@dataclass
class SchoolYearView:
    year: int
    periods: list[CalendarPeriod]

    @property
    def label(self) -> str:
        return school_year_label(self.year)

    @property
    def terms(self) -> list[CalendarPeriod]:
        return [p for p in self.periods if p.kind == CalendarKind.TERM]


def school_years(calendar: SchoolCalendar | None, today: date) -> list[SchoolYearView]:
    """The current and the next school year of ``calendar``, each with its periods by the school year they start
    in (one query)."""
    current = school_year_of(today)
    years = [SchoolYearView(current, []), SchoolYearView(current + 1, [])]
    if calendar is None:
        return years
    rows = CalendarPeriod.objects.filter(
        calendar=calendar, start__gte=date(current, 9, 1), start__lt=date(current + 2, 9, 1)
    ).order_by("start", "end", "id")
    by_year: dict[int, list[CalendarPeriod]] = defaultdict(list)
    for p in rows:
        by_year[school_year_of(p.start)].append(p)
    for y in years:
        y.periods = by_year.get(y.year, [])
    return years


def current_terms(calendar: SchoolCalendar | None, today: date) -> list[CalendarPeriod]:
    """The terms of the current school year and the one before (the checklists a school looks back on)."""
    if calendar is None:
        return []
    current = school_year_of(today)
    return list(
        CalendarPeriod.objects.filter(
            Q(start__gte=date(current - 1, 9, 1)) & Q(start__lte=today),
            calendar=calendar,
            kind=CalendarKind.TERM,
        )
    )
