"""The reports API: the forms, and the submissions in scope with their state and on-time flag."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.orgs.models import OrgKind
from shequ.reports.models import Submission
from shequ.reports.tests.helpers import TZ, form, submit
from shequ.testing.factories import OrgFactory

pytestmark = pytest.mark.django_db
BASE = "/api/reports/"


def test_forms_are_listed_with_their_fields(personas, client_for):
    body = client_for(personas.worker_a).get(f"{BASE}forms").json()
    dispute = next(f for f in body if f["code"] == "dispute_monthly")
    assert dispute["cycle"] == "month" and dispute["area"] == "safety" and dispute["zero_allowed"]
    assert "community" in dispute["kinds"] and {"code", "label", "kind"} <= set(dispute["fields"][0])


def test_submissions_are_scoped_filtered_and_tell_on_time(personas, client_for):
    p = personas
    a = submit(p.worker_a, p.community_a, no=1, on=(2026, 2, 3))
    submit(p.worker_a, p.community_a, no=2, on=(2026, 3, 9))  # due 5 Mar: late
    b = submit(p.worker_b, p.community_b, no=1, on=(2026, 2, 3))
    mine = client_for(p.worker_a).get(BASE, {"form": "dispute_monthly"}).json()
    assert [(x["org_name"], x["period_no"], x["on_time"], x["state"]) for x in mine["items"]] == [
        ("社区A", 1, True, "submitted"),
        ("社区A", 2, False, "submitted"),
    ]
    assert mine["items"][0]["id"] == a.pk and mine["items"][0]["period"] == "2026年1月"
    assert mine["items"][0]["due"] == "2026-02-05"
    street = client_for(p.supervisor).get(BASE, {"period_no": 1}).json()
    assert sorted(x["org_name"] for x in street["items"]) == ["社区A", "社区B"]
    assert client_for(p.supervisor).get(BASE, {"org": p.community_b.pk}).json()["count"] == 1
    refused = client_for(p.worker_a).get(f"{BASE}{b.pk}")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert client_for(p.supervisor).get(f"{BASE}{b.pk}").json()["org_id"] == p.community_b.pk


def _reports(p, f, start: int, n: int) -> None:
    when = datetime(2026, 2, 2, tzinfo=TZ)
    for i in range(start, start + n):
        org = OrgFactory(name=f"社区{i:03d}", kind=OrgKind.COMMUNITY, parent=p.other_street)
        Submission.objects.create(
            form=f, org=org, area=f.area, year=2026, period_no=1, values={"mediated": i}, computed={},
            first_submitted_at=when, submitted_at=when, submitted_by=p.admin,
        )  # fmt: skip


def test_the_list_runs_a_fixed_number_of_queries(personas, client_for):
    p, f = personas, form()
    client = client_for(p.admin)
    _reports(p, f, 0, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(BASE, {"limit": 100}).json()["count"] == 3
    _reports(p, f, 3, 57)
    with CaptureQueriesContext(connection) as many:
        body = client.get(BASE, {"limit": 100}).json()
    assert body["count"] == 60 and all(x["on_time"] for x in body["items"])
    assert len(few) == len(many)
