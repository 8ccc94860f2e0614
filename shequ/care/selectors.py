"""Every read of care, scoped to the actor: the people under care the actor may see (through the profiles' door,
or as the helper of their pair), where each stands against their schedule, and the lists that drive the day
(本月未走访, 即将到期) — each in a fixed number of queries whatever the number of people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import STAFF_ROLES, Perm
from shequ.care import rules
from shequ.care.catalogue import CATEGORY_AREAS, CATEGORY_NAMES, CATEGORY_VISIT_TYPES
from shequ.care.models import DueVisit, HelperPair, VisitSchedule
from shequ.records.models import ActivityType, Record
from shequ.residents.models import DisabilityProfile, Person, SpecialGroupProfile
from shequ.residents.visibility import person_q, profile_visible_q

PERSON_FIELDS = ("name", "gender", "birth_date", "address", "org_id", "org__name", "grid_id", "grid__name")


@dataclass
class Subject:
    """A person under care in one group, with what the lists show (never an ID number or another profile)."""

    person_id: int
    name: str
    gender: str
    birth_date: date | None
    address: str
    org_id: int
    org_name: str
    grid_id: int | None
    grid_name: str
    category: str
    level: str
    care_start: date
    rule: rules.Rule | None = None
    last_visit: date | None = None
    helper: str = ""
    helper_id: int | None = None
    standing: rules.Standing | None = None

    @property
    def gender_name(self) -> str:
        return {"M": "男", "F": "女"}.get(self.gender, "")

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES[self.category]

    @property
    def level_name(self) -> str:
        if not self.level:
            return ""
        return f"{self.level}级" if self.category != "disability" else f"{self.level}级残疾"

    @property
    def area_code(self) -> str:
        return CATEGORY_AREAS[self.category]

    @property
    def period_label(self) -> str:
        if self.rule is None or self.standing is None:
            return ""
        return rules.period_label(self.rule, self.standing.start, self.standing.end)


def schedules() -> dict[tuple[str, str], VisitSchedule]:
    return {(s.category, s.level): s for s in VisitSchedule.objects.all()}


def schedule_list() -> QuerySet[VisitSchedule]:
    return VisitSchedule.objects.order_by("category", "level")


def visit_types() -> dict[str, list[ActivityType]]:
    """The record types that count as visits, by group of people (one query)."""
    wanted = {(CATEGORY_AREAS[c], code) for c, codes in CATEGORY_VISIT_TYPES.items() for code in codes}
    found = {
        (t.area.code, t.code): t
        for t in ActivityType.objects.filter(code__in={c for _, c in wanted}, is_active=True).select_related("area")
        if (t.area.code, t.code) in wanted
    }
    return {
        c: [found[(CATEGORY_AREAS[c], code)] for code in codes if (CATEGORY_AREAS[c], code) in found]
        for c, codes in CATEGORY_VISIT_TYPES.items()
    }


def visit_areas(types: dict[str, list[ActivityType]]) -> dict[int, str]:
    """The line of work (area code) of each visit type: a visit counts for the groups of that line."""
    return {t.pk: t.area.code for ts in types.values() for t in ts}


def paired_person_ids(actor: User, today: date) -> QuerySet:
    """The persons the actor is the helper of today (a subquery)."""
    return HelperPair.objects.filter(helper=actor).active_on(today).values("person_id")


def _pairs(actor: User, today: date) -> list[tuple[int, str]]:
    """(person, group) of the actor's pairs today, read once and kept on the actor for the request: the scope
    filters below name them as constants, since an OR with a subquery makes PostgreSQL read the whole registry."""
    kept = vars(actor).get("_care_pairs")
    if kept is None or kept[0] != today:
        rows = HelperPair.objects.filter(helper=actor).active_on(today).values_list("person_id", "category")
        kept = (today, list(rows))
        vars(actor)["_care_pairs"] = kept
    return kept[1]


def care_persons(actor: User, today: date) -> QuerySet[Person]:
    """Persons the actor may see as a worker, or whose helper they are; alive and not moved away."""
    q = person_q(actor, Perm.VIEW)
    if actor.is_authenticated:
        paired = sorted({p for p, _c in _pairs(actor, today)})
        if paired:
            q |= Q(pk__in=paired)
    return Person.objects.filter(q).filter(is_deceased=False, moved_out_on__isnull=True)


def _profile_q(actor: User | None, kind: str, today: date) -> Q:
    """The profiles the actor sees through the registry's door, and those of the persons whose helper they are in
    that profile's group (a helper of a disabled resident sees nothing of the same person's other profiles).
    No actor: every profile of the persons asked (the counts kept per community, which callers narrow by area)."""
    if actor is None:
        return Q()
    q = profile_visible_q(actor, kind, Perm.VIEW)
    if actor.is_authenticated:
        by_group: dict[str, list[int]] = {}
        for person_id, category in _pairs(actor, today):
            by_group.setdefault(category, []).append(person_id)
        if kind == "disability":
            if by_group.get("disability"):
                q |= Q(person_id__in=by_group["disability"])
        else:
            for category, ids in by_group.items():
                if category != "disability":
                    q |= Q(person_id__in=ids, kind=category)
    return q


def subjects(actor: User | None, persons: QuerySet[Person], today: date, category: str = "") -> list[Subject]:
    """The people under care among ``persons``, one per group they are in, with their schedule, their last visit
    and their helper today: five queries whatever their number."""
    fields = [f"person__{f}" for f in PERSON_FIELDS]
    out: list[Subject] = []
    if category in ("", "disability"):
        dis = (
            DisabilityProfile.objects.filter(person__in=persons)
            .filter(_profile_q(actor, "disability", today))
            .values("person_id", "grade", "created_at", *fields)
        )
        for r in dis:
            out.append(_subject(r, "disability", r["grade"], r["created_at"].date()))
    if category != "disability":
        kinds = [category] if category else [c for c in CATEGORY_NAMES if c != "disability"]
        sp = (
            SpecialGroupProfile.objects.filter(person__in=persons, kind__in=kinds)
            .filter(Q(period_end__isnull=True) | Q(period_end__gte=today))
            .filter(_profile_q(actor, "special", today))
            .values("person_id", "kind", "risk_level", "period_start", "created_at", *fields)
        )
        for r in sp:
            level = "" if r["risk_level"] is None else str(r["risk_level"])
            out.append(_subject(r, r["kind"], level, r["period_start"] or r["created_at"].date()))
    _standings(out, today)
    return out


def _subject(r: dict, category: str, level: str, care_start: date) -> Subject:
    return Subject(
        person_id=r["person_id"],
        name=r["person__name"],
        gender=r["person__gender"],
        birth_date=r["person__birth_date"],
        address=r["person__address"],
        org_id=r["person__org_id"],
        org_name=r["person__org__name"],
        grid_id=r["person__grid_id"],
        grid_name=r["person__grid__name"] or "",
        category=category,
        level=level,
        care_start=care_start,
    )


def _standings(found: list[Subject], today: date, plan: dict | None = None, types: dict | None = None) -> None:
    """Each subject's rule, last visit of its line of work, standing and helper (four queries, two when the
    schedules and visit types are given; none for nobody)."""
    if not found:
        return
    plan = schedules() if plan is None else plan
    for s in found:
        s.rule = rules.pick(plan, s.category, s.level)
    # The last visit is read back a year (the list shows it), and at least to the start of the longest period.
    year_ago = today - timedelta(days=366)
    earliest = min((rules.period(s.rule, today)[0] for s in found if s.rule is not None), default=today)
    earliest = min(earliest, year_ago)
    types = visit_types() if types is None else types
    type_ids = sorted({t.pk for ts in types.values() for t in ts})
    last: dict[tuple[int, str], date] = {}
    if type_ids:
        # Each of the subjects' record links looks up its own record by id (a correlated subquery): joined, the
        # planners read the year's visits of the whole district (PostgreSQL along the records' primary key, 77 ms
        # for a community's 950 people under care at a million residents; SQLite through the type index) to keep
        # the few of these people (5 ms this way).
        visit = Record.objects.filter(
            pk=OuterRef("record_id"), activity_type_id__in=type_ids, date__gte=earliest, date__lte=today
        )
        area_of = visit_areas(types)
        links: Any = Record.persons.through  # django-stubs knows only the first of its annotations below
        rows = (
            links.objects.filter(person_id__in=sorted({s.person_id for s in found}))
            .annotate(visit_on=Subquery(visit.values("date")), visit_kind=Subquery(visit.values("activity_type")))
            .filter(visit_on__isnull=False)
            .values_list("person_id", "visit_kind", "visit_on")
        )
        for person_id, type_id, day in rows:
            key = (person_id, area_of[type_id])
            if key not in last or day > last[key]:
                last[key] = day
    helpers: dict[tuple[int, str], tuple[int, str]] = {}
    pairs = (
        HelperPair.objects.active_on(today)
        .filter(person_id__in=sorted({s.person_id for s in found}))
        .order_by("started_on", "id")
    )
    for p in pairs.values("person_id", "category", "helper_id", "helper__name", "helper__username"):
        helpers[(p["person_id"], p["category"])] = (p["helper_id"], p["helper__name"] or p["helper__username"])
    for s in found:
        s.last_visit = last.get((s.person_id, s.area_code))
        if s.rule is not None:
            s.standing = rules.standing(s.rule, today, s.last_visit)
        s.helper_id, s.helper = helpers.get((s.person_id, s.category), (None, ""))


def due(found: list[Subject], today: date, *, soon: bool = False) -> list[Subject]:
    """本月未走访 (due in the current period, not visited), or 即将到期 (of those, the period ends within the
    reminder days), soonest end first, then by grid and name."""
    test = rules.is_due_soon if soon else rules.is_due
    rows = [s for s in found if s.rule is not None and test(s.rule, today, s.last_visit, s.care_start)]
    rows.sort(key=lambda s: (s.standing.end if s.standing else today, s.grid_name, s.name, s.category))
    return rows


def subject_get(actor: User, person_id: int, category: str, today: date) -> Subject:
    """One person under care in one group, as the actor may see them (404 otherwise)."""
    if category not in CATEGORY_NAMES:
        raise Http404("没有这个人群类别。")
    persons = care_persons(actor, today).filter(pk=person_id)
    for s in subjects(actor, persons, today, category):
        return s
    raise Http404("没有这个帮扶对象。")


def person_categories(actor: User, person_id: int, today: date) -> list[Subject]:
    return subjects(actor, care_persons(actor, today).filter(pk=person_id), today)


def may_log_visit(actor: User, subject: Subject) -> bool:
    """Whether the actor may record a visit to the subject: their helper, or staff of the line of work there."""
    if subject.helper_id is not None and subject.helper_id == actor.pk:
        return True
    scope = access.resolve(actor)
    area = _area_id(subject.area_code)
    return any(
        g.role in STAFF_ROLES
        and (g.allows(Perm.LOG_CARE, area) or g.allows(Perm.RECORD_WORK, area))
        and subject.org_id in scope.subtrees.get(g.path, ())
        for g in scope.grants
    )


def _area_id(code: str) -> int | None:
    from shequ.orgs.models import Area

    return Area.objects.filter(code=code).values_list("pk", flat=True).first()


def my_pairs(actor: User, today: date) -> list[Subject]:
    """The helper's own people under care today, due first: what the helper's phone page lists."""
    persons = Person.objects.filter(pk__in=paired_person_ids(actor, today)).filter(
        is_deceased=False, moved_out_on__isnull=True
    )
    mine = {(p["person_id"], p["category"]) for p in HelperPair.objects.filter(helper=actor).active_on(today).values()}
    rows = [s for s in subjects(actor, persons, today) if (s.person_id, s.category) in mine]
    rows.sort(key=lambda s: (not (s.rule and rules.is_due(s.rule, today, s.last_visit, s.care_start)), s.name))
    return rows


def completion(actor: User, year: int, by: str) -> tuple[list[int], list[dict]]:
    """Visit completion per month of the year, by grid (or community without grids) or by helper, from the visits
    due (one grouped query): ``(months, [{"label", "cells": [(done, due, percent) or None per month], "total"}])``."""
    from django.db.models import Count
    from django.db.models.functions import ExtractMonth

    key = ("helper__name", "helper__username") if by == "helper" else ("grid__name", "org__name")
    rows = (
        DueVisit.objects.visible_to(actor)
        .filter(period_end__year=year)
        .annotate(month=ExtractMonth("period_end"))
        .values(*key, "month")
        .annotate(due=Count("id"), done=Count("visited_on"))
        .order_by()
    )
    table: dict[str, dict[int, tuple[int, int]]] = {}
    for r in rows:
        label = r[key[0]] or r[key[1]] or ("未结对" if by == "helper" else "")
        cell = table.setdefault(label, {}).get(r["month"], (0, 0))
        table[label][r["month"]] = (cell[0] + r["done"], cell[1] + r["due"])
    months = sorted({m for cells in table.values() for m in cells})

    def pct(done: int, due: int) -> tuple[int, int, int]:
        return done, due, round(100 * done / due) if due else 0

    out = []
    for label in sorted(table):
        cells = table[label]
        done, due = sum(c[0] for c in cells.values()), sum(c[1] for c in cells.values())
        out.append({"label": label, "cells": [pct(*cells[m]) if m in cells else None for m in months],
                    "total": pct(done, due)})  # fmt: skip
    return months, out
