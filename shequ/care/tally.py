"""The tally of visits due (``DueVisit``): for every person under care, each closed period of their schedule in a
year that they were under care the whole of, with the day of its visit (or none). Rebuilt by ``manage.py
care_tally`` (daily) and after the demo's bulk load; a visit recorded later marks its period at once."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from shequ.care import rules, selectors
from shequ.care.catalogue import CATEGORY_AREAS
from shequ.care.models import DueVisit, HelperPair
from shequ.orgs.models import Area
from shequ.records.models import Record
from shequ.residents.models import DisabilityProfile, SpecialGroupProfile

PERSON = ("person__org_id", "person__grid_id", "person__moved_out_on", "person__deceased_on", "person__is_deceased")


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


@transaction.atomic
def rebuild(year: int, today: date | None = None) -> int:
    """Write the year's due visits again; returns how many."""
    today = today or timezone.localdate()
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    plan = selectors.schedules()
    types = sorted({t.pk for ts in selectors.visit_types().values() for t in ts})
    visits: dict[tuple[int, str], list[date]] = defaultdict(list)
    rows = Record.persons.through.objects.filter(record__activity_type_id__in=types, record__year=year)
    for pid, area, d in rows.values_list("person_id", "record__area__code", "record__date"):
        visits[(pid, area)].append(d)
    pairs = defaultdict(list)
    for p in HelperPair.objects.filter(started_on__lte=end).exclude(ended_on__lt=start).values():
        pairs[(p["person_id"], p["category"])].append(p)
    areas = dict(Area.objects.values_list("code", "pk"))
    out = []
    for r, category, level, care_start in _subjects(start):
        rule = rules.pick(plan, category, level)
        if rule is None:
            continue
        care_end = _care_end(r)
        last = rules.period(rule, today)[0] - timedelta(days=1)
        if care_end is not None:
            last = min(last, care_end)
        area = CATEGORY_AREAS[category]
        dates = sorted(visits.get((r["person_id"], area), []))
        for p_start, p_end in rules.periods(rule, max(start, care_start), min(end, last)) if last >= start else []:
            if p_start < care_start or p_end > last or p_start.year != year:
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
    DueVisit.objects.filter(period_start__year=year).delete()
    DueVisit.objects.bulk_create(out, batch_size=5000)
    return len(out)


def mark_visited(person_id: int, area_code: str, day: date) -> None:
    """A visit recorded (perhaps late) fills the closed period it falls in."""
    categories = [c for c, a in CATEGORY_AREAS.items() if a == area_code]
    DueVisit.objects.filter(
        person_id=person_id, category__in=categories, period_start__lte=day, period_end__gte=day, visited_on=None
    ).update(visited_on=day)
