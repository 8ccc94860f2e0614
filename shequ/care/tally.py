"""The tally of visits due (``DueVisit``): for every person under care, each closed period of their schedule in a
year that they were under care the whole of, with the day of its visit (or none).

``manage.py care_tally`` runs daily and is incremental (:func:`refresh`): it adds the periods that closed since its
last run (``TallyMark``) and writes again only the persons whose care changed since — their profile, registry entry
(moved away, died), helper pairs or visit records (edited, or deleted: a period marked visited without a visit left).
A change of the schedules, or no earlier run, rebuilds the whole year (:func:`rebuild`, also after the demo's bulk
load). A visit recorded through the application marks its period at once (:func:`mark_visited`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from shequ.care import rules, selectors
from shequ.care.catalogue import CATEGORY_AREAS
from shequ.care.models import DueVisit, HelperPair, TallyMark
from shequ.orgs.models import Area
from shequ.records.models import Record
from shequ.residents.models import DisabilityProfile, Person, SpecialGroupProfile

PERSON = ("person__org_id", "person__grid_id", "person__moved_out_on", "person__deceased_on", "person__is_deceased")
# Changes are read from a little before the last run began: a write still in flight then is not missed.
OVERLAP = timedelta(hours=1)
Keep = Callable[[int, object, date], bool]  # (person, rule, period end) -> write this period's row


def _care_end(r: dict) -> date | None:
    ends = [d for d in (r["person__moved_out_on"], r["person__deceased_on"]) if d is not None]
    if r["person__is_deceased"] and not ends:
        return date.min
    return min(ends) if ends else None


def _subjects(year_start: date) -> list[tuple]:
    """(person, org, grid, category, level, care start, care end) of everyone under care in the year."""
    out = []
    for r in DisabilityProfile.objects.values("person_id", "grade", "created_at", *PERSON):
        out.append((r, "disability", r["grade"], r["created_at"].date()))
    special = SpecialGroupProfile.objects.exclude(period_end__lt=year_start)
    for r in special.values("person_id", "kind", "risk_level", "period_start", "period_end", "created_at", *PERSON):
        level = "" if r["risk_level"] is None else str(r["risk_level"])
        out.append((r, r["kind"], level, r["period_start"] or r["created_at"].date()))
    return out


def _visit_rows(year: int, types: list[int]):
    return Record.persons.through.objects.filter(record__activity_type_id__in=types, record__year=year)


def _fingerprint(plan: dict) -> str:
    return ";".join(f"{c}:{lv}:{s.every}{s.unit}" for (c, lv), s in sorted(plan.items()))


def _compute(year: int, today: date, plan: dict, keep: Keep, visits_q: Q | None = None) -> tuple[list, set]:
    """The year's due visits that ``keep`` wants, and the (person, category) of everyone under care."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    types = sorted({t.pk for ts in selectors.visit_types().values() for t in ts})
    visits: dict[tuple[int, str], list[date]] = defaultdict(list)
    rows = _visit_rows(year, types).filter(visits_q or Q())
    for pid, area, d in rows.values_list("person_id", "record__area__code", "record__date"):
        visits[(pid, area)].append(d)
    pairs = defaultdict(list)
    for p in HelperPair.objects.filter(started_on__lte=end).exclude(ended_on__lt=start).values():
        pairs[(p["person_id"], p["category"])].append(p)
    areas = dict(Area.objects.values_list("code", "pk"))
    out, subjects = [], set()
    for r, category, level, care_start in _subjects(start):
        rule = rules.pick(plan, category, level)
        if rule is None:
            continue
        subjects.add((r["person_id"], category))
        care_end = _care_end(r)
        last = rules.period(rule, today)[0] - timedelta(days=1)
        if care_end is not None:
            last = min(last, care_end)
        area = CATEGORY_AREAS[category]
        dates = sorted(visits.get((r["person_id"], area), []))
        for p_start, p_end in rules.periods(rule, max(start, care_start), min(end, last)) if last >= start else []:
            if p_start < care_start or p_end > last or p_start.year != year or not keep(r["person_id"], rule, p_end):
                continue
            seen = next((d for d in dates if p_start <= d <= p_end), None)
            helper = next(
                (h["helper_id"] for h in pairs.get((r["person_id"], category), [])
                 if h["started_on"] <= p_end and (h["ended_on"] is None or h["ended_on"] >= p_end)),
                None,
            )  # fmt: skip
            out.append(DueVisit(org_id=r["person__org_id"], grid_id=r["person__grid_id"], area_id=areas[area],
                                person_id=r["person_id"], category=category, helper_id=helper,
                                period_start=p_start, period_end=p_end, visited_on=seen))  # fmt: skip
    return out, subjects


