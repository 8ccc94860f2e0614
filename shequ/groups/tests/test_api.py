"""The groups API: scoped lists, a group with its terms and members, its meetings with quorum and votes."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.groups import meetings
from shequ.groups.tests.helpers import group
from shequ.records.models import ActivityType

pytestmark = pytest.mark.django_db
BASE = "/api/groups/"


def _meeting(actor, g, on: date, present: int):
    kind = ActivityType.objects.get(area__code="health", code="group_meeting")
    members = list(g.members.order_by("id"))
    attendance = {m.pk: ("present" if n < present else "absent") for n, m in enumerate(members)}
    m = meetings.meeting_create(actor=actor, group=g, activity_type=kind, date=on, title=f"{on.month}月会议",
                                attendance=attendance)  # fmt: skip
    meetings.resolution_add(actor=actor, meeting=m, text="开展控烟宣传", votes_for=present)
    return m


def test_the_list_is_scoped_and_filtered(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=3)
    mine = client_for(personas.worker_a).get(BASE).json()
    assert [(x["name"], x["kind"], x["members"], x["area"]) for x in mine["items"]] == [
        ("健康教育领导小组", "leading", 3, "health")
    ]
    assert mine["items"][0]["id"] == g.pk
    assert client_for(personas.worker_b).get(BASE).json()["count"] == 0
    assert client_for(personas.worker_a).get(BASE, {"kind": "council"}).json()["count"] == 0
    assert client_for(personas.supervisor).get(BASE).json()["count"] == 1


def test_a_group_shows_its_terms_and_members_and_is_404_outside_scope(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=3)
    body = client_for(personas.worker_a).get(f"{BASE}{g.pk}").json()
    assert [t["number"] for t in body["terms"]] == [1]
    assert body["members"][0]["role"] == "组长" and len(body["members"]) == 3
    assert body["quorum"] == "超过半数成员到会" and not body["members"][0]["staff"]
    refused = client_for(personas.worker_b).get(f"{BASE}{g.pk}")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert client_for(personas.worker_b).get(f"{BASE}{g.pk}/meetings").status_code == 404


def test_meetings_give_quorum_and_votes_in_a_fixed_number_of_queries(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=4)
    client = client_for(personas.worker_a)
    _meeting(personas.worker_a, g, date(2026, 3, 1), present=3)
    with CaptureQueriesContext(connection) as few:
        first = client.get(f"{BASE}{g.pk}/meetings").json()
    for month in range(4, 10):
        _meeting(personas.worker_a, g, date(2026, month, 1), present=1 + month % 3)
    with CaptureQueriesContext(connection) as many:
        body = client.get(f"{BASE}{g.pk}/meetings").json()
    assert len(few) == len(many)
    assert first["items"][0]["quorate"] and first["items"][0]["present"] == 3 and first["items"][0]["expected"] == 4
    assert first["items"][0]["resolutions"][0]["passed"] and first["items"][0]["resolutions"][0]["votes_for"] == 3
    assert body["count"] == 7 and body["items"][0]["date"] == "2026-09-01"
    inquorate = [m for m in body["items"] if m["present"] <= 2]
    assert inquorate and not any(m["quorate"] for m in inquorate)
