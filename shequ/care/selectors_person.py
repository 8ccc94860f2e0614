"""A person's care as their page and file show it: each group they are in, their helper, where they stand this
period, their visits and the periods of the year that went without one (a missed month stays visible)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from shequ.accounts.models import User
from shequ.care import rules, selectors
from shequ.care.models import HelperPair, NeedsAssessment, ServicePlan
from shequ.records.models import Record


@dataclass
class CareLine:
    """One group a person is in, with their year against its schedule."""

    subject: selectors.Subject
    visits: list[date] = field(default_factory=list)
    missed: list[tuple[date, date]] = field(default_factory=list)
    assessment: NeedsAssessment | None = None  # filled in by the care file's page
    plan: ServicePlan | None = None

    @property
    def missed_labels(self) -> list[str]:
        rule = self.subject.rule
        return [rules.period_label(rule, s, e) for s, e in self.missed] if rule is not None else []


def _visit_dates(persons: QuerySet, since: date, today: date) -> dict[tuple[int, str], list[date]]:
    """Visit dates per person and line of work since a day (one query)."""
    type_ids = sorted({t.pk for ts in selectors.visit_types().values() for t in ts})
    rows = Record.persons.through.objects.filter(
        person__in=persons, record__activity_type_id__in=type_ids, record__date__gte=since, record__date__lte=today
    ).values_list("person_id", "record__area__code", "record__date")
    out: dict[tuple[int, str], list[date]] = defaultdict(list)
    for pid, area, d in rows:
        out[(pid, area)].append(d)
    return out


def care_lines(actor: User, person_ids: list[int], today: date | None = None) -> dict[int, list[CareLine]]:
    """Each person's groups with their visits and missed periods of this year, in a fixed number of queries."""
    today = today or timezone.localdate()
    persons = selectors.care_persons(actor, today).filter(pk__in=person_ids)
    found = selectors.subjects(actor, persons, today)
    if not found:
        return {}
    since = date(today.year, 1, 1)
    visits = _visit_dates(persons, since, today)
    out: dict[int, list[CareLine]] = defaultdict(list)
    for s in found:
        dates = sorted(visits.get((s.person_id, s.area_code), []))
        line = CareLine(subject=s, visits=dates)
        if s.rule is not None:
            line.missed = rules.missed_periods(s.rule, dates, care_start=max(s.care_start, since), today=today)
        out[s.person_id].append(line)
    return out


def person_care(actor: User, person_ids: list[int]) -> dict[int, list[dict]]:
    """The person page's panel (``registry.PersonPanel``): per group, the standing, the helper, the missed periods."""
    out: dict[int, list[dict]] = {}
    found = care_lines(actor, person_ids)
    assessed = latest_assessments(actor, list(found))
    year_plans = plans(actor, list(found), timezone.localdate().year)
    for pid, lines in found.items():
        items = []
        for line in lines:
            s = line.subject
            if s.standing is None:
                state = "未设走访周期"
            elif s.standing.visited:
                state = f"{s.period_label}已走访"
            else:
                state = f"{s.period_label}未走访"
            note = f"帮扶人：{s.helper}" if s.helper else "未结帮扶对子"
            if line.missed:
                note += f"；今年未走访：{'、'.join(line.missed_labels)}"
            if s.category == "disability" or (pid, s.category) in assessed:
                note += f"；需求：{needs_text(assessed.get((pid, s.category)))}"
            plan = year_plans.get((pid, s.category))
            note += f"；{plan.year}年服务计划{len(plan.items.all())}项" if plan else "；本年未制定服务计划"
            items.append(
                {
                    "text": f"{s.category_name}{('（' + s.level_name + '）') if s.level_name else ''}：{state}",
                    "url": reverse("care:person", args=[pid]),
                    "note": note,
                }
            )
        out[pid] = items
    return out


def person_pairs(actor: User, person_id: int) -> QuerySet[HelperPair]:
    """The person's helper pairs, now and before, as the actor may see them."""
    return (
        HelperPair.objects.visible_to(actor)
        .filter(person_id=person_id)
        .select_related("helper")
        .order_by("ended_on", "-started_on")
    )


def person_visits(actor: User, person_id: int, area_codes: list[str], since: date) -> QuerySet[Record]:
    """The person's visit records of the lines of work of their groups (as the actor may see records, or as the
    records written by the actor themself, a helper)."""
    type_ids = sorted({t.pk for ts in selectors.visit_types().values() for t in ts})
    base = Record.objects.filter(persons=person_id, activity_type_id__in=type_ids, area__code__in=area_codes)
    seen = base.visible_to(actor) | base.filter(created_by=actor)
    return seen.filter(date__gte=since).select_related("activity_type").prefetch_related("photos").order_by("-date")


def latest_assessments(actor: User, person_ids: list[int]) -> dict[tuple[int, str], NeedsAssessment]:
    """Each person's latest needs assessment per group, with its needs (two queries)."""
    rows = (
        NeedsAssessment.objects.visible_to(actor)
        .filter(person_id__in=person_ids)
        .select_related("surveyor")
        .prefetch_related("needs")
        .order_by("person_id", "category", "-surveyed_on", "-id")
    )
    out: dict[tuple[int, str], NeedsAssessment] = {}
    for a in rows:
        out.setdefault((a.person_id, a.category), a)
    return out


def plans(actor: User, person_ids: list[int], year: int) -> dict[tuple[int, str], ServicePlan]:
    """Each person's service plan of the year per group, with its items (two queries)."""
    rows = ServicePlan.objects.visible_to(actor).filter(person_id__in=person_ids, year=year).prefetch_related("items")
    return {(p.person_id, p.category): p for p in rows}


def needs_text(assessment: NeedsAssessment | None) -> str:
    if assessment is None:
        return "未做入户需求调查"
    items = [f"{n.name}（{n.get_status_display()}）" for n in assessment.needs.all()]
    return "、".join(items) or "无需求"
