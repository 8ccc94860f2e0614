"""The reply rate of residents' opinions (答复率), worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shequ.cases.models import Case, CaseType
from shequ.core.indicators import Period
from shequ.orgs.models import Area
from shequ.plans.indicators import compute

pytestmark = pytest.mark.django_db


def at(d: date) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, 10, 0))


def case(org, code="opinion", *, on: date, deadline=None, replied=None, resolved=None) -> Case:
    return Case.objects.create(
        case_type=CaseType.objects.get(code=code),
        area=Area.objects.get(code="selfgov"),
        org=org,
        origin_org=org,
        title="意见",
        description="说明",
        registered_on=on,
        registered_at=at(on),
        deadline=deadline,
        public_reply_at=at(replied) if replied else None,
        resolved_at=at(resolved) if resolved else None,
    )


def test_reply_rate_counts_answers_within_the_time_limit_among_cases_due(personas):
    a = personas.community_a
    today = date(2025, 6, 30)
    case(a, on=date(2025, 3, 1), deadline=date(2025, 3, 11), replied=date(2025, 3, 5))  # in time
    case(a, on=date(2025, 4, 1), deadline=date(2025, 4, 11), resolved=date(2025, 4, 11))  # closed on the last day
    case(a, on=date(2025, 5, 1), deadline=date(2025, 5, 11), replied=date(2025, 5, 20))  # late
    case(a, on=date(2025, 5, 2), deadline=date(2025, 5, 12))  # never answered, overdue
    case(a, on=date(2025, 6, 25), deadline=date(2025, 7, 5))  # still within its limit: not counted yet
    case(a, on=today - timedelta(days=1))  # registered yesterday, not yet accepted: not counted yet
    case(a, on=date(2025, 2, 1))  # never accepted for months: due, unanswered
    case(a, on=date(2024, 12, 30), deadline=date(2025, 1, 9))  # last year's: filed in 2024
    case(a, "dispute", on=date(2025, 3, 1), deadline=date(2025, 3, 16), resolved=date(2025, 3, 2))  # not an opinion
    fig = compute.compute([("opinion_reply_rate", "", a.pk)], Period(2025, today))[("opinion_reply_rate", "", a.pk)]
    assert (fig.numerator, fig.denominator) == (2, 5)
    assert fig.value == Decimal("40.00")


def test_reply_rate_without_opinions_shows_no_data(personas):
    fig = compute.compute([("opinion_reply_rate", "", personas.community_b.pk)], Period(2025, date(2025, 6, 30)))
    assert fig[("opinion_reply_rate", "", personas.community_b.pk)].text == "无数据"


def test_early_child_referral_rate_counts_children_referred_within_17_days_among_those_due(personas):
    from shequ.cases.models import ReferralDetail

    a = personas.community_a
    today = date(2025, 6, 30)
    for on, referred in [
        (date(2025, 3, 1), date(2025, 3, 18)),  # on the 17th day: in time
        (date(2025, 4, 1), date(2025, 4, 25)),  # late
        (date(2025, 5, 1), None),  # never referred, past the limit
        (date(2025, 6, 20), None),  # found ten days ago: not due yet
        (date(2025, 6, 25), date(2025, 6, 28)),  # referred already: counts
    ]:
        c = case(a, "early_child", on=on)
        ReferralDetail.objects.create(case=c, person_name="儿童", referred_on=referred)
    case(a, "referral", on=date(2025, 3, 1))  # an adult's referral: another type
    key = ("disability_early_child_referral", "", a.pk)
    fig = compute.compute([key], Period(2025, today))[key]
    assert (fig.numerator, fig.denominator) == (2, 4)