def _mark(year: int, today: date, began: datetime, plan: dict) -> None:
    TallyMark.objects.update_or_create(
        year=year, defaults={"through": today, "began_at": began, "schedules": _fingerprint(plan)}
    )


@transaction.atomic
def rebuild(year: int, today: date | None = None) -> int:
    """Write the year's due visits again; returns how many."""
    began = timezone.now()
    today = today or timezone.localdate()
    plan = selectors.schedules()
    out, _ = _compute(year, today, plan, lambda _pid, _rule, _end: True)
    DueVisit.objects.filter(period_start__year=year).delete()
    DueVisit.objects.bulk_create(out, batch_size=5000)
    _mark(year, today, began, plan)
    return len(out)


def changed_persons(year: int, since: datetime, types: list[int]) -> set[int]:
    """Persons whose care may have changed since ``since``: profile, registry entry, helper pairs, visit records
    written since, and visits marked on the tally whose record is gone (deleted, or the person taken off it)."""
    ids: set[int] = set()
    ids.update(DisabilityProfile.objects.filter(updated_at__gte=since).values_list("person_id", flat=True))
    ids.update(SpecialGroupProfile.objects.filter(updated_at__gte=since).values_list("person_id", flat=True))
    ids.update(Person.objects.filter(updated_at__gte=since, disability__isnull=False).values_list("pk", flat=True))
    ids.update(Person.objects.filter(updated_at__gte=since, special_groups__isnull=False).values_list("pk", flat=True))
    ids.update(HelperPair.objects.filter(updated_at__gte=since).values_list("person_id", flat=True))
    rows = _visit_rows(year, types).filter(record__updated_at__gte=since)
    ids.update(rows.values_list("person_id", flat=True))
    visit = _visit_rows(year, types).filter(
        person_id=OuterRef("person_id"), record__area_id=OuterRef("area_id"),
        record__date__gte=OuterRef("period_start"), record__date__lte=OuterRef("period_end"),
    )  # fmt: skip
    stale = DueVisit.objects.filter(period_start__year=year, visited_on__isnull=False).filter(~Exists(visit))
    ids.update(stale.values_list("person_id", flat=True))
    return ids


@transaction.atomic
def refresh(year: int, today: date | None = None) -> dict:
    """The daily run: the periods closed since the last run, and the persons changed since, written again; the
    whole year when the schedules changed or nothing was tallied before. Returns what it did."""
    began = timezone.now()
    today = today or timezone.localdate()
    plan = selectors.schedules()
    mark = TallyMark.objects.select_for_update().filter(year=year).first()
    if mark is None or mark.schedules != _fingerprint(plan) or today < mark.through:
        return {"full": True, "written": rebuild(year, today), "persons": None}
    types = sorted({t.pk for ts in selectors.visit_types().values() for t in ts})
    changed = changed_persons(year, mark.began_at - OVERLAP, types)
    opened = {id(s): rules.period(s, mark.through)[0] for s in plan.values()}  # periods still open at the mark

    def keep(pid: int, rule, p_end: date) -> bool:
        return pid in changed or p_end >= opened[id(rule)]

    if not changed and all(rules.period(s, today)[0] == opened[id(s)] for s in plan.values()):
        _mark(year, today, began, plan)  # nothing closed, nothing changed
        return {"full": False, "written": 0, "persons": 0}
    since = min(opened.values(), default=date(year, 1, 1))
    visits_q = Q(record__date__gte=since) | Q(person_id__in=changed) if len(changed) < 5000 else None
    out, subjects = _compute(year, today, plan, keep, visits_q)
    kept = DueVisit.objects.filter(period_start__year=year)
    kept.filter(person_id__in=changed).delete()
    for pid, category in set(kept.values_list("person_id", "category").distinct()) - subjects:
        kept.filter(person_id=pid, category=category).delete()  # no longer under care in the group
    DueVisit.objects.bulk_create(out, batch_size=5000)
    _mark(year, today, began, plan)
    return {"full": False, "written": len(out), "persons": len(changed)}


def mark_visited(person_id: int, area_code: str, day: date) -> None:
    """A visit recorded (perhaps late) fills the closed period it falls in."""
    categories = [c for c, a in CATEGORY_AREAS.items() if a == area_code]
    DueVisit.objects.filter(
        person_id=person_id, category__in=categories, period_start__lte=day, period_end__gte=day, visited_on=None
    ).update(visited_on=day)
