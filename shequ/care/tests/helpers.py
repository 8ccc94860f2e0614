"""Helpers for the care tests: disabled residents and special-group people of 社区A, pairs and visits."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from shequ.accounts.roles import Role
from shequ.care import selectors, services
from shequ.records.models import ActivityType, Record
from shequ.records.services import record_create
from shequ.residents.models import DisabilityProfile, Person, SpecialGroupProfile
from shequ.testing.factories import member

_numbers = iter(range(1, 10_000_000))
TZ = ZoneInfo("Asia/Shanghai")


def resident(org, grid=None, **kw) -> Person:
    kw.setdefault("name", f"对象{next(_numbers)}")
    return Person.objects.create(org=org, grid=grid, gender="F", birth_date=date(1960, 5, 1), **kw)


def disabled(org, *, grid=None, grade="2", since=date(2025, 6, 1), **kw) -> Person:
    p = resident(org, grid, **kw)
    prof = DisabilityProfile.objects.create(person=p, category="4", grade=grade, guardian_name="监护人")
    DisabilityProfile.objects.filter(pk=prof.pk).update(
        created_at=datetime(since.year, since.month, since.day, tzinfo=TZ)
    )
    return p


def special(org, kind="mental", *, risk=None, grid=None, since=date(2025, 6, 1), **kw) -> Person:
    p = resident(org, grid, **kw)
    SpecialGroupProfile.objects.create(person=p, kind=kind, risk_level=risk, period_start=since)
    return p


def volunteer(org, name="志愿者乙"):
    return member(org, Role.VOLUNTEER, name=name)


def pair(actor, person, helper, category="disability", started_on=date(2026, 1, 1)):
    return services.pair_create(actor=actor, person=person, category=category, helper=helper, started_on=started_on)


def visit_type(category="disability") -> ActivityType:
    return selectors.visit_types()[category][0]


def visit(actor, person, day: date, category="disability") -> Record:
    """A visit written straight through the records service by staff (as a bulk of history would be)."""
    t = visit_type(category)
    return record_create(
        actor=actor, org=person.org, activity_type=t, date=day, title=f"走访{person.name}", persons=[person.pk]
    )
