"""知晓率 and 形成率 as indicators: the latest closed survey of the year, per org, with its sample size.

The hand-worked survey of test_results (9 right of 12 knowledge answers, 3 of 6 behaviour answers, 3
respondents) gives 75% and 50%."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine

from shequ.core.indicators import Period
from shequ.plans.indicators import compute, registry
from shequ.surveys import services
from shequ.surveys.tests.helpers import health_survey, respond
from shequ.surveys.tests.helpers import registry as make_registry
from shequ.surveys.tests.test_results import R1, R2, R3

PERIOD = Period(2026, date(2026, 12, 1))


def _closed(personas, answers, *, org=None, on=date(2026, 6, 30), audience="residents"):
    org = org or personas.community_a
    worker = personas.worker_a if org == personas.community_a else personas.worker_b
    make_registry(org, households=len(answers), members=1)
    survey = health_survey(worker, org, knowledge=4, behaviour=2, audience=audience)
    if audience == "staff":
        services.add_staff(actor=worker, survey=survey)
    else:
        services.draw_sample(actor=worker, survey=survey, size=len(answers), seed=3)
    services.survey_open(actor=worker, survey=survey, on=on)
    for number, right in enumerate(answers, start=1):
        respond(worker, survey, survey.respondents.get(number=number), right)
    services.survey_close(actor=worker, survey=survey, on=on)
    return survey


def _figures(org_ids, codes=("health_knowledge_rate", "health_behaviour_rate"), period=PERIOD):
    return compute.compute([(c, "", o) for c in codes for o in org_ids], period)


def test_the_rates_are_the_question_based_formula_with_the_sample_size(personas):
    _closed(personas, [R1, R2, R3])
    figs = _figures([personas.community_a.pk])
    k = figs[("health_knowledge_rate", "", personas.community_a.pk)]
    b = figs[("health_behaviour_rate", "", personas.community_a.pk)]
    assert (k.numerator, k.denominator, k.value, k.sample) == (9, 12, Decimal("75.00"), 3)
    assert (b.numerator, b.denominator, b.value) == (3, 6, Decimal("50.00"))
    # The interval is taken over the 3 respondents, as on the results page.
    assert k.interval == (Decimal("25.6"), Decimal("96.3"))
    assert k.sources and "/surveys/" in k.sources[0][1]


def test_only_the_latest_closed_survey_of_the_year_counts(personas):
    _closed(personas, [R3, R3], on=date(2026, 3, 1))
    _closed(personas, [R1, R2, R3], on=date(2026, 11, 1))
    _closed(personas, [R1], on=date(2025, 12, 1))  # last year
    k = _figures([personas.community_a.pk])[("health_knowledge_rate", "", personas.community_a.pk)]
    assert (k.numerator, k.denominator, k.sample) == (9, 12, 3)


def test_an_open_survey_does_not_count_yet(personas):
    make_registry(personas.community_a, households=2, members=1)
    survey = health_survey(personas.worker_a, personas.community_a)
    services.draw_sample(actor=personas.worker_a, survey=survey, size=2, seed=1)
    services.survey_open(actor=personas.worker_a, survey=survey)
    respond(personas.worker_a, survey, survey.respondents.get(number=1), R1)
    k = _figures([personas.community_a.pk])[("health_knowledge_rate", "", personas.community_a.pk)]
    assert k.value is None and k.text == "无数据" and k.sample == 0


def test_a_street_adds_up_its_communities_latest_surveys(personas):
    _closed(personas, [R1, R2, R3])  # 9/12
    _closed(personas, [R1], org=personas.community_b)  # 4/4
    street = _figures([personas.street.pk])[("health_knowledge_rate", "", personas.street.pk)]
    assert (street.numerator, street.denominator, street.sample) == (13, 16, 4)


def test_staff_surveys_are_their_own_indicator(personas):
    _closed(personas, [R1, R2, R3], audience="staff")
    figs = _figures([personas.community_a.pk], ("health_knowledge_rate", "health_staff_knowledge_rate"))
    assert figs[("health_knowledge_rate", "", personas.community_a.pk)].value is None
    assert figs[("health_staff_knowledge_rate", "", personas.community_a.pk)].value == Decimal("75.00")


def test_the_catalogue_declares_the_survey_indicators_soundly():
    codes = registry.indicators()
    assert {"health_knowledge_rate", "health_behaviour_rate", "health_staff_knowledge_rate"} <= set(codes)
    assert registry.problems() == []


def test_the_computation_is_a_fixed_number_of_queries(personas, django_assert_max_num_queries):
    _closed(personas, [R1, R2, R3])
    _closed(personas, [R1], org=personas.community_b)
    orgs = [personas.community_a.pk, personas.community_b.pk, personas.street.pk]
    codes = ("health_knowledge_rate", "health_behaviour_rate", "health_staff_knowledge_rate")
    # 2 for the orgs' subtrees, 3 measures per indicator (numerator, denominator, sample), 2 for its sources.
    with time_machine.travel("2026-12-01 10:00 +0800"), django_assert_max_num_queries(2 + 3 * 3 + 3 * 2):
        _figures(orgs, codes)
