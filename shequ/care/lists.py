"""The lists that drive the day (本月未走访, 即将到期, 全部帮扶对象) worked out in the database: each profile's
current period is a CASE over its group and level (the schedules are data: a handful of rows), whether it has a
visit in that period an EXISTS, so that a page's 50 rows come from one ordered, limited query (a UNION of the
disability and the special-group profiles) and the counts per community and grid from two grouped queries —
whatever the number of people under care. The rows of a page get their helper and last visit as the lists always
did (``selectors._standings``, four queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate

from shequ.accounts.models import User
from shequ.care import rules, selectors
from shequ.care.catalogue import CATEGORY_NAMES
from shequ.care.selectors import Subject
from shequ.records.models import Record
from shequ.residents.models import DisabilityProfile, Person, SpecialGroupProfile

PER_PAGE = 50
COLUMNS = ("pid", "cat", "lvl", "cstart", "p_start", "p_end", "soon", "visited", "gsort", "pname",
           "pgender", "pbirth", "paddr", "porg", "porgname", "pgrid")  # fmt: skip


def _periods(plan: dict, today: date, category_q) -> tuple[list, list, list, set]:
    """The CASE branches (start, end, soon) of the schedules, a level's own row before the group's default, and the
    periods' distinct first days."""
    starts, ends, soon, firsts = [], [], [], set()
    ordered = sorted(plan.items(), key=lambda kv: (kv[0][1] == "", kv[0]))
    for (category, level), rule in ordered:
        q = category_q(category, level)
        if q is None:
            continue
        start, end = rules.period(rule, today)
        starts.append(When(q, then=Value(start)))
        ends.append(When(q, then=Value(end)))
        soon.append(When(q, then=Value((end - today).days < rule.remind_days)))
        firsts.add(start)
    return starts, ends, soon, firsts


def _disability_q(category: str, level: str):
    if category != "disability":
        return None
    return Q(grade=level) if level else Q(pk__isnull=False)


def _special_q(kinds: list[str]):
    def q(category: str, level: str):
        if category == "disability" or category not in kinds:
            return None
        return Q(kind=category, risk_level=int(level)) if level else Q(kind=category)

    return q


def _annotate(qs: QuerySet, plan: dict, today: date, category_q, types: list[int], cat, lvl, cstart) -> QuerySet:
    visits = Record.persons.through.objects.filter(record__activity_type_id__in=types, record__date__lte=today)
    starts, ends, soon, firsts = _periods(plan, today, category_q)
    # Visited: a semi-join on the visits since the period's first day, one uncorrelated subquery per distinct first
    # day (PostgreSQL hashes each once), never a lookup per person.
    visited = [
        When(p_start=first, person_id__in=visits.filter(record__date__gte=first).values("person_id"), then=Value(True))
        for first in sorted(firsts)
    ]
    none = Value(None, output_field=DateField())
    no = Value(False)
    return qs.annotate(
        pid=F("person_id"),
        cat=cat,
        lvl=lvl,
        cstart=cstart,
        p_start=Case(*starts, default=none, output_field=DateField()) if starts else none,
        p_end=Case(*ends, default=none, output_field=DateField()) if ends else none,
        soon=Case(*soon, default=no, output_field=BooleanField()) if soon else no,
        gsort=Coalesce(F("person__grid__name"), Value(""), output_field=CharField()),
        pname=F("person__name"),
        pgender=F("person__gender"),
        pbirth=F("person__birth_date"),
        paddr=F("person__address"),
        porg=F("person__org_id"),
        porgname=F("person__org__name"),
        pgrid=F("person__grid_id"),
    ).annotate(visited=Case(*visited, default=no, output_field=BooleanField()) if visited else no)


