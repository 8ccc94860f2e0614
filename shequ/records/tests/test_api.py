import json
from datetime import date

import pytest

from shequ.records.models import Record
from shequ.records.tests.helpers import activity_type, image_upload, make_record

pytestmark = pytest.mark.django_db
BASE = "/api/records/"


def test_list_is_scoped_paged_and_filtered_like_the_page(personas, client_for):
    make_record(personas.worker_a, personas.community_a, code="lecture", title="A讲座", on=date(2025, 3, 1))
    make_record(personas.worker_a, personas.community_a, title="A宣传栏", on=date(2025, 4, 1), photos=[image_upload()])
    make_record(personas.worker_b, personas.community_b, code="lecture", title="B讲座", on=date(2025, 3, 1))
    body = client_for(personas.worker_b).get(BASE).json()
    assert [r["title"] for r in body["items"]] == ["B讲座"]
    street = client_for(personas.supervisor)
    body = street.get(BASE, {"org": personas.community_a.pk, "limit": 1}).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    first = body["items"][0]
    assert first["title"] == "A宣传栏" and first["photo_count"] == 1 and first["activity_type_code"] == "board"
    assert first["area"] == "health" and first["org_name"] == "社区A" and first["year"] == 2025
    lecture = activity_type("health", "lecture")
    body = street.get(BASE, {"type": lecture.pk, "date_from": "2025-03-01", "date_to": "2025-03-31"}).json()
    assert {r["title"] for r in body["items"]} == {"A讲座", "B讲座"}


def test_detail_is_404_outside_scope(personas, client_for):
    r = make_record(personas.worker_a, personas.community_a, photos=[image_upload()])
    ok = client_for(personas.worker_a).get(f"{BASE}{r.pk}").json()
    assert ok["extra"]["location"] == "服务站门口宣传栏" and len(ok["photos"]) == 1 and ok["photo_count"] == 1
    response = client_for(personas.worker_b).get(f"{BASE}{r.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_anonymous_gets_401(personas, client):
    assert client.get(BASE).status_code == 401


def test_create_a_record(personas, client_for):
    t = activity_type("health", "board")
    payload = {
        "org_id": personas.community_a.pk,
        "activity_type_id": t.pk,
        "date": "2025-06-16",
        "title": "第8期 防溺水",
        "extra": {"issue_no": 8, "location": "2号栏"},
    }
    response = client_for(personas.worker_a).post(BASE, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["year"] == 2025 and body["extra"] == {"issue_no": 8, "location": "2号栏"}
    assert Record.objects.get().created_by == personas.worker_a


def test_create_refuses_bad_extra_other_orgs_and_closed_years(personas, client_for):
    from shequ.records import services

    t = activity_type("health", "board")
    c = client_for(personas.worker_a)

    def post(**over):
        payload = {"org_id": personas.community_a.pk, "activity_type_id": t.pk, "date": "2024-06-16", "title": "x",
                   "extra": {"issue_no": 8, "location": "2号栏"}} | over  # fmt: skip
        return c.post(BASE, json.dumps(payload), content_type="application/json")

    bad = post(extra={"issue_no": 8})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert post(org_id=personas.community_b.pk).status_code == 404
    reader = {"org_id": personas.community_a.pk, "activity_type_id": t.pk, "date": "2024-06-16", "title": "x"}
    response = client_for(personas.inspector).post(BASE, json.dumps(reader), content_type="application/json")
    assert response.status_code == 403
    services.year_close(actor=personas.leader_a, org=personas.community_a, year=2024)
    closed = post()
    assert closed.status_code == 400 and "已关账" in json.dumps(closed.json(), ensure_ascii=False)
    assert not Record.objects.exists()
