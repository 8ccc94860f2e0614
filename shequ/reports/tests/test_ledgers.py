"""The office form of a report through the ledger layer: the community's report as submitted, the street's as the
sum of its communities', the district's as the sum of its streets'."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shequ.audit.models import AuditLog
from shequ.reports.tests.helpers import submit

pytestmark = pytest.mark.django_db


def _sheet(client, org, **query) -> dict:
    url = reverse("ledgers:export", args=["report", org.pk, 2026, "xlsx"])
    response = client.get(url, {"form": "dispute_monthly", "period": 1, **query})
    assert response.status_code == 200, response.content[:300]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c for c in r if c is not None] for r in book.worksheets[0].iter_rows(values_only=True)]
    return {r[1]: r[2] for r in rows if len(r) >= 3 and isinstance(r[0], int)}


def test_the_report_rolls_up_street_and_district(personas, client_for):
    p = personas
    submit(p.worker_a, p.community_a, values={"screened": 3, "mediated": 2, "summary": "邻里纠纷"})
    submit(p.worker_b, p.community_b, values={"screened": 1, "mediated": 1})
    own = _sheet(client_for(p.worker_a), p.community_a)
    assert own["排查出矛盾纠纷（件）"] == "3" and own["主要纠纷及调处情况"] == "邻里纠纷"
    street = _sheet(client_for(p.supervisor), p.street)
    assert street["排查出矛盾纠纷（件）"] == "4" and street["调处（件）"] == "3"
    district = _sheet(client_for(p.admin), p.district)
    assert district["排查出矛盾纠纷（件）"] == "4"
    log = AuditLog.objects.filter(action="ledger.export").last()
    assert log.detail["form"] == "dispute_monthly" and log.detail["period"] == "2026年1月"


def test_the_report_needs_a_form_and_a_period_and_the_line_of_work(personas, client_for):
    from shequ.accounts.models import Membership
    from shequ.orgs.models import Area

    c = client_for(personas.worker_a)
    url = reverse("ledgers:export", args=["report", personas.community_a.pk, 2026, "pdf"])
    assert c.get(url).status_code == 400
    assert c.get(url, {"form": "dispute_monthly", "period": "13"}).status_code == 400
    assert c.get(url, {"form": "nothing", "period": "1"}).status_code == 404
    Membership.objects.filter(user=personas.worker_a).get().areas.set([Area.objects.get(code="health")])
    assert client_for(personas.worker_a).get(url, {"form": "dispute_monthly", "period": "1"}).status_code == 403