def _parts(actor: User, persons: QuerySet[Person], today: date, category: str, plan: dict, types: dict):
    parts = []
    if category in ("", "disability"):
        dis = DisabilityProfile.objects.filter(person__in=persons).filter(
            selectors._profile_q(actor, "disability", today)
        )
        ids = sorted(t.pk for t in types["disability"])
        parts.append(_annotate(dis, plan, today, _disability_q, ids, Value("disability", output_field=CharField()),
                               F("grade"), TruncDate("created_at")))  # fmt: skip
    if category != "disability":
        kinds = [category] if category else [c for c in CATEGORY_NAMES if c != "disability"]
        sp = (
            SpecialGroupProfile.objects.filter(person__in=persons, kind__in=kinds)
            .filter(Q(period_end__isnull=True) | Q(period_end__gte=today))
            .filter(selectors._profile_q(actor, "special", today))
        )
        ids = sorted({t.pk for k in kinds for t in types[k]})
        lvl = Coalesce(Cast("risk_level", CharField()), Value(""), output_field=CharField())
        start = Coalesce(F("period_start"), TruncDate("created_at"), output_field=DateField())
        parts.append(_annotate(sp, plan, today, _special_q(kinds), ids, F("kind"), lvl, start))
    return parts


def _wanted(show: str, today: date) -> Q:
    """本月未走访: a schedule, no visit in its current period, care begun; 即将到期: of those, ending soon."""
    if show == "all":
        return Q()
    q = Q(p_end__isnull=False, visited=False, cstart__lte=today)
    return q & Q(soon=True) if show == "soon" else q


@dataclass
class Listing:
    """The page of a list and its counts: ``total`` people under care (人次), ``shown`` on the list, and the list's
    figures per community and grid: ``[(org id, org name, grid id, grid name, count)]``."""

    page: Page
    total: int
    shown: int
    by_place: list[tuple[int, str, int | None, str, int]]


class _Rows:
    """What the paginator pages: the count known from the grouped queries, a slice read by one query."""

    def __init__(self, union: QuerySet | None, count: int, today: date, plan: dict, types: dict):
        self.union, self.count_, self.today, self.plan, self.types = union, count, today, plan, types

    def __len__(self) -> int:
        return self.count_

    def __getitem__(self, key: slice) -> list[Subject]:
        if self.union is None:
            return []
        found = [_subject(r) for r in self.union[key]]
        selectors._standings(found, self.today, self.plan, self.types)
        return found


def _subject(r: dict) -> Subject:
    return Subject(person_id=r["pid"], name=r["pname"], gender=r["pgender"], birth_date=r["pbirth"],
                   address=r["paddr"], org_id=r["porg"], org_name=r["porgname"], grid_id=r["pgrid"],
                   grid_name=r["gsort"], category=r["cat"], level=r["lvl"] or "", care_start=r["cstart"])  # fmt: skip


def listing(actor: User, persons: QuerySet[Person], today: date, *, show: str, category: str, page: str | None):
    """The list ``show`` (due, soon, all) of the people under care among ``persons`` that the actor sees."""
    plan, types = selectors.schedules(), selectors.visit_types()
    parts = _parts(actor, persons, today, category, plan, types)
    total, shown, places = 0, 0, {}
    wanted = _wanted(show, today)
    for qs in parts:
        grouped = qs.values("porg", "porgname", "pgrid", "gsort").annotate(
            n=Count("pk"), listed=Count("pk", filter=wanted)
        )
        for g in grouped.order_by():
            total += g["n"]
            shown += g["listed"]
            if g["listed"]:
                key = (g["porg"], g["porgname"], g["pgrid"], g["gsort"])
                places[key] = places.get(key, 0) + g["listed"]
    union = None
    if parts:
        picked = [qs.filter(wanted).values(*COLUMNS) for qs in parts]
        union = picked[0].union(*picked[1:], all=True) if len(picked) > 1 else picked[0]
        order = ("gsort", "pname", "cat", "pid") if show == "all" else ("p_end", "gsort", "pname", "cat", "pid")
        union = union.order_by(*order)
    paged = Paginator(_Rows(union, shown, today, plan, types), PER_PAGE).get_page(page)
    by_place = sorted(((o, on, g, gn, n) for (o, on, g, gn), n in places.items()), key=lambda r: (r[1], r[3]))
    return Listing(page=paged, total=total, shown=shown, by_place=by_place)
