"""The cases API: scoped reads, registration, moves with the error shape."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shequ.cases.choices import CaseState
from shequ.cases.tests.helpers import accept, make_case


def _json(response, status: int):
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_list_is_scoped_and_filtered(personas, client_for):
    make_case(personas.worker_a, personas.community_a, title="A的纠纷")
    make_case(personas.worker_a, personas.community_a, "hazard", title="A的隐患")
    data = _json(client_for(personas.supervisor).get("/api/cases/", {"type": "hazard"}), 200)
    assert [c["title"] for c in data["items"]] == ["A的隐患"]
    assert _json(client_for(personas.worker_b).get("/api/cases/"), 200)["count"] == 0


def test_detail_outside_scope_is_404_with_the_error_shape(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a)
    body = _json(client_for(personas.worker_b).get(f"/api/cases/{case.pk}"), 404)
    assert body["code"] == "not_found" and body["message"]
    body = _json(client_for(personas.worker_a).get(f"/api/cases/{case.pk}"), 200)
    assert body["detail"]["source"] == "screening" and [p["name"] for p in body["parties"]] == ["张三", "李四"]
    assert body["history"][0]["action"] == "register" and "accept" in body["allowed_actions"]


def test_anonymous_gets_401(personas, client):
    assert _json(client.get("/api/cases/"), 401)["code"] == "unauthenticated"


def test_register_through_the_api(personas, client_for):
    c = client_for(personas.worker_a)
    body = _json(
        c.post(
            "/api/cases/",
            {
                "type": "hazard",
                "org_id": personas.community_a.pk,
                "area": "safety",
                "title": "配电箱未上锁",
                "description": "3栋配电箱门损坏",
                "category": "用电",
                "detail": {"place_type": "住宅小区", "level": "larger", "rectify_deadline": "2026-12-31"},
            },
            content_type="application/json",
        ),
        201,
    )
    assert body["detail"]["level"] == "larger" and body["detail"]["rectify_deadline"] == "2026-12-31"
    bad = _json(
        c.post(
            "/api/cases/",
            {"type": "hazard", "org_id": personas.community_a.pk, "title": "t", "description": "d", "category": "x"},
            content_type="application/json",
        ),
        400,
    )
    assert bad["code"] == "invalid"
    assert (
        c.post(
            "/api/cases/",
            {"type": "dispute", "org_id": personas.community_b.pk, "title": "t", "description": "d"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_moves_through_the_api_and_a_forbidden_move_is_400(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a)
    c = client_for(personas.leader_a)
    moves = _json(c.get(f"/api/cases/{case.pk}/moves"), 200)
    assert {m["action"] for m in moves} >= {"accept", "reject", "escalate", "supervise"}
    body = _json(
        c.post(
            f"/api/cases/{case.pk}/moves",
            {"action": "resolve", "result": "x"},
            content_type="application/json",
        ),
        400,
    )
    assert (
        body["code"] == "forbidden_move" and "不能“办结”" in body["message"] and body["detail"]["state"] == "registered"
    )
    body = _json(
        c.post(
            f"/api/cases/{case.pk}/moves",
            {"action": "accept", "owner_id": personas.worker_a.pk, "deadline": "2099-01-01"},
            content_type="application/json",
        ),
        200,
    )
    assert body["state"] == CaseState.HANDLING and body["owner_id"] == personas.worker_a.pk
    assert (
        _json(c.post(f"/api/cases/{case.pk}/moves", {"action": "fly"}, content_type="application/json"), 400)["code"]
        == "unknown_action"
    )


@pytest.mark.parametrize("who", ["inspector", "grid_a_worker"])
def test_move_without_the_right_is_403(personas, client_for, who):
    case = make_case(personas.worker_a, personas.grid_a)  # visible to both, neither may accept
    body = _json(
        client_for(getattr(personas, who)).post(
            f"/api/cases/{case.pk}/moves",
            {"action": "accept", "owner_id": personas.worker_a.pk},
            content_type="application/json",
        ),
        403,
    )
    assert body["code"] == "forbidden"


def test_entries_through_the_api(personas, client_for):
    case = accept(make_case(personas.worker_a, personas.community_a), personas.leader_a, owner=personas.worker_a)
    c = client_for(personas.worker_a)
    _json(
        c.post(
            f"/api/cases/{case.pk}/entries",
            {"kind": "mediation", "text": "第一次调解"},
            content_type="application/json",
        ),
        201,
    )
    assert [e["text"] for e in _json(c.get(f"/api/cases/{case.pk}/entries"), 200)] == ["第一次调解"]
    other = make_case(personas.worker_a, personas.community_a)
    body = _json(c.post(f"/api/cases/{other.pk}/entries", {"text": "x"}, content_type="application/json"), 400)
    assert body["code"] == "forbidden_move"


def test_screening_api(personas, client_for):

    make_case(personas.worker_a, personas.community_a)
    today = timezone.localdate()
    rows = _json(
        client_for(personas.supervisor).get("/api/cases/screening", {"year": today.year, "month": today.month}), 200
    )
    by_name = {r["org_name"]: r for r in rows}
    assert by_name["社区A"]["screened"] == 1 and by_name["社区B"]["screened"] == 0
    assert "zero_report" not in by_name["社区B"]  # 零报告 is a submission of the monthly report, not inferred


def test_absurd_paging_is_refused_not_a_server_error(personas, client_for):
    c = client_for(personas.worker_a)
    assert (
        c.get("/api/cases/", {"offset": 2**63}).status_code == 400
    )  # refused before the API by the request sanity middleware
    assert c.get("/api/cases/", {"limit": 10**6}).status_code == 422
