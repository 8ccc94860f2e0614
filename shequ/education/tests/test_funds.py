"""Education funds per resident (人均经费): the education line's spending records of the year ÷ the 常住 residents
of the registry, against the plan's 1元/人; income and other lines of work do not count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from shequ.education import funds
from shequ.education.tests.helpers import residents
from shequ.records.tests.helpers import make_record

pytestmark = pytest.mark.django_db


def _entry(actor, org, amount: str, *, flow: str = "支出", on: date = date(2026, 4, 1), area: str = "education"):
    extra = {"flow": flow, "amount": amount, "item": "讲师课酬", "counterpart": "社区学校讲师团"}
    return make_record(actor, org, area=area, code="funds", on=on, title="社区教育经费", extra=extra)


def test_spending_per_changzhu_resident_against_one_yuan(personas):
    a, w = personas.community_a, personas.worker_a
    residents(a, 6, residence_status="changzhu")
    residents(a, 2, residence_status="huji")
    residents(a, 3, residence_status="liudong")  # not 常住 (户籍 and 常住 are)
    _entry(w, a, "5.00")
    _entry(w, a, "3.00", on=date(2026, 9, 1))
    _entry(w, a, "100.00", flow="收入")  # income is not spending
    _entry(w, a, "50.00", on=date(2025, 12, 31))  # last year
    _entry(w, a, "70.00", area="health")  # another line's funds
    (row,) = funds.per_resident([a], 2026)
    assert (row["now"].numerator, row["now"].denominator, row["now"].text) == (Decimal(8), 8, "1元/人")
    assert row["reached"]
    assert row["last"].numerator == Decimal(50)
    (b_row,) = funds.per_resident([personas.community_b], 2026)
    assert b_row["now"].value is None and not b_row["reached"]


def test_below_the_standard_is_not_reached(personas):
    a, w = personas.community_a, personas.worker_a
    residents(a, 10, residence_status="changzhu")
    _entry(w, a, "7.50")
    (row,) = funds.per_resident([a], 2026)
    assert (row["now"].text, row["reached"]) == ("0.75元/人", False)


def test_the_funds_page_lists_the_entries_and_the_figure(personas, client_for):
    a, w = personas.community_a, personas.worker_a
    residents(a, 4, residence_status="changzhu")
    _entry(w, a, "6.00")
    page = client_for(w).get(reverse("education:funds"), {"year": 2026, "org": a.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "1.5元/人" in html and "讲师课酬" in html and "社区学校讲师团" in html and "达标" in html
    assert client_for(personas.worker_b).get(reverse("education:funds"), {"org": a.pk}).status_code == 404
    assert client_for(personas.resident).get(reverse("education:funds")).status_code == 403
