"""The case API names people only within the reader's scope: no user id of another org becomes a name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shequ.accounts.roles import Role
from shequ.cases import services
from shequ.cases.tests.helpers import make_case
from shequ.testing.factories import member

pytestmark = pytest.mark.django_db


def test_an_owner_id_of_another_org_is_refused_without_its_name(personas, client_for):
    outsider = member(personas.community_c, Role.WORKER, username="p_worker_c", name="清河镇社区C王五")
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    c = client_for(personas.leader_a)
    for owner_id in (outsider.pk, personas.worker_b.pk, personas.resident.pk, 999_999):
        response = c.post(
            f"/api/cases/{case.pk}/moves", {"action": "accept", "owner_id": owner_id}, content_type="application/json"
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "王五" not in body and "社区B专干" not in body and "居民甲" not in body
    # the same refusal for an id that exists and one that does not: nothing to tell them apart
    a = c.post(
        f"/api/cases/{case.pk}/moves", {"action": "accept", "owner_id": outsider.pk}, content_type="application/json"
    )
    b = c.post(
        f"/api/cases/{case.pk}/moves", {"action": "accept", "owner_id": 999_999}, content_type="application/json"
    )
    assert a.json()["detail"]["owner"][0].replace(str(outsider.pk), "#") == b.json()["detail"]["owner"][0].replace(
        "999999", "#"
    )


def test_history_names_only_people_within_the_readers_scope(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    case = services.case_move(actor=personas.worker_a, case=case, action="escalate", note="需街道协调")
    case = services.case_move(actor=personas.supervisor, case=case, action="accept", owner=personas.supervisor)
    services.entry_add(actor=personas.supervisor, case=case, kind="note", text="已约谈物业")
    below = client_for(personas.worker_a).get(f"/api/cases/{case.pk}").json()
    names = {h["actor_name"] for h in below["history"]} | {e["actor_name"] for e in below["entries"]}
    assert "街道主任" not in names and "其他单位工作人员" in names and "社区A专干" in names
    entries = client_for(personas.worker_a).get(f"/api/cases/{case.pk}/entries").json()
    assert {e["actor_name"] for e in entries} == {"其他单位工作人员"}
    above = client_for(personas.supervisor).get(f"/api/cases/{case.pk}").json()
    assert {"街道主任", "社区A专干"} <= {h["actor_name"] for h in above["history"]}


def _page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_names_only_people_within_the_readers_scope(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    case = services.case_move(actor=personas.worker_a, case=case, action="escalate", note="需街道协调")
    case = services.case_move(
        actor=personas.supervisor, case=case, action="accept", owner=personas.supervisor, leader=personas.supervisor
    )
    services.entry_add(actor=personas.supervisor, case=case, kind="note", text="已约谈物业")
    below = _page(client_for(personas.worker_a), case)  # the registering community still reads its case
    assert "街道主任" not in below
    assert "其他单位工作人员" in below and "社区A专干" in below and "已约谈物业" in below
    above = _page(client_for(personas.supervisor), case)
    assert "街道主任" in above and "社区A专干" in above and "其他单位工作人员" not in above


def test_the_assign_list_offers_only_staff_within_the_readers_scope(personas, client_for):
    case = make_case(personas.worker_a, personas.community_a, "opinion")
    page = _page(client_for(personas.leader_a), case)
    assert 'name="owner"' in page and "社区A书记" in page
    assert "街道主任" not in page  # staff of the street above may own the case, but are not named to the community
    assert "街道主任" in _page(client_for(personas.supervisor), case)
    refused = client_for(personas.leader_a).post(
        f"/api/cases/{case.pk}/moves",
        {"action": "accept", "owner_id": personas.supervisor.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "街道主任" not in refused.content.decode()


def _escalated_to_the_street(personas):
    case = make_case(personas.worker_a, personas.community_a, "opinion", title="小区停车难")
    case = services.case_move(actor=personas.worker_a, case=case, action="escalate", note="需街道协调")
    return services.case_move(
        actor=personas.supervisor, case=case, action="accept", owner=personas.supervisor, leader=personas.supervisor
    )


def test_the_inbox_names_an_owner_outside_the_readers_scope_as_another_units_staff(personas, client_for):
    _escalated_to_the_street(personas)
    below = client_for(personas.worker_a).get(reverse("cases:inbox")).content.decode()
    assert "小区停车难" in below and "街道主任" not in below and "其他单位工作人员" in below
    above = client_for(personas.supervisor).get(reverse("cases:inbox")).content.decode()
    assert "街道主任" in above and "其他单位工作人员" not in above


def test_the_opinions_ledger_names_an_owner_outside_the_readers_scope_as_another_units_staff(personas, client_for):
    import io

    from openpyxl import load_workbook

    case = _escalated_to_the_street(personas)
    url = reverse("ledgers:export", args=["opinions", personas.community_a.pk, case.year, "xlsx"])

    def owners(user) -> set:
        ws = load_workbook(io.BytesIO(b"".join(client_for(user).get(url).streaming_content))).active
        return {row[6] for row in ws.iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)}

    assert owners(personas.leader_a) == {"其他单位工作人员"}
    assert owners(personas.supervisor) == {"街道主任"}
