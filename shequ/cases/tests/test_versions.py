"""Lost updates on cases: stale edit and reply forms are refused with what changed; the API answers 409."""

from __future__ import annotations

import pytest

from shequ.cases import services
from shequ.cases.models import Case
from shequ.cases.tests.helpers import make_case
from shequ.testing.forms import form_values

pytestmark = pytest.mark.django_db


def test_stale_case_edit_form_is_refused_with_what_changed(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a, "opinion", title="楼道灯坏了")
    url = f"/cases/{case.pk}/edit/"
    c1, c2 = client_for(personas.worker_a), client_for(personas.leader_a)
    form1, form2 = form_values(c1.get(url).content.decode()), form_values(c2.get(url).content.decode())
    assert c1.post(url, {**form1, "title": "3栋楼道灯坏了"}).status_code == 302
    response = c2.post(url, {**form2, "place": "幸福小区3栋"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "标题：楼道灯坏了 → 3栋楼道灯坏了" in page and "幸福小区3栋" in page
    case.refresh_from_db()
    assert (case.title, case.place) == ("3栋楼道灯坏了", "")


def test_stale_reply_form_does_not_overwrite_the_reply_another_handler_saved(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    services.case_move(actor=personas.leader_a, case=case, action="accept", owner=personas.worker_a)
    url = f"/cases/{case.pk}/"
    action = f"/cases/{case.pk}/reply/"
    c1, c2 = client_for(personas.worker_a), client_for(personas.leader_a)
    form1 = form_values(c1.get(url).content.decode(), "text", action=action)
    form2 = form_values(c2.get(url).content.decode(), "text", action=action)
    assert c1.post(action, {**form1, "text": "已联系物业，本周内修复。"}).status_code == 302
    response = c2.post(action, {**form2, "text": "已转交物业。"})
    assert response.status_code == 200
    assert "公开答复：（空） → 已联系物业，本周内修复。" in response.content.decode()
    case.refresh_from_db()
    assert case.public_reply == "已联系物业，本周内修复。"


def test_a_status_move_makes_an_open_edit_form_stale(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    url = f"/cases/{case.pk}/edit/"
    c = client_for(personas.worker_a)
    opened = form_values(c.get(url).content.decode())
    services.case_move(
        actor=personas.leader_a, case=Case.objects.get(pk=case.pk), action="accept", owner=personas.worker_a
    )
    response = c.post(url, {**opened, "description": "改过的描述"})
    assert response.status_code == 200 and "状态：待受理 → 办理中" in response.content.decode()
    assert Case.objects.get(pk=case.pk).description == "情况说明"


def test_api_move_with_a_stale_version_is_409_in_the_error_shape(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    c = client_for(personas.leader_a)
    read = c.get(f"/api/cases/{case.pk}").json()
    services.details_update(actor=personas.worker_a, case=Case.objects.get(pk=case.pk), title="改过的标题")
    response = c.post(
        f"/api/cases/{case.pk}/moves",
        {"action": "accept", "owner_id": personas.worker_a.pk, "version": read["version"]},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and "他人已修改" in body["message"]
    assert body["detail"] == {"version": read["version"] + 1}
    assert Case.objects.get(pk=case.pk).state == "registered"
    fresh = c.get(f"/api/cases/{case.pk}").json()
    ok = c.post(
        f"/api/cases/{case.pk}/moves",
        {"action": "accept", "owner_id": personas.worker_a.pk, "version": fresh["version"]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == fresh["version"] + 1
