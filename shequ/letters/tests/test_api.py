"""The letters API: kinds, the year's letters in scope with their issuing level, holders and signed state, a letter
with the level it issued on, and 签订率 per level, in a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ.letters import services
from shequ.letters.tests.helpers import drawn, kind, school, street_letters

pytestmark = pytest.mark.django_db
BASE = "/api/letters/"


def test_kinds_give_clauses_and_the_roles_level_by_level(personas, client_for):
    body = client_for(personas.worker_a).get(f"{BASE}kinds").json()
    school_kind = next(k for k in body if k["code"] == "school-safety")
    assert school_kind["holders"] == "people" and school_kind["roles"] == ["年级组长", "班主任", "任课教师"]
    assert school_kind["clauses"] and all(isinstance(c, str) and c for c in school_kind["clauses"])


@time_machine.travel(date(2026, 3, 10))
def test_letters_are_scoped_and_show_level_signer_and_signed_state(personas, client_for):
    top, (to_a, _to_b) = street_letters(personas)
    services.sign(actor=personas.worker_a, letter=to_a, signer_name="社区书记", signed_on=date(2026, 2, 10),
                  drawn=drawn())  # fmt: skip
    mine = client_for(personas.worker_a).get(BASE, {"year": 2026}).json()
    assert [(x["holder"], x["level"], x["signed"], x["signer_name"], x["signed_how"]) for x in mine["items"]] == [
        ("社区A", 2, True, "社区书记", "drawn")
    ]
    assert mine["items"][0]["issuer_name"] == personas.street.name and mine["items"][0]["parent_id"] == top.pk
    street = client_for(personas.supervisor).get(BASE, {"year": 2026}).json()
    assert street["count"] == 3
    unsigned = client_for(personas.supervisor).get(BASE, {"year": 2026, "status": "unsigned"}).json()
    assert {x["holder"] for x in unsigned["items"]} == {"社区B", personas.street.name}
    assert all(x["overdue"] for x in unsigned["items"])  # due 28 February, today 10 March
    assert client_for(personas.worker_b).get(f"{BASE}{to_a.pk}").status_code == 404
    assert client_for(personas.worker_a).get(BASE, {"year": 2025}).json()["count"] == 0


@time_machine.travel(date(2026, 3, 10))
def test_a_letter_gives_its_clauses_and_how_many_below_signed(personas, client_for):
    top, (to_a, _to_b) = street_letters(personas)
    services.sign(actor=personas.worker_a, letter=to_a, signer_name="社区书记", signed_on=date(2026, 2, 10),
                  drawn=drawn())  # fmt: skip
    body = client_for(personas.supervisor).get(f"{BASE}{top.pk}").json()
    assert body["clauses"] == kind("safety-goals").clause_list
    assert (body["issued_on_to"], body["signed_below"], body["signed"], body["level"]) == (2, 1, False, 1)


def _school_year(personas, officer, org, teachers: int):
    k = kind("school-safety")
    grades = services.issue(actor=officer, kind=k, year=2026, issuer=org, issued_on=date(2026, 2, 20),
                            due_on=date(2026, 3, 1), people=[("王丽", "三年级"), ("陈建国", "四年级")])  # fmt: skip
    heads = services.issue(actor=officer, kind=k, year=2026, issuer=org, parent=grades[0], issued_on=date(2026, 2, 21),
                           due_on=date(2026, 3, 1), people=[("赵敏", "三年级1班"), ("李华", "三年级2班")])  # fmt: skip
    services.issue(actor=officer, kind=k, year=2026, issuer=org, parent=heads[0], issued_on=date(2026, 2, 22),
                   due_on=date(2026, 3, 1),
                   people=[(f"教师{n}", f"三年级1班（{n}）") for n in range(teachers)])  # fmt: skip
    for letter in [*grades, heads[0]]:
        services.sign(actor=officer, letter=letter, signer_name=letter.holder_name, signed_on=date(2026, 2, 25),
                      drawn=drawn())  # fmt: skip
    return k


@time_machine.travel(date(2026, 3, 10))
def test_coverage_gives_the_rate_per_level_and_who_has_not_signed_in_fixed_queries(personas, client_for):
    org, officer = school(personas)
    _school_year(personas, officer, org, teachers=3)
    client = client_for(officer)
    with CaptureQueriesContext(connection) as few:
        body = client.get(f"{BASE}coverage", {"year": 2026}).json()
    assert [(lv["role"], lv["issued"], lv["signed"], lv["rate"]) for lv in body] == [
        ("年级组长", 2, 2, 100.0),
        ("班主任", 2, 1, 50.0),
        ("任课教师", 3, 0, 0.0),
    ]
    assert [u["holder"] for u in body[1]["unsigned"]] == ["三年级2班 班主任 李华"]
    assert body[2]["overdue"] == 3 and not body[2]["more_unsigned"]
    with CaptureQueriesContext(connection) as list_few:
        client.get(BASE, {"year": 2026})
    services.issue(actor=officer, kind=kind("school-safety"), year=2026, issuer=org,
                   parent=_heads(org)[1],
                   issued_on=date(2026, 2, 22), due_on=date(2026, 3, 1),
                   people=[(f"新教师{n}", f"三年级2班（{n}）") for n in range(40)])  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        body = client.get(f"{BASE}coverage", {"year": 2026}).json()
    with CaptureQueriesContext(connection) as list_many:
        listed = client.get(BASE, {"year": 2026}).json()
    assert len(few) == len(many) and len(list_few) == len(list_many)
    assert body[2]["issued"] == 43 and body[2]["more_unsigned"] and listed["count"] == 47


def _heads(org):
    from shequ.letters.models import Letter

    return list(Letter.objects.filter(org=org, level=2).order_by("labels"))


def test_a_stranger_to_the_school_sees_no_letters(personas, client_for):
    org, officer = school(personas)
    _school_year(personas, officer, org, teachers=1)
    assert client_for(personas.worker_b).get(f"{BASE}coverage", {"year": 2026}).json() == []
    assert client_for(personas.worker_b).get(BASE, {"year": 2026}).json()["count"] == 0
