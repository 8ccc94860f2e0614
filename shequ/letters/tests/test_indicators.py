"""The 签订率 targets are computed from the letters: a street's counts its communities' letters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.core.indicators import Period
from shequ.letters import services
from shequ.letters.tests.helpers import drawn, street_letters
from shequ.plans.indicators import compute

pytestmark = pytest.mark.django_db


def test_the_signed_rate_counts_the_subtree(personas):
    top, (a, _b) = street_letters(personas)
    services.sign(actor=personas.worker_a, letter=a, signer_name="社区A书记", signed_on=date(2026, 2, 3), drawn=drawn())
    services.sign(
        actor=personas.supervisor, letter=top, signer_name="街道主任", signed_on=date(2026, 2, 4), drawn=drawn()
    )
    orgs = [personas.street, personas.community_a, personas.community_b, personas.community_c]
    period = Period(2026, date(2026, 12, 31))
    figures = compute.compute([("safety_letter_rate", "", o.pk) for o in orgs], period)
    by_org = {o.pk: figures[("safety_letter_rate", "", o.pk)] for o in orgs}
    # The street: its own letter and its two communities' (2 of 3 signed); 社区B: 0 of 1; 社区C: none issued.
    assert by_org[personas.street.pk].value == Decimal("66.67")
    assert by_org[personas.community_a.pk].value == 100
    assert by_org[personas.community_b.pk].value == 0
    assert by_org[personas.community_c.pk].denominator == 0 and by_org[personas.community_c.pk].text == "无数据"
