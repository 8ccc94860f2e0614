"""The indicators records answer, worked out by hand: rehabilitation coverage (domain-formats §2.3), the needs
survey, the training rate over the population a template names, and funds per resident."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.core.indicators import Period
from shequ.plans.indicators import compute
from shequ.plans.tests.helpers import record
from shequ.residents.models import DisabilityProfile, Person

pytestmark = pytest.mark.django_db

YEAR_END = Period(2025, date(2026, 1, 15))


def person(org, **kw) -> Person:
    kw.setdefault("name", "居民")
    return Person.objects.create(org=org, **kw)


def disabled(org, *, card=True, needs=("rehab",)) -> Person:
    p = person(org)
    DisabilityProfile.objects.create(person=p, category="1", grade="2", has_card=card, needs=list(needs))
    return p


def figure(code: str, org, population: str = "", period: Period = YEAR_END):
    return compute.compute([(code, population, org.pk)], period)[(code, population, org.pk)]


def test_rehabilitation_coverage_is_served_over_card_holders_and_uncarded_rehab_targets(personas):
    a = personas.community_a
    holders = [disabled(a, needs=()) for _ in range(3)]
    uncarded_need = disabled(a, card=False, needs=("rehab", "aids"))
    disabled(a, card=False, needs=("employment",))  # no card, no rehabilitation need: not a target
    stranger = person(a)  # served but not disabled: not counted
    r = record(a, "disability/rehab_service", date(2025, 4, 2), "上门康复服务")
    r.persons.set([holders[0], holders[1], uncarded_need, stranger])
    record(a, "disability/rehab_service", date(2025, 5, 2), "上门康复服务").persons.set([holders[0]])  # once only
    record(a, "disability/rehab_service", date(2024, 5, 2), "上门康复服务").persons.set([holders[2]])  # last year
    fig = figure("disability_rehab_coverage", a)
    assert (fig.numerator, fig.denominator, fig.value) == (3, 4, Decimal("75.00"))


def test_needs_survey_rate_counts_disabled_residents_visited_this_year(personas):
    a = personas.community_a
    people = [disabled(a) for _ in range(4)]
    record(a, "disability/needs_survey", date(2025, 3, 5), "入户调查").persons.set(people[:3])
    fig = figure("disability_needs_survey", a)
    assert (fig.numerator, fig.denominator, fig.text) == (3, 4, "75%")


def test_training_rate_counts_distinct_learners_within_the_named_population(personas):
    a = personas.community_a
    adults = [person(a, birth_date=date(1980, 6, 1), residence_status="huji") for _ in range(5)]
    elder = person(a, birth_date=date(1950, 6, 1), residence_status="changzhu")
    child = person(a, birth_date=date(2015, 6, 1), residence_status="huji")
    floating = person(a, birth_date=date(1990, 6, 1), residence_status="liudong")
    gone = person(a, birth_date=date(1980, 6, 1), residence_status="huji", moved_out_on=date(2025, 2, 1))
    record(a, "education/training", date(2025, 3, 1), "培训班").persons.set([adults[0], adults[1], elder, floating])
    record(a, "education/lecture", date(2025, 9, 1), "讲座").persons.set([adults[1], adults[2], child, gone])
    adults_fig = figure("education_training_rate", a, "adults")
    assert (adults_fig.numerator, adults_fig.denominator, adults_fig.value) == (3, 5, Decimal("60.00"))
    everyone = figure("education_training_rate", a, "residents")  # 常住人口 of any age
    assert (everyone.numerator, everyone.denominator) == (5, 7)


def funds(org, flow: str, amount: str, on: date):
    return record(org, "education/funds", on, "经费", extra={"flow": flow, "amount": amount, "item": "课酬"})


def test_funds_per_resident_adds_up_spending_over_the_resident_population(personas):
    a = personas.community_a
    for status in ("huji", "huji", "changzhu", "huji"):
        person(a, residence_status=status)
    person(a, residence_status="liudong")  # not in the 常住 population
    funds(a, "支出", "300.50", date(2025, 3, 1))
    funds(a, "支出", "199.50", date(2025, 9, 1))
    funds(a, "收入", "3000.00", date(2025, 2, 1))  # income is not spending
    funds(a, "支出", "800.00", date(2024, 12, 30))  # last year's
    fig = figure("education_funds_per_resident", a)
    assert (fig.numerator, fig.denominator, fig.value, fig.text) == (500, 4, Decimal("125.00"), "125元/人")


def test_funds_per_resident_without_residents_shows_no_data(personas):
    funds(personas.community_b, "支出", "100.00", date(2025, 3, 1))
    assert figure("education_funds_per_resident", personas.community_b).text == "无数据"
